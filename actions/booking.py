"""Booking actions around the form: the questions it asks, the summary, yes, no, stop,
"mes réservations" and "annuler ma réservation"."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import spec_of
from actions.context import calendar, commune, settings, zone
from bot import booking, wish
from bot import names as n
from bot.outbox import booking_notices
from bot.typography import french
from calendar_store.spec import (
    Booking,
    BookingNotFound,
    BookingRefused,
    BookingRequest,
    Contact,
    NotPermitted,
    Requester,
    ResourceSpec,
    Status,
    WrongState,
)

_RESET = [SlotSet(s.value, None) for s in n.BOOKING_SLOTS] + [
    SlotSet(n.Slot.HOLD, None),
    SlotSet(n.Slot.AWAITING, False),
]


def request_of(tracker: Tracker, spec: ResourceSpec) -> BookingRequest | None:
    """The booking the filled form describes."""
    raw_day = tracker.get_slot(n.Slot.DAY)
    period = (
        booking.period_of(spec, date.fromisoformat(raw_day), tracker.get_slot(n.Slot.TIME), zone())
        if raw_day
        else None
    )
    if period is None:
        return None
    contact = str(tracker.get_slot(n.Slot.CONTACT) or "")
    requester = Requester(tracker.get_slot(n.Slot.REQUESTER) or Requester.RESIDENT)
    name = str(tracker.get_slot(n.Slot.NAME) or "")
    person = Contact(
        name=name,
        type=requester,
        phone=contact if contact.startswith("+") else None,
        email=contact if "@" in contact else None,
        association=name if requester is Requester.ASSOCIATION else None,
    )
    return BookingRequest(
        spec.slug,
        period[0],
        period[1],
        person,
        quantity=int(tracker.get_slot(n.Slot.QUANTITY) or 1),
        owner=tracker.sender_id,
        channel=tracker.sender_id.partition(":")[0] or None,
    )


def _ref(done: Booking) -> str:
    return json.dumps({"reference": done.reference})


def _contact_said(value: str) -> str:
    return wish.say_phone(value) if value.startswith("+") else value


class BookingSummary(Action):
    """Holds the wish in the calendar, then shows the summary with the price and asks for a yes."""

    def name(self) -> str:
        return n.Action.BOOKING_SUMMARY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        request = request_of(tracker, spec) if spec else None
        if spec is None or request is None:
            dispatcher.utter_message(text=commune().message("indisponible"))
            return _RESET
        try:
            quote = calendar().check(request)
            held = calendar().hold(request, by=tracker.sender_id)
        except BookingRefused as refusal:
            from actions.booking_form import alternative_buttons

            dispatcher.utter_message(text=french(refusal.message))
            buttons = alternative_buttons(spec, refusal.alternatives)
            if buttons:
                dispatcher.utter_message(text=commune().message("alternatives"), buttons=buttons)
            return [SlotSet(n.Slot.DAY, None), SlotSet(n.Slot.TIME, None)]
        tz = zone()
        text = commune().message(
            "resume",
            quoi=booking.what(spec, request.quantity),
            quand=booking.say_period(spec, request.start, request.end, tz),
            nom=request.contact.name,
            contact=_contact_said(request.contact.phone or request.contact.email or ""),
            prix=booking.euros(quote.price),
            caution=booking.euros(quote.deposit) if quote.deposit else "",
            validation=quote.approval,
        )
        buttons = [
            {"title": "Oui, je confirme", "payload": f"/{n.Intent.AFFIRM}"},
            {"title": "Non", "payload": f"/{n.Intent.DENY}"},
        ]
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet(n.Slot.HOLD, held.reference), SlotSet(n.Slot.AWAITING, True)]


def _done_message(done: Booking, spec: ResourceSpec) -> str:
    key = "reservation_en_attente" if done.status is Status.PENDING else "reservation_confirmee"
    return commune().message(
        key,
        quoi=booking.what(spec, done.quantity),
        quand=booking.say_period(spec, done.start, done.end, zone()),
        reference=done.reference,
        lien=f"{settings().public_url}/api/bookings/{done.reference}.ics",
    )


class BookingConfirm(Action):
    """The resident said yes: the hold becomes a booking (or a request an agent approves)."""

    def name(self) -> str:
        return n.Action.BOOKING_CONFIRM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reference = tracker.get_slot(n.Slot.HOLD)
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        if not reference or spec is None:
            dispatcher.utter_message(text=commune().message("indisponible"))
            return _RESET
        try:
            done = calendar().confirm(
                reference, by=tracker.sender_id, after=booking_notices(zone())
            )
        except BookingRefused as refusal:
            dispatcher.utter_message(text=french(refusal.message))
            dispatcher.utter_message(text=commune().message("reservation_non"))
            return [*_RESET[:0], SlotSet(n.Slot.HOLD, None), SlotSet(n.Slot.AWAITING, False)]
        dispatcher.utter_message(text=_done_message(done, spec))
        return _RESET


def _release(tracker: Tracker) -> None:
    reference = tracker.get_slot(n.Slot.HOLD)
    if reference:
        # Already gone (expired, cancelled): nothing is held any more either way.
        with contextlib.suppress(BookingNotFound, WrongState):
            calendar().release(reference, by=tracker.sender_id)


class BookingChange(Action):
    """ "Non" to the summary: nothing is booked; the form asks again for what changes."""

    def name(self) -> str:
        return n.Action.BOOKING_CHANGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _release(tracker)
        events: list[EventType] = [SlotSet(n.Slot.HOLD, None), SlotSet(n.Slot.AWAITING, False)]
        if (tracker.latest_message.get("intent") or {}).get("name") == n.Intent.DENY:
            # A bare "non": start again from the date; a correction is read by the form.
            dispatcher.utter_message(text=commune().message("reservation_non"))
            events += [SlotSet(n.Slot.DAY, None), SlotSet(n.Slot.TIME, None)]
        return events


class BookingStop(Action):
    """ "Laisse tomber": nothing is booked and the form ends."""

    def name(self) -> str:
        return n.Action.BOOKING_STOP

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        _release(tracker)
        dispatcher.utter_message(text=commune().message("reservation_abandonnee"))
        return [ActiveLoop(None), SlotSet("requested_slot", None), *_RESET]


class MyBookings(Action):
    """ "Mes réservations": this conversation's live bookings."""

    def name(self) -> str:
        return n.Action.MY_BOOKINGS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lines = _live_lines(tracker.sender_id)
        if not lines:
            dispatcher.utter_message(text=commune().message("aucune_reservation"))
        else:
            dispatcher.utter_message(text=commune().message("mes_reservations", reservations=lines))
        return []


