"""Reading the assistant like a person: which question it asks, and whether a summary is right.

Keywords, not exact sentences: the assistant rewords a question asked a second time (with an
example and buttons) and offers an agent or a simpler path the third time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from tests.dialogues.model import BookingGoal, ReportGoal
from tests.dialogues.saying import MONTHS, NUMBERS, said_times

Reply = dict[str, Any]


class Ask(StrEnum):
    """What the assistant is waiting for."""

    RESOURCE = "ressource"
    REQUESTER = "demandeur"
    DAY = "date"
    HOURS = "heures"
    SLOT = "creneau"
    QUANTITY = "quantite"
    NAME = "nom"
    CONTACT = "contact"
    ID_CASE = "situation"
    ANTS = "ants"
    CONFIRM_BOOKING = "resume-reservation"
    ALTERNATIVES = "alternatives"
    CATEGORY = "categorie"
    PLACE = "lieu"
    DESCRIPTION = "description"
    PHOTO = "photo"
    CONFIRM_REPORT = "resume-signalement"
    CONFIRM_CANCEL = "confirmer-annulation"
    WHICH_BOOKING = "quelle-reservation"
    SET_ASIDE = "mettre-de-cote"
    RESUME = "reprendre"
    OFFER = "proposer-de-reserver"
    AGENT = "agent"
    ANYTHING_ELSE = "autre-chose"
    REPHRASE = "reformuler"
    UNKNOWN = "question-inconnue"
    NOTHING = "rien"


BOOKING_ASKS = frozenset(
    {
        Ask.RESOURCE,
        Ask.REQUESTER,
        Ask.DAY,
        Ask.HOURS,
        Ask.SLOT,
        Ask.QUANTITY,
        Ask.NAME,
        Ask.CONTACT,
        Ask.ID_CASE,
        Ask.ANTS,
        Ask.CONFIRM_BOOKING,
        Ask.ALTERNATIVES,
    }
)
REPORT_ASKS = frozenset({Ask.CATEGORY, Ask.PLACE, Ask.DESCRIPTION, Ask.PHOTO, Ask.CONFIRM_REPORT})
FORM_ASKS = BOOKING_ASKS | REPORT_ASKS


def norm(text: str) -> str:
    """Lower case, no accents, straight apostrophes and quotes, single spaces."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    text = unicodedata.normalize("NFD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text.replace("«", '"').replace("»", '"')).strip()


# In this order: the first that matches names the question.
RULES: tuple[tuple[Ask, str], ...] = (
    (Ask.WHICH_BOOKING, r"\blaquelle\b|quelle reservation|lesquelles"),
    (Ask.CONFIRM_CANCEL, r"annul"),
    (Ask.SET_ASIDE, r"de cote|en attente|en pause|pour plus tard|suspend"),
    (Ask.RESUME, r"reprend|reprenons|revenir a|on continue|continuer (la|votre|notre)"),
    (
        Ask.CONFIRM_REPORT,
        r"envoi|envoy|transmet|enregistre (le|ce|votre) signalement|valide\w* (le|ce) sign",
    ),
    (
        Ask.CONFIRM_BOOKING,
        r"confirm|je (la |le |les |vous )?reserve\b|valide\w* (la|cette|votre) (reservation"
        r"|demande)|tout est (bon|correct|juste)|c'est bien (ca|cela)",
    ),
    (Ask.AGENT, r"\bagent|conseill|un humain|quelqu'un de (l'accueil|la mairie)"),
    (
        Ask.OFFER,
        r"^(est-ce que )?(vous )?(voulez|souhaitez|veux|desirez|aimeriez|voudriez)(-vous)?\b"
        r".*(reserv|emprunt|pret|demande)|voulez-vous que je|je vous (les |le |la |en )?"
        r"(reserve|prete)\b|^dois-je|^on (le |la |les )?reserve",
    ),
    (Ask.PHOTO, r"photo"),
    (Ask.DESCRIPTION, r"decri|description|en quelques mots|que se passe|quel est le probleme"),
    (
        Ask.CATEGORY,
        r"type de probleme|quel (genre|type|sorte) de|quel probleme|s'agit-il|categorie",
    ),
    (Ask.ANTS, r"\bants\b|pre-?demande"),
    (Ask.ID_CASE, r"premiere demande|renouvellement|perte|situation"),
    (Ask.CONTACT, r"telephone|e-?mail|courriel|vous joindre|coordonnees|portable|contacter"),
    (
        Ask.PLACE,
        r"^ou\b|\bou (se trouve|est|exactement|ca|cela)\b|quelle rue|quel endroit|quelle adresse"
        r"|localis|position|a quel endroit|dans quelle",
    ),
    (Ask.SLOT, r"creneau|creneaux|lequel vous convient|lequel choisi|quelle heure vous convient"),
    (Ask.HOURS, r"heure|horaire|a partir de|jusqu'a|combien de temps"),
    (Ask.DAY, r"date|quel jour|quand|quelle journee|autre jour|quel autre"),
    (Ask.QUANTITY, r"combien|quantite|nombre de"),
    (Ask.REQUESTER, r"pour qui|vous-meme|habitant|association|exterieur|particulier"),
    (Ask.NAME, r"\bnom\b"),
    (Ask.RESOURCE, r"reserver|que souhaitez|quoi|quelle (salle|ressource)"),
    (
        Ask.ANYTHING_ELSE,
        r"autre chose|aider autrement|autre question|puis-je vous aider|que puis-je",
    ),
    (Ask.REPHRASE, r"reformuler|pas (bien )?compris|pas saisi"),
)
_COMPILED = tuple((ask, re.compile(pattern)) for ask, pattern in RULES)
# A request without a question mark: « Indiquez la rue… », « Répondez par exemple … ».
PROMPT = re.compile(
    r"\b(indiquez|envoyez|ecrivez|choisissez|precisez|donnez|dites|repondez|tapez|pouvez-vous)\b"
)
DONE_REFERENCE = re.compile(r"\b[A-Z]{3}-[A-Z0-9]{4}\b")
DATE_TITLE = re.compile(
    r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|" + "|".join(MONTHS) + r")\b"
)
QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"")
HANDOFF = re.compile(
    r"transmets votre message|un agent (de l'accueil )?va vous repondre|agent vous repondra"
    r"|un agent (de l'accueil )?vous repond"
)


