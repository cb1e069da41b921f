"""Two questions in one message (« votre adresse et vos horaires ? », « ouvert samedi ? et les
encombrants ? »): the clauses a message may hold, each to be understood on its own.

Only cutting happens here; whether the cut is kept depends on what each clause is
understood to ask (gateway/turns.py asks Rasa).
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Where a message may hold another request: after a question mark, a full stop, a new line,
# a semicolon; before « et », « aussi », « ainsi que » opening a new question;
# and before a number that counts requests (« 1) le mur est tagué 2) vous ouvrez quand ? »).
_HARD = re.compile(r"(?<=[?!.;])\s+|\n+|\s+[+&]\s+|\s+(?=\d\)\s)")
# Requests counted « 1. … 2. … » or « 1) … 2) … »: each number after the first opens a clause
# (and each is asked: gateway/requests.py).
COUNTED = re.compile(r"(?:^|\s)1\s?[.)]\s.*\s2\s?[.)](?:\s|$)", re.DOTALL)
_NEXT_COUNT = re.compile(r"\s+(?=[2-9]\s?[.)](?:\s|$))")
# What may open a new request after « et », « aussi », « ainsi que »…: a question word, an
# article or a possessive, a verb wanting something, or an infinitive (« et refaire mon
# passeport », « et de réserver »).
_OPENERS = (
    r"les|la|le|l'|l’|vos|votre|vôtre|mes|mon|ma|pour|combien|quand|où|ou|comment|est-ce|"
    r"est ce|faut-il|faut il|c'est|c’est|il faut|vous|on peut|je peux|quel|quelle|quels|"
    r"quelles|à quelle|a quelle|y a|ya|qu'en|qu’en|si|savoir|celui|celle|ceux|celles|"
    r"donnez|dites|indiquez|envoyez|pouvez|pourriez|je voudrais|j'aimerais|j’aimerais|"
    r"je veux|il me faut|il faudrait|il me faudrait|j'ai|j’ai|j'aurais|j’aurais|je dois|"
    r"je souhaite|je souhaiterais|je cherche|d'autre|d’autre|de celui|de celle|de ceux|"
    r"de celles|qu'est-ce|qu’est-ce|qu'est ce|qu’est ce|qu est ce|que faut-il|que faut il|"
    r"que dois-je|que dois je|ce qu'il faut|ce qu’il faut|ce qu il faut|"
    # What is asked, named bare (« horaires de la déchetterie et date des encombrants »).
    r"date|dates|jour|jours|horaires|tarif|tarifs|prix|numéro|numero|adresse"
)
# « et m'inscrire », « et nous inscrire », « et en reprendre un »: a pronoun may come first.
_INFINITIVE = (
    r"(?:de |d'|d’)?(?:m'|m’|me |nous |s'|s’|se |en |y |l'|l’|le |la |les |lui |leur )?"
    r"(?!hiver\b)\w{3,}(?:er|ir|re)\b"
)
# Words that say another request comes (« sinon », « par ailleurs », « autre question »).
NEXT_REQUEST = (
    r"sinon|par ailleurs|au passage|au fait|autre chose|autre question|deuxième question|"
    r"deuxieme question|seconde question|2e question|question 2|tant que j'y suis|"
    r"tant que j’y suis|tant que j y suis|pendant que j'y suis|pendant que j’y suis|"
    r"par la même occasion|par la meme occasion|dans la foulée|dans la foulee|"
    # « je veux m'inscrire sur les listes, mais d'abord il me faut un extrait de naissance »
    r"mais d'abord|mais d’abord|mais d abord|mais avant ça|mais avant ca|mais avant cela|"
    r"mais avant tout|mais avant(?=\s*[:,])"
)
# « annuler les chaises et plutôt réserver le gymnase »: a word that turns to the new request.
_INSTEAD = r"(?:plutôt|plutot|ensuite|à la place|a la place|du coup|en échange|en echange)"
# « et réservez-moi le gymnase », « et redonnez-m'en un »: an order, its pronoun after it.
_ORDER = r"\w{3,}ez[- ](?:moi|nous|m'|m’|en|le|la|les|lui)\b"
_SOFT = re.compile(
    rf",?\s+(?:(?:et|aussi|ainsi que|puis)\s+(?:{_INSTEAD}\s+)?"
    rf"(?=(?:{_OPENERS})\b|{_INFINITIVE}|{_ORDER})|"
    rf"(?:et )?(?:{NEXT_REQUEST}|et puis|(?-i:Aussi)(?=,)|(?-i:Et)(?= ))[\s,:]+)",
    re.IGNORECASE,
)
# « je voudrais un rdv passeport, c'est combien ? »: a comma before a question or a request.
_COMMA = re.compile(
    r"[,;:]\s+(?=(?:c'est combien|c’est combien|combien|c'est quoi|c’est quoi|c'est où|c’est où|"
    r"c'est ouvert|c’est ouvert|c est ouvert|vous êtes ouverts|vous etes ouverts|vous ouvrez|"
    r"c'est possible|c’est possible|c est possible|"
    r"est-ce qu|est ce qu|faut-il|faut il|vous êtes|vous etes|quel|quelle|quels|quelles|"
    r"quand|comment|où|je veux|je voudrais|j'aimerais|et|ah et|sinon|par ailleurs|"
    # A request said as an order (« …, passez-moi un agent », « …, rappelez-moi »).
    r"passez-moi|passez moi|mettez-moi|mettez moi|rappelez-moi|rappelez moi|appelez-moi|"
    r"appelez moi|pouvez-vous|pourriez-vous|je souhaite|je souhaiterais|j'ai besoin)\b)",
    re.IGNORECASE,
)
# Words that only open a clause, however many (« Ah et aussi ceux du bus »).
_LEAD = re.compile(
    rf"^(?:(?:(?:et|aussi|puis|ah|oh|{NEXT_REQUEST})\b|\d[.)](?=\s|$))[\s,:]*)+",
    re.IGNORECASE,
)
# And the connector left at the end of the clause before (« le lampadaire est éteint et »
# before « aussi le banc… »).
_TRAIL = re.compile(r"[\s,]+(?:et|puis)$", re.IGNORECASE)
MAX_CLAUSES = 5
# « Le numéro de la gendarmerie et celui de la mairie »: « celui » stands for « le numéro ».
_STANDS_FOR = re.compile(r"^(?:de |d'|d’)?(?:celui|celle|ceux|celles)\b", re.IGNORECASE)
_HEAD = re.compile(
    r"\b((?:le|la|les|l'|l’|mon|ma|mes|votre|vos|son|sa|ses|du|des)\s*[\w’'-]+"
    r"(?: d'ouverture| d’ouverture)?)\s+(?:de|du|des|d'|d’)",
    re.IGNORECASE,
)


# « la poste est ouverte samedi ? et la mairie ? »: a clause that only names another place
# (or « la vôtre », « et vous ? ») asks the previous question about it.
_ELLIPSIS = re.compile(
    r"^(?:et\s+|mais\s+)?(?:pour\s+|chez\s+|à\s+|a\s+)?"
    r"((?:le|la|les|l'|l’|votre|vos|du|de la|des|de l'|de l’)\s*[\w’'-]+"
    r"(?:\s+(?:de|du|des|d'|d’)\s*[\w’'-]+)?|(?:la|le|les)\s+v[ôo]tres?|vous)"
    r"\s*(?:svp|stp)?\s*[?!.]*$",
    re.IGNORECASE,
)
_YOURS = re.compile(r"^(?:la|le|les)\s+v[ôo]tres?$|^vous$", re.IGNORECASE)
_SAME = re.compile(
    r"[\s,]+(?:c'est|c’est|c est|ça fait|ca fait)?\s*(?:pareil|la même chose|la meme chose|"
    r"idem|de même|de meme)\s*[?!.]*$",
    re.IGNORECASE,
)
_YOU_AT = re.compile(r"^(?:et\s+)?vous\s*,\s*(?=(?:à|a|chez|pour)\s)", re.IGNORECASE)
_ARTICLE = re.compile(
    r"^(?:le|la|les|l'|l’|votre|vos|mon|ma|mes|du|de la|des|de l'|de l’)\s*", re.IGNORECASE
)
# The subject of a question (« la poste est-elle ouverte », « le gymnase coûte combien »).
_SUBJECT = re.compile(
    r"^((?:le|la|les|l'|l’|votre|vos)\s*[\w’'-]+(?:\s+(?:de|du|des|d'|d’)\s*[\w’'-]+)*)"
    r"(?=\s+(?:est|sont|ouvre|ouvrent|ferme|ferment|sera|seront|coûte|coute|coûtent|coutent|"
    r"fait|font|a|ont|reste|restent)\b)",
    re.IGNORECASE,
)
# Its last words (« c'est combien la salle des fêtes », « les horaires de la poste »).
_TAIL = re.compile(
    r"(?<=\s)((?:le|la|les|l'|l’|du|de la|des|de l'|de l’)\s*[\w’'-]+"
    r"(?:\s+(?:de|du|des|d'|d’)\s*[\w’'-]+)?)(\s*(?:svp|stp)?\s*[?!.]*)$",
    re.IGNORECASE,
)


# « la mairie et la déchetterie sont ouvertes le samedi ? »: one question about two places.
_BOTH = re.compile(
    r"^(?P<one>(?:le|la|les|l'|l’)\s*[\w’'-]+(?:\s+(?:de|du|des|d'|d’)\s*[\w’'-]+)?)\s+"
    r"(?:et|ou)\s+(?P<two>(?:le|la|les|l'|l’)\s*[\w’'-]+(?:\s+(?:de|du|des|d'|d’)\s*[\w’'-]+)?)"
    r"\s+(?P<rest>(?:sont|seront|ouvrent|ferment|ouvriront|restent)\b.*)$",
    re.IGNORECASE,
)


def _both(piece: str, places: Callable[[str], bool] | None) -> list[str]:
    """A question about two places said once, asked of each (« la mairie est ouverte… »)."""
    found = _BOTH.match(piece.strip())
    if found is None or places is None:
        return [piece]
    one, two, rest = found.group("one"), found.group("two"), found.group("rest")
    if not (places(one) and places(two)):
        return [piece]
    return [f"{one} {rest}", f"{two} {rest}"]


# « entre le matin et l'après-midi », « entre la mairie et la poste »: one span, never cut.
_BETWEEN = re.compile(r"\bentre(?:\s+[\w'’-]+){1,3}$", re.IGNORECASE)


def _soft(sentence: str) -> list[str]:
    """The sentence cut before « et », « sinon »… that open a new request, except inside
    « entre … et … »."""
    out: list[str] = []
    for piece in _SOFT.split(sentence):
        if out and _BETWEEN.search(out[-1]):
            out[-1] = f"{out[-1]} et {piece}"
        else:
            out.append(piece)
    return out


def clauses(text: str, places: Callable[[str], bool] | None = None) -> list[str]:
    """The message's clauses, in order (one clause: nothing to split); `places` tells which
    words name a place, for « c'est combien la salle des fêtes ? et le gymnase ? »."""
    parts: list[str] = []
    if COUNTED.search(text):  # « 1. c combien le passeport 2. faut ramener quoi »
        text = _NEXT_COUNT.sub("\n", text)
    for sentence in _HARD.split(text.strip()):
        both = _both(sentence, places)
        split = both if len(both) > 1 else (p for s in _soft(sentence) for p in _COMMA.split(s))
        for piece in split:
            piece = _TRAIL.sub("", _LEAD.sub("", piece.strip()).strip(" ,"))
            head = _HEAD.search(parts[-1]) if parts and _STANDS_FOR.match(piece) else None
            if head is not None:
                piece = _STANDS_FOR.sub(head.group(1), piece, count=1)
            elif parts:
                piece = elided(parts[-1], piece, places) or piece
            if re.search(r"\w", piece):
                parts.append(piece)
    if len(parts) < 2:
        return [text]
    # A long message tells its story first and asks last: its first clauses become one,
    # so that every word is kept and the last ones, where the question is, stay apart.
    cut = len(parts) - MAX_CLAUSES + 1
    return [" ".join(parts[:cut]), *parts[cut:]] if cut > 1 else parts


