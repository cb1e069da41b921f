"""Two questions in one message (« votre adresse et vos horaires ? », « ouvert samedi ? et les
encombrants ? »): the clauses a message may hold, each to be understood on its own.

Only cutting happens here; whether the cut is kept depends on what each clause is
understood to ask (gateway/turns.py asks Rasa).
"""

from __future__ import annotations

import re

# Where a message may hold another request: after a question mark, a full stop, a new line,
# a semicolon; and before « et », « aussi », « ainsi que » opening a new question.
_HARD = re.compile(r"(?<=[?!.;])\s+|\n+")
_SOFT = re.compile(
    r",?\s+(?:et|aussi|ainsi que|puis|sinon)\s+(?=(?:les|la|le|l'|l’|vos|votre|pour|combien|"
    r"quand|où|ou|comment|est-ce|est ce|faut-il|faut il|c'est|c’est|il faut|vous|on peut|"
    r"je peux|quel|quelle|quels|quelles|à quelle|a quelle|y a|ya|qu'en|qu’en)\b)",
    re.IGNORECASE,
)
# « je voudrais un rdv passeport, c'est combien ? »: a comma before a question.
_COMMA = re.compile(
    r",\s+(?=(?:c'est combien|c’est combien|combien|c'est quoi|c’est quoi|c'est où|c’est où|"
    r"est-ce qu|est ce qu|faut-il|faut il|vous êtes|vous etes|quel|quelle|quels|quelles|"
    r"quand|comment|où)\b)",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:et|aussi|puis|sinon|ah|oh|au fait|autre question)\b[\s,:]*", re.IGNORECASE)
MAX_CLAUSES = 4


def clauses(text: str) -> list[str]:
    """The message's clauses, in order (one clause: nothing to split)."""
    parts: list[str] = []
    for sentence in _HARD.split(text.strip()):
        for piece in (p for s in _SOFT.split(sentence) for p in _COMMA.split(s)):
            piece = _LEAD.sub("", piece.strip()).strip(" ,")
            if re.search(r"\w", piece):
                parts.append(piece)
    return parts[:MAX_CLAUSES] if len(parts) > 1 else [text]
