"""Several requests in one message (« votre adresse et vos horaires ? »): which clauses are
requests of their own, each then sent to Rasa as its own turn, and which only give context
(« mon passeport a été volé », « c'est pour le 12 ») and go with their neighbour."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import topics, wish
from bot.catalogue import ANSWERS
from bot.commune import Commune
from bot.directory import everywhere
from bot.names import ANSWERED_INTENTS, Intent
from calendar_store.wording import noun

QUESTIONS = ANSWERED_INTENTS - {Intent.GREET, Intent.THANK, Intent.GOODBYE, Intent.OUT_OF_SCOPE}
FAQ = frozenset(i.value for i in QUESTIONS)
# What a clause must be understood as, and how surely, to be a request of its own:
# questions and wishes, never a bare « oui », a date or small talk.
SPLITTABLE = FAQ | {
    "ask_resource",
    "ask_elsewhere",
    "book",
    "report_problem",
    "my_bookings",
    "cancel_booking",
    "report_status",
    "my_reports",
    "request_human",
}
SPLIT_CONFIDENCE = 0.5
# Requests that may come twice in one message, about two different things (« qui peut
# emprunter les chaises, et la sono est-elle gratuite ? »).
TWICE = frozenset({"ask_resource", "ask_elsewhere"})
# A question (« vos horaires ? », « les horaires svp »), and the statement of a situation
# (« mon passeport a été volé »): a frequent question counts only when asked.
ASKED = re.compile(
    r"\?|^(?:est[ -]ce|qu'est|comment|combien|quand|où|ou |quel|quelle|quels|quelles|"
    r"pourquoi|faut[ -]il|c'est quoi|c koi|c quoi|à quelle|a quelle|y a[ -]t[ -]il)|"
    r"\b(?:svp|stp|s'il vous pla[iî]t|je voudrais savoir|j'aimerais savoir|je cherche|"
    r"pouvez[ -]vous|pourriez[ -]vous|dites[ -]moi|donnez[ -]moi|indiquez[ -]moi)\b",
    re.IGNORECASE,
)
STATED = re.compile(
    r"^(?:je |j'|j’|nous |on |il |elle |ils |elles |mon |ma |mes |notre |nos |c'est pour |"
    r"ça fait |ca fait |depuis |hier |ce matin )",
    re.IGNORECASE,
)
_BY_KEY = {key: intent.value for intent, key in ANSWERS.items()}


def requests(
    text: str,
    pieces: Sequence[str],
    understood: Sequence[tuple[str | None, float]],
    commune: Commune,
) -> list[str]:
    """The message as one turn, or as one turn per request it holds."""
    asking = "?" in text or re.search(r"\b(?:svp|stp)\b", text, re.IGNORECASE) is not None
    groups: list[list[str]] = []
    intents: list[str] = []
    pending: list[str] = []
    for piece, (intent, confidence) in zip(pieces, understood, strict=True):
        kind = _kind(piece, intent, confidence, commune)
        new = kind is not None and (kind not in intents or kind in TWICE)
        if kind in FAQ:
            new = new and (
                ASKED.search(piece.strip()) is not None
                or (asking and not STATED.match(piece.strip()))
            )
        if kind == "ask_resource" and not _resources(piece, commune):
            new = False  # « quel serait le tarif ? » is about the room named before
        if new and kind is not None:
            groups.append([*pending, piece])
            intents.append(kind)
            pending = []
        elif groups:
            groups[-1].append(piece)
        else:
            pending.append(piece)
    if len(groups) < 2:
        return [text]
    groups[-1] += pending
    return [" ".join(group) for group in groups]


def _kind(piece: str, intent: str | None, confidence: float, commune: Commune) -> str | None:
    """What a clause asks: Rasa's intent when sure, else what the commune's words say."""
    if intent in SPLITTABLE and confidence >= SPLIT_CONFIDENCE:
        return intent
    if everywhere(piece, commune.data.annuaire, commune.name):
        return "ask_elsewhere"
    key = topics.best(piece, commune.data.mots_des_reponses)
    return _BY_KEY.get(key) if key else None


def _resources(piece: str, commune: Commune) -> list[str]:
    named = [
        wish.Named(slug, (noun(e.nom).bare, *e.synonymes))
        for slug, e in commune.data.ressources.items()
    ]
    return wish.items_in(piece, named)
