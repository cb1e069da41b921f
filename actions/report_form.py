"""The street report form: what, where (a street or a shared position), a description and
perhaps a photo, read from whatever the resident writes or sends, then the summary's yes."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions import flow
from actions.context import commune
from bot import answers, places, topics, wish
from bot.answers import Short
from bot.catalogue import ANSWERS
from bot.names import REPORT_SLOTS, THEN_REPORTS, Action, Intent, Slot

FORM = Action.REPORT_FORM.value
NO_PHOTO = "aucune"
# The most street problems one message may queue after the first.
MAX_LATER = 3
_BY_KEY = {key: intent for intent, key in ANSWERS.items()}
# « pas de photo », « j'en ai pas », « pas dispo »: no photo, however it is said.
_NO_PHOTO = re.compile(
    r"\b(?:pas de photo|pas de photos|sans photo|aucune photo|pas d image|pas de photo dispo|"
    r"j en ai pas|j en ai aucune|je n en ai pas|je n ai pas de photo|j ai pas de photo|"
    r"pas pris de photo|pas eu le temps|pas dispo|pas possible|impossible|je peux pas|"
    r"je ne peux pas|pas de telephone|pas d appareil|ca marche pas|ca ne marche pas|"
    r"je sais pas faire|je ne sais pas faire|pas besoin|non merci|plus tard|rien a envoyer|"
    r"pas pour l instant|pas pour le moment|pas maintenant|pas tout de suite|pas sous la main|"
    r"pas sur moi)\b"
)
# « non mercii », « nan » : a no however the rest is spelt.
_STARTS_NO = re.compile(r"(?:non|nan|nope|no)\b")
_SEND_WORDS = re.compile(
    r"\b(?:envoie|envoye|envoyer|envoi|j envoie|je vous l envoie|tenez|voila)\b"
)


def position_slot(lat: float, lon: float) -> str:
    """How a shared position is kept in the place slot."""
    return f"{lat:.6f},{lon:.6f}"


def position_of(place: str | None) -> tuple[float, float] | None:
    """The position a place slot holds, or None for a street."""
    if not place or "," not in place:
        return None
    try:
        lat, lon = (float(part) for part in place.split(",", 1))
    except ValueError:
        return None
    return lat, lon


def _position(metadata: dict[str, Any]) -> tuple[float, float] | None:
    location = metadata.get("location")
    if not isinstance(location, dict):
        return None
    try:
        return float(location["lat"]), float(location["lon"])
    except (KeyError, TypeError, ValueError):
        return None


def _photo(metadata: dict[str, Any]) -> str | None:
    # The photo's random public id (the gateway let through only one this conversation sent).
    photo = metadata.get("photo")
    return photo if isinstance(photo, str) and re.fullmatch(r"[0-9a-f]{32}", photo) else None


class ValidateReportForm(FormValidationAction):
    """Fills and checks the report slots; decides what to ask next."""

    def name(self) -> str:
        return Action.VALIDATE_REPORT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = flow.Turn({s.value: tracker.get_slot(s.value) for s in REPORT_SLOTS})
        requested = tracker.get_slot(REQUESTED_SLOT)
        switched = tracker.get_slot(Slot.SWITCH_TEXT)
        if switched and requested is None:
            # Started from another flow: the message that asked for the report is the one
            # to read, not the « oui » that set the other flow aside.
            message = flow.Message(str(switched), Intent.REPORT_PROBLEM, 1.0, {}, {})
            turn.set(Slot.SWITCH_TEXT, None)
            decided = decide(turn, message, None)
        elif flow.fresh(tracker, FORM) or (requested is None and not flow.resumed(tracker, FORM)):
            message = flow.latest(tracker)
            decided = decide(turn, message, requested)
            if decided is False:
                return []  # the form is rejected and a rule answers
            if requested is None:
                _later(turn, message)
        else:
            decided = _next(turn)
        turn.utter(dispatcher)
        events: list[EventType] = [SlotSet(k, v) for k, v in turn.changed.items()]
        if decided is True:  # nothing understood: the question goes out again
            count, state = flow.missed(tracker, str(requested), explained=bool(turn.said))
            if count >= flow.MAX_MISSES:
                return [
                    *events,
                    SlotSet(Slot.REPORT_CONFIRM, "agent"),
                    SlotSet(REQUESTED_SLOT, None),
                ]
            return [*events, SlotSet(Slot.ASKED, state), SlotSet(REQUESTED_SLOT, requested)]
        return [*events, SlotSet(REQUESTED_SLOT, decided)]


def _later(turn: flow.Turn, message: flow.Message) -> None:
    """Other street problems the message that opened the report told (the gateway found
    them): kept to be filed after this one, each with its own number, and said so."""
    told = message.metadata.get(THEN_REPORTS)
    if not isinstance(told, list):
        return
    later = [str(text)[:2000] for text in told[:MAX_LATER] if str(text).strip()]
    if not later:
        return
    territory = commune().data.signalements
    kinds = [places.category_of(text, territory.categories, territory.rues) for text in later]
    keys = [found[0] if found else "autre" for found in kinds]
    names = [territory.categories[key].nom for key in keys if key in territory.categories]
    turn.set(Slot.REPORT_NEXT, later)
    said = commune().message("signalements_ensuite", categories=names)
    turn.tell(said, topic=f"report:{keys[0]}")


def _next(turn: flow.Turn) -> str | None:
    following = next((s for s in REPORT_SLOTS if not turn.values.get(s.value)), None)
    return following.value if following else None


def decide(turn: flow.Turn, message: flow.Message, requested: str | None) -> str | bool | None:
    """The slot to ask next, None when the form ends, True when nothing was understood (ask
    again), False when a rule must answer the message instead."""
    said = message.short()
    if requested == Slot.FLOW_SWITCH:
        if said is Short.YES or (said is None and message.sure(Intent.AFFIRM)):
            turn.set(Slot.REPORT_CONFIRM, "switch")
            return None
        turn.set(Slot.SWITCH_TO, None)
        turn.set(Slot.SWITCH_TEXT, None)
        turn.say("on_continue")
        return _next(turn)
    if requested == Slot.REPORT_CONFIRM and said is Short.YES:
        turn.set(Slot.REPORT_CONFIRM, "yes")
        return None
    if said is Short.STOP or (said is None and answers.abandons(message.text)):
        turn.set(Slot.REPORT_CONFIRM, "stop")
        return None
    if requested is None and wish.reference_in(message.text, ("SIG",)):
        turn.set(Slot.REPORT_CONFIRM, "status")  # « où en est SIG-4F7P ? » said as a problem
        return None
    if requested is None and not _category(message) and _frequent(turn, message):
        turn.set(Slot.REPORT_CONFIRM, "done")  # a question to the town hall, not a report
        return None
    if requested is None and not _category(message) and _resource_named(message):
        turn.set(Slot.REPORT_CONFIRM, "booking")  # « la salle de l'avenue des Tilleuls… ? »
        return None
    if (
        requested is None
        and not _category(message)
        and flow.not_ours(turn, message, also_sure=True)
    ):
        turn.set(Slot.REPORT_CONFIRM, "done")  # « plus de courant chez moi »: Enedis
        return None
    if requested == Slot.REPORT_CONFIRM and said in (Short.NO, Short.NO_THANKS):
        turn.set(Slot.REPORT_CONFIRM, "stop")
        return None
    if requested == Slot.PHOTO and not _photo(message.metadata):
        refused = _NO_PHOTO.search(message.words) or (
            _STARTS_NO.match(message.words) and not _SEND_WORDS.search(message.words)
        )
        if said in (Short.NO, Short.NO_THANKS, Short.DONT_KNOW) or refused:
            turn.set(Slot.PHOTO, NO_PHOTO)
            return _next(turn)
        if message.sure(Intent.SKIP_PHOTO, Intent.DENY) and not _SEND_WORDS.search(message.words):
            turn.set(Slot.PHOTO, NO_PHOTO)
            return _next(turn)
        if said is Short.YES or _SEND_WORDS.search(message.words):
            return True  # « oui » but no photo came: the question says how to send it
    if message.sure(Intent.BOOK) and requested != Slot.DESCRIPTION:
        turn.set(Slot.SWITCH_TO, "booking")
        turn.set(Slot.SWITCH_TEXT, message.text[:2000])
        return Slot.FLOW_SWITCH.value
    if flow.asks_the_desk(message) and requested != Slot.DESCRIPTION:
        return False
    read(turn, message, requested)
    if requested == Slot.REPORT_CONFIRM and not turn.changed and answers.leans_yes(message.text):
        turn.set(Slot.REPORT_CONFIRM, "yes")  # « Oui c'est bien ça, vous pouvez valider. »
        return None
    if not turn.changed and not turn.said:
        if flow.interrupts(message) or message.sure(Intent.ASK_RESOURCE):
            return False
        return True if requested else _next(turn)
    if requested == Slot.REPORT_CONFIRM and turn.changed:
        turn.set(Slot.REPORT_CONFIRM, None)  # a correction: the summary comes again
    following = _next(turn)
    return True if following == requested and not turn.changed else following


def read(turn: flow.Turn, message: flow.Message, requested: str | None) -> None:
    """Every report detail of one message: buttons, position, photo, then words."""
    territory = commune().data.signalements
    category = message.entities.get(Slot.CATEGORY.value)
    if category in territory.categories:
        turn.set(Slot.CATEGORY, category)
        return
    position = _position(message.metadata)
    if position is not None:
        if territory.limites.contains(*position):
            turn.set(Slot.PLACE, position_slot(*position))
        else:
            turn.say("position_hors_commune")
    photo = _photo(message.metadata)
    if photo:
        turn.set(Slot.PHOTO, photo)
    if position is not None or photo:
        return
    text = message.text.strip()
    question = flow.is_question(message) and message.intent != Intent.REPORT_PROBLEM
    if requested == Slot.DESCRIPTION and text and not question:
        turn.set(Slot.DESCRIPTION, text[:2000])
        return
    found = places.category_of(text, territory.categories, territory.rues)
    named = _category_named(message) if requested == Slot.REPORT_CONFIRM else None
    if named is not None:
        turn.set(Slot.CATEGORY, named)  # « non, c'est un problème de propreté »
    elif found and (not turn.get(Slot.CATEGORY) or requested == Slot.CATEGORY):
        turn.set(Slot.CATEGORY, found[0])
    elif requested == Slot.CATEGORY and _other(message):
        turn.set(Slot.CATEGORY, "autre")
    street = places.match_street(text, territory.rues)
    if street is not None:
        turn.set(Slot.PLACE, street.street.nom)
        if not street.exact:
            turn.say("rue_comprise", rue=street.street.nom)
    elif requested == Slot.PLACE and text and not flow.interrupts(message):
        turn.say("rue_inconnue", texte=text[:80])
    if message.intent == Intent.REPORT_PROBLEM and found and not turn.get(Slot.DESCRIPTION):
        # The first message of a report usually is its description.
        turn.set(Slot.DESCRIPTION, text[:2000])


def _frequent(turn: flow.Turn, message: flow.Message) -> bool:
    """A question the commune's answers cover, taken for a report (« l'adresse e-mail de la
    mairie ? »): the answer instead of the report's first question."""
    if not flow.is_question(message):
        return False
    key = topics.best(message.text, commune().data.mots_des_reponses)
    if key is None:
        return False
    turn.tell(commune().answer(key), topic=_BY_KEY[key].value)
    return True


def _resource_named(message: flow.Message) -> bool:
    from actions.booking_reading import named_resources

    return bool(wish.items_in(message.text, named_resources()))


def _category(message: flow.Message) -> str | None:
    territory = commune().data.signalements
    found = places.category_of(message.text, territory.categories, territory.rues)
    return found[0] if found else None


def _category_named(message: flow.Message) -> str | None:
    """A category named by its own name, as a correction (« catégorie : autre »)."""
    categories = commune().data.signalements.categories
    for key, category in categories.items():
        first = answers.plain(category.nom).split()[0]
        if key != "autre" and re.search(
            rf"\b(?:{re.escape(key)}|{re.escape(first)})\b", message.words
        ):
            return key
    # « autre » alone may be « une autre rue »: only with the word of a category.
    about = re.search(r"\b(?:categorie|probleme de|type)\b", message.words)
    return "autre" if about and _other(message) else None


def _other(message: flow.Message) -> bool:
    """« autre », « rien de tout ça »: the category « autre »."""
    return (
        re.search(
            r"\b(?:autre|autres|aucun de|rien de tout|divers|pas dans la liste)\b", message.words
        )
        is not None
    )