def _live(owner: str) -> list[tuple[Booking, ResourceSpec]]:
    found = []
    for b in calendar().for_owner(owner):
        spec = spec_of(b.resource)
        if spec is not None and b.status in (Status.PENDING, Status.CONFIRMED):
            found.append((b, spec))
    return found


def _live_lines(owner: str) -> list[str]:
    tz = zone()
    return [booking.booking_line(b, spec, tz) for b, spec in _live(owner)]


class CancelBooking(Action):
    """ "Annuler ma réservation SDF-7KQ2", from the conversation that made it."""

    def name(self) -> str:
        return n.Action.CANCEL_BOOKING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        prefixes = [s.prefix for s in c.resources()]
        entities = {
            e.get("entity"): e.get("value") for e in tracker.latest_message.get("entities") or []
        }
        reference = entities.get("reference") or wish.reference_in(
            tracker.latest_message.get("text") or "", prefixes
        )
        if not reference:
            live = _live(tracker.sender_id)
            if not live:
                dispatcher.utter_message(text=c.message("aucune_reservation"))
                return []
            tz = zone()
            buttons = [
                {
                    "title": booking.booking_line(b, spec, tz),
                    "payload": f"/{n.Intent.CANCEL_BOOKING}{_ref(b)}",
                }
                for b, spec in live
            ]
            dispatcher.utter_message(text=c.message("quelle_reservation"), buttons=buttons)
            return []
        try:
            done = calendar().cancel(
                reference,
                by=tracker.sender_id,
                owner=_owner(tracker.sender_id, reference),
                after=booking_notices(zone()),
            )
        except (BookingNotFound, NotPermitted):
            dispatcher.utter_message(text=c.message("reservation_inconnue", reference=reference))
            return []
        except WrongState:
            dispatcher.utter_message(text=c.message("deja_annulee", reference=reference))
            return []
        spec = spec_of(done.resource)
        assert spec is not None
        dispatcher.utter_message(
            text=c.message(
                "annulation_faite",
                reference=done.reference,
                quoi=booking.what(spec, done.quantity),
                quand=booking.say_period(spec, done.start, done.end, zone()),
            )
        )
        return []


def _owner(sender: str, reference: str) -> str:
    """Who may cancel: the conversation that booked, or the phone the booking gave, writing by
    SMS (a reminder sent by SMS says to answer it, whichever channel the booking came from)."""
    channel, _, number = sender.partition(":")
    if channel != "sms":
        return sender
    try:
        found = calendar().get(reference)
    except BookingNotFound:
        return sender
    if found.contact.phone == number and found.owner:
        return found.owner
    return sender
