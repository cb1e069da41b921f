"""The booking form: reads every detail a message gives, checks it, and says what is missing.

Rasa recognises the intent; this validator reads the details itself (resource, dates, numbers,
contact) from the text, so one message can fill several slots and a later one can correct them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions.context import calendar, commune, local_now, zone
from bot import booking, wish
from bot.dates import When, say_date, understand
from bot.hours import say_time
from bot.names import ANSWERED_INTENTS, BOOKING_SLOTS, Action, Intent, Slot
from bot.typography import french
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Contact,
    Kind,
    Refusal,
    Requester,
    ResourceSpec,
    Unit,
)
from calendar_store.wording import noun, only

# Intents that leave the form to a rule when the message gives no booking detail.
INTERRUPTIONS = frozenset(
    {*ANSWERED_INTENTS, Intent.REQUEST_HUMAN, Intent.STOP, Intent.MY_BOOKINGS}
)
# Intents whose message is no answer to a free-text question (a name, a description): a
# name is often "out of scope" to the classifier ("Paul Durand"), so that one stays possible.
NOT_ANSWERS = INTERRUPTIONS - {Intent.OUT_OF_SCOPE}
# Actions that answer in the middle of the form; after them the form runs again.
_INTERRUPTING = frozenset(
    {Action.ANSWER, Action.HUMAN, Action.MY_BOOKINGS, Action.MY_REPORTS, Action.REPORT_STATUS}
)
# Only used to ask the calendar whether a moment is free before the resident gave a contact.
_PROBE = Contact(name="vérification", type=Requester.RESIDENT, email="verification@invalid")


@dataclass
class Turn:
    """What this message changes, and what to tell the resident about it."""

    values: dict[str, Any]
    changed: dict[str, Any] = field(default_factory=dict)
    said: list[dict[str, Any]] = field(default_factory=list)

    def set(self, slot: Slot, value: Any) -> None:
        self.values[slot.value] = value
        self.changed[slot.value] = value

    def get(self, slot: Slot) -> Any:
        return self.values.get(slot.value)

    def say(self, key: str, buttons: list[dict[str, str]] | None = None, **values: Any) -> None:
        self.said.append({"text": commune().message(key, **values), "buttons": buttons or []})


def named_resources() -> list[wish.Named]:
    """Each resource with the names residents use for it."""
    entries = commune().data.ressources
    return [wish.Named(slug, (noun(e.nom).bare, *e.synonymes)) for slug, e in entries.items()]


def spec_of(slug: Any) -> ResourceSpec | None:
    return next((s for s in commune().resources() if s.slug == slug), None)


def alternative_buttons(spec: ResourceSpec, periods: Any) -> list[dict[str, str]]:
    """Buttons that select each free period: the slots travel in the payload."""
    tz = zone()
    return [
        {
            "title": booking.say_period(spec, p.start, p.end, tz),
            "payload": f"/{Intent.INFORM}{json.dumps(booking.slots_of(spec, p, tz))}",
        }
        for p in periods
    ]


class ValidateBookingForm(FormValidationAction):
    """Fills, corrects and checks the booking slots; decides what to ask next."""

    def name(self) -> str:
        return Action.VALIDATE_BOOKING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        turn = Turn({s.value: tracker.get_slot(s.value) for s in BOOKING_SLOTS})
        if after_interruption(tracker):
            # Back from a question answered in the middle: the message was not for the form,
            # only say which slot comes next (Rasa alone would only know booking_resource).
            following = booking.filled(turn.values, spec_of(turn.get(Slot.RESOURCE)))
            return [SlotSet(REQUESTED_SLOT, following.value if following else None)]
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name")
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = message.get("text") or ""
        # A question asked instead of an answer is not a name ("la mairie ouvre à quelle heure ?").
        free_text = intent not in NOT_ANSWERS and not text.rstrip().endswith("?")
        read(turn, text, message.get("entities") or [], requested, free_text=free_text)
        if not turn.changed and not turn.said and intent in INTERRUPTIONS:
            return []  # the form is rejected and a rule answers (a question, "stop", …)
        if not turn.changed and requested:
            # Nothing usable: say what is expected; setting the slot keeps the form going.
            if not turn.said and requested in (Slot.DAY, Slot.TIME):
                turn.say("date_incomprise")
            turn.set(Slot(requested), None)
        check(turn)
        for said in turn.said:
            dispatcher.utter_message(text=said["text"], buttons=said["buttons"])
        spec = spec_of(turn.get(Slot.RESOURCE))
        following = booking.filled(turn.values, spec)
        channel, _, number = tracker.sender_id.partition(":")
        if following is Slot.CONTACT and channel == "sms" and number.startswith("+"):
            # Writing by SMS, the resident is reachable at the number they write from.
            turn.set(Slot.CONTACT, number)
            following = booking.filled(turn.values, spec)
        events: list[EventType] = [SlotSet(k, v) for k, v in turn.changed.items()]
        return [*events, SlotSet(REQUESTED_SLOT, following.value if following else None)]


def after_interruption(tracker: Tracker) -> bool:
    """Whether the form runs again after a rule answered in its middle (no new answer then).

    Rasa appends the form's own execution to the tracker it sends; the action before it
    tells whether the form follows the resident's message or an interruption.
    """
    actions = [e.get("name") for e in tracker.events if e.get("event") == "action"]
    return len(actions) >= 2 and actions[-2] in _INTERRUPTING


def read(
    turn: Turn,
    text: str,
    entities: list[dict[str, Any]],
    requested: str | None,
    *,
    free_text: bool = True,
) -> None:
    """Every detail the message gives, from button payloads first, then from the words."""
    given = {e.get("entity"): e.get("value") for e in entities if e.get("value") is not None}
    for slot in BOOKING_SLOTS:
        if slot.value in given:
            turn.set(slot, given[slot.value])
    if given:
        return
    resource = wish.resource_in(text, named_resources())
    if resource and resource != turn.get(Slot.RESOURCE):
        if turn.get(Slot.RESOURCE):  # another resource: its hours and quantities differ
            turn.set(Slot.TIME, None)
            turn.set(Slot.QUANTITY, None)
        turn.set(Slot.RESOURCE, resource)
    spec = spec_of(turn.get(Slot.RESOURCE))
    contact = wish.phone_in(text) or wish.email_in(text)
    ants = wish.ants_number_in(text) if spec and spec.kind is Kind.APPOINTMENT else None
    if contact:
        turn.set(Slot.CONTACT, contact)
    elif requested == Slot.CONTACT:
        turn.say("contact_invalide")
    if spec and spec.kind is Kind.APPOINTMENT:
        case = wish.id_case_in(text)
        if case:
            turn.set(Slot.ID_CASE, case)
        if ants:
            turn.set(Slot.ANTS, ants)
        elif requested == Slot.ANTS and any(c.isdigit() for c in text):
            turn.say("ants_invalide")
            return
        if {Slot.ID_CASE.value, Slot.ANTS.value} & set(turn.changed) and (
            turn.get(Slot.ID_CASE) and turn.get(Slot.ANTS)
        ):
            # The documents to bring, once the situation is known, before the slots.
            turn.said.append({"text": commune().documents(turn.get(Slot.ID_CASE)), "buttons": []})
    elif spec:
        requester = wish.requester_in(text, named_resources())
        if requester:
            turn.set(Slot.REQUESTER, requester.value)
    if requested == Slot.NAME and free_text and not wish.corrects(text):
        name = wish.name_in(text)
        if name:
            turn.set(Slot.NAME, name)
            return
    if contact or ants or wish.looks_like_phone(text):
        return  # numbers that are not dates
    if spec and spec.kind is Kind.EQUIPMENT:
        quantity = wish.quantity_in(text, (noun(spec.name).bare,), alone=requested == Slot.QUANTITY)
        if quantity:
            turn.set(Slot.QUANTITY, float(quantity))
            if requested == Slot.QUANTITY:
                return
    when = understand(text, local_now())
    if when is not None:
        _read_when(turn, when, spec, requested)


def _read_when(turn: Turn, when: When, spec: ResourceSpec | None, requested: str | None) -> None:
    tz = zone()
    start = when.start.astimezone(tz)
    if when.grain in ("day", "hour", "minute", "second") or when.has_time:
        turn.set(Slot.DAY, start.date().isoformat())
    if not when.has_time or spec is None or spec.unit is Unit.DAY:
        if requested == Slot.TIME and spec is not None and spec.unit is not Unit.DAY:
            turn.set(Slot.TIME, None)
        return
    if spec.unit is Unit.SLOT:
        turn.set(Slot.TIME, f"{start:%H:%M}")
    elif when.end is not None:
        end = when.end.astimezone(tz)
        turn.set(Slot.TIME, f"{start:%H:%M}-{end:%H:%M}")
    elif requested == Slot.TIME:
        turn.say("heures_incomprises", horaires=hours_of(spec, start.date()))
        turn.set(Slot.TIME, None)


def hours_of(spec: ResourceSpec, day: date) -> str:
    windows = [w for w in spec.windows if w.weekday == day.weekday()]
    if not windows:
        return "fermé ce jour-là"
    parts = [f"de {say_time(_clock(w.start))} à {say_time(_clock(w.end))}" for w in windows]
    return " et ".join(parts)


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def check(turn: Turn) -> None:
    """Ask the calendar as soon as the wish is precise enough; undo what it refuses."""
    spec = spec_of(turn.get(Slot.RESOURCE))
    if spec is None:
        return
    requester = Requester(turn.get(Slot.REQUESTER) or Requester.RESIDENT)
    if turn.get(Slot.REQUESTER) and requester not in spec.allowed:
        turn.say("non_autorise", raison=only(spec.allowed, noun(spec.name)))
        turn.set(Slot.REQUESTER, None)
        return
    day = turn.get(Slot.DAY)
    if not day or not set(turn.changed) & _MOMENT:
        return
    tz = zone()
    period = booking.period_of(spec, date.fromisoformat(day), turn.get(Slot.TIME), tz)
    if period is None:
        if Slot.DAY.value in turn.changed:
            turn.say("date_comprise", quand=say_date(date.fromisoformat(day)))
        return
    contact = Contact(name=_PROBE.name, type=requester, email=_PROBE.email)
    quantity = int(turn.get(Slot.QUANTITY) or 1)
    try:
        calendar().check(BookingRequest(spec.slug, *period, contact, quantity=quantity))
    except BookingRefused as refusal:
        turn.said.append({"text": french(refusal.message), "buttons": []})
        buttons = alternative_buttons(spec, refusal.alternatives)
        if buttons:
            turn.say("alternatives", buttons)
        if refusal.reason is Refusal.TOO_MANY or (
            refusal.reason is Refusal.TAKEN and spec.kind is Kind.EQUIPMENT
        ):
            turn.set(Slot.QUANTITY, None)
        elif refusal.reason is Refusal.NOT_ALLOWED:
            turn.set(Slot.REQUESTER, None)
        else:
            turn.set(Slot.DAY, None)
            turn.set(Slot.TIME, None)
        return
    if {Slot.DAY.value, Slot.TIME.value} & set(turn.changed):
        turn.say("date_comprise", quand=booking.say_period(spec, *period, tz))


# Slots that change the moment or the amount asked for, so the calendar must be asked again.
_MOMENT = {s.value for s in (Slot.RESOURCE, Slot.REQUESTER, Slot.DAY, Slot.TIME, Slot.QUANTITY)}
