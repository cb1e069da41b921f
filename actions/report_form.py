"""The street report form: what, where (a street or a shared position), a description and
perhaps a photo, read from whatever the resident writes or sends."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.booking_form import NOT_ANSWERS, Turn, after_interruption
from actions.context import commune
from bot import places
from bot.names import ANSWERED_INTENTS, REPORT_SLOTS, Action, Intent, Slot

# Intents that leave the form to a rule when the message gives no report detail.
INTERRUPTIONS = frozenset(
    {*ANSWERED_INTENTS, Intent.REQUEST_HUMAN, Intent.STOP, Intent.MY_REPORTS, Intent.MY_BOOKINGS}
)
NO_PHOTO = "aucune"
_DECLINES = frozenset({Intent.SKIP_PHOTO, Intent.DENY})


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
    photo = metadata.get("photo")
    return str(photo) if isinstance(photo, int | str) and str(photo).isdigit() else None


class ValidateReportForm(FormValidationAction):
    """Fills and checks the report slots; decides what to ask next."""

    def name(self) -> str:
        return Action.VALIDATE_REPORT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn({s.value: tracker.get_slot(s.value) for s in REPORT_SLOTS})
        if not after_interruption(tracker):
            message = tracker.latest_message or {}
            intent = (message.get("intent") or {}).get("name")
            requested = tracker.get_slot(REQUESTED_SLOT)
            metadata = message.get("metadata") or {}
            given = {e.get("entity"): e.get("value") for e in message.get("entities") or [] if e}
            read(turn, message.get("text") or "", intent, requested, metadata, given)
            if not turn.changed and not turn.said and intent in INTERRUPTIONS:
                return []  # the form is rejected and a rule answers
            if not turn.changed and requested:
                turn.set(Slot(requested), None)
            for said in turn.said:
                dispatcher.utter_message(text=said["text"], buttons=said["buttons"])
        following = next((s for s in REPORT_SLOTS if not turn.values.get(s.value)), None)
        events: list[EventType] = [SlotSet(k, v) for k, v in turn.changed.items()]
        return [*events, SlotSet(REQUESTED_SLOT, following.value if following else None)]


def read(
    turn: Turn,
    text: str,
    intent: str | None,
    requested: str | None,
    metadata: dict[str, Any],
    given: dict[str, Any],
) -> None:
    """Every report detail of one message: buttons, position, photo, then words."""
    territory = commune().data.signalements
    category = given.get(Slot.CATEGORY.value)
    if category in territory.categories:
        turn.set(Slot.CATEGORY, category)
        return
    position = _position(metadata)
    if position is not None:
        if territory.limites.contains(*position):
            turn.set(Slot.PLACE, position_slot(*position))
        else:
            turn.say("position_hors_commune")
    photo = _photo(metadata)
    if photo:
        turn.set(Slot.PHOTO, photo)
    if position is not None or photo:
        return
    if requested == Slot.PHOTO and intent in _DECLINES:
        turn.set(Slot.PHOTO, NO_PHOTO)
        return
    described = intent not in NOT_ANSWERS and not text.rstrip().endswith("?")
    if requested == Slot.DESCRIPTION and described and text.strip():
        turn.set(Slot.DESCRIPTION, text.strip()[:2000])
        return
    found = places.category_of(text, territory.categories, territory.rues)
    if found and not turn.get(Slot.CATEGORY):
        turn.set(Slot.CATEGORY, found[0])
    street = places.match_street(text, territory.rues)
    if street is not None:
        turn.set(Slot.PLACE, street.street.nom)
        if not street.exact:
            turn.say("rue_comprise", rue=street.street.nom)
    elif requested == Slot.PLACE and intent not in INTERRUPTIONS and text.strip():
        turn.say("rue_inconnue", texte=text.strip()[:80])
    if intent == Intent.REPORT_PROBLEM and found and not turn.get(Slot.DESCRIPTION):
        # The first message of a report usually is its description.
        turn.set(Slot.DESCRIPTION, text.strip()[:2000])