def rule(text: str) -> Ask | None:
    said = norm(text)
    return next((ask for ask, pattern in _COMPILED if pattern.search(said)), None)


def sentences(text: str) -> list[str]:
    return [p for p in re.split(r"(?<=[.!?:])\s+|\n+", text.strip()) if p.strip()]


def questions(text: str) -> list[str]:
    """The sentences of a message that end with a question mark."""
    return [p for p in sentences(text) if p.rstrip().endswith("?")]


def classify(replies: Sequence[Reply]) -> Ask:
    """What the assistant waits for after these replies (one turn)."""
    # A question between quotes is an example (« où en est mon signalement SIG-4F7P ? »).
    raw = [str(r.get("text") or "") for r in replies]
    texts = [QUOTED.sub("", t) for t in raw]
    asking = [t for t in texts if "?" in t]
    if asking:
        last = asking[-1]
        for chunk in [*reversed(questions(last)), last]:
            found = rule(chunk)
            if found is not None:
                return _besides_agent(found, last)
        return Ask.UNKNOWN
    last = texts[-1] if texts else ""
    summary = _summary(texts)
    if summary is not None:
        return summary
    # « C'est réservé : … Pour annuler, écrivez-moi … » tells how to do later: nothing is asked.
    if not DONE_REFERENCE.search(raw[-1] if raw else "") and PROMPT.search(norm(last)):
        found = rule(last)
        return _besides_agent(found, last) if found is not None else Ask.UNKNOWN
    titles = [b.get("title", "") for b in buttons(replies)]
    if titles and any(DATE_TITLE.search(norm(t)) for t in titles):
        return Ask.ALTERNATIVES
    return Ask.UNKNOWN if titles else Ask.NOTHING


def _summary(texts: Sequence[str]) -> Ask | None:
    """A summary waiting for a yes, even when it is worded without a question mark."""
    for text in reversed(texts):
        said = norm(text)
        if re.match(r"(et )?voici votre signalement", said):
            return Ask.CONFIRM_REPORT
        if re.match(r"(et )?(voici votre (demande|reservation)|recapitulatif)", said):
            return Ask.CONFIRM_BOOKING
    return None


def _besides_agent(found: Ask, text: str) -> Ask:
    """An agent offered beside the question again (« … ou demander à parler à un agent »):
    the question is still what is asked."""
    if found is not Ask.AGENT:
        return found
    others = " ".join(s for s in sentences(text) if "agent" not in norm(s))
    again = rule(others) if others else None
    return again if again is not None and again in FORM_ASKS else found


def buttons(replies: Sequence[Reply]) -> list[dict[str, str]]:
    return [b for r in replies for b in (r.get("buttons") or []) if isinstance(b, dict)]


def text_of(replies: Sequence[Reply]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


# -- summaries --------------------------------------------------------------------------------

RESOURCE_WORDS = {
    "salle-des-fetes": r"salle des fetes",
    "salle-des-associations": r"salle des associations",
    "gymnase": r"gymnase",
    "tables": r"\btables?\b",
    "chaises": r"\bchaises?\b",
    "barnums": r"\bbarnums?\b",
    "sonorisation": r"\bsono",
    "rdv-titres": r"rendez-vous|passeport|carte d'identite",
}


def _said(text: str, forms: Sequence[str]) -> bool:
    return any(re.search(rf"(?<![\d]){re.escape(norm(f))}(?![\d])", text) for f in forms)


def booking_summary_wrong(summary: str, goal: BookingGoal, slot_minutes: int) -> str | None:
    """The first fact a booking summary gets wrong or leaves out: resource, day, hours,
    quantity or name; None when the resident can say yes."""
    text = norm(summary)
    for item in goal.items:
        if not re.search(RESOURCE_WORDS[item.resource], text):
            return "resource"
    day = goal.moment.day
    numbers = ("1er", "1") if day.day == 1 else (str(day.day),)
    month = norm(MONTHS[day.month - 1])
    written = [f"{n} {month}" for n in numbers] + [f"{day:%d/%m}", f"{day.day}/{day.month:02d}"]
    if not any(re.search(rf"(?<!\d){re.escape(w)}", text) for w in written):
        return "day"
    start, end = goal.moment.start, goal.moment.end
    if start is not None and not _said(text, said_times(start)):
        return "hours"
    if start is not None and end is not None:
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        if minutes > slot_minutes and not _said(text, said_times(end)):
            return "hours"
    for item in goal.items:
        if item.quantity > 1:
            word = NUMBERS.get(item.quantity, "#")
            pattern = rf"(?<!\d)({item.quantity}|{word})\s+{RESOURCE_WORDS[item.resource]}"
            if not re.search(pattern, text):
                return "quantity"
    if re.search(r"\bnom\b", text) and norm(goal.name_key) not in text:
        return "name"
    return None


def report_summary_wrong(summary: str, goal: ReportGoal, category_name: str) -> str | None:
    """The first fact a report summary gets wrong: category or street; None if right."""
    text = norm(summary)
    if norm(category_name) not in text:
        return "category"
    if norm(goal.street) not in text:
        return "street"
    return None