# Where a message turns from an errand to what is happening (« je voulais demander un acte de
# naissance mais là ma fille vient d'avaler… », « pardon je m'interromps : »).
_TURNS = re.compile(
    r"[,;:]?\s+(?:mais (?:là|la|maintenant|voilà|voila)|pardon,? je m'interromps|"
    r"pardon,? je m’interromps|oh mon dieu|oh non)\b[\s,:!]*",
    re.IGNORECASE,
)


def turned(text: str) -> list[str]:
    """A message that turns from an errand to what is happening, in its two parts; the
    whole message when it does not."""
    parts = [p.strip() for p in _TURNS.split(text.strip(), maxsplit=1) if p.strip()]
    return parts if len(parts) == 2 else [text]


def elided(before: str, piece: str, places: Callable[[str], bool] | None = None) -> str | None:
    """The previous question asked again about what an elliptic clause names, if it is one."""
    # « Et vous, à la mairie, c'est pareil ? »: the same asked of the place it names.
    piece = _YOU_AT.sub("", _SAME.sub(" ?", piece.strip()))
    found = _ELLIPSIS.match(piece.strip())
    if found is None:
        return None
    named = found.group(1)
    subject = _SUBJECT.match(before)
    if subject is not None:
        said = subject.group(1)
        replaced = _yours(named, said)
        return replaced + before[subject.end() :]
    tail = _TAIL.search(before)
    if (
        tail is not None
        and places is not None
        and not _YOURS.match(named)
        and places(tail.group(1))
        and places(named)
    ):
        if not named.lower().startswith(("du", "de", "des")) and tail.group(1).lower().startswith(
            ("du", "de", "des")
        ):
            named = "de " + named
        return before[: tail.start()] + named + (tail.group(2) or " ?")
    return None


def _yours(named: str, said: str) -> str:
    """« la vôtre » after « la mairie de Montreuil » is « votre mairie »; « vous », ours."""
    if not _YOURS.match(named):
        return named
    if named.lower() == "vous":
        return "la mairie"
    head = _ARTICLE.sub("", said).split()[0]
    return f"votre {head}"
