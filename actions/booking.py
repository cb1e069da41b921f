"""Booking actions around the form: the summary it asks a yes for, how it ends (booked, given
up, set aside, handed to an agent), « mes réservations » and « annuler ma réservation »."""

from __future__ import annotations

import contextlib
import json
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import flow
from actions.asking import ask
from actions.booking_reading import _period_for, extras_of, spec_of
from actions.context import calendar, commune, settings, zone
from actions.human import hand_over
from bot import booking, wish
from bot import names as n
from bot.outbox import booking_notices
from bot.places import category_of
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
    Unit,
    WrongState,
)

RESET: list[EventType] = [
    SlotSet(s.value, None)
    for s in (*n.BOOKING_SLOTS, *n.BOOKING_STATE, n.Slot.OFFERS, n.Slot.SWITCH_TO)
] + [SlotSet(n.Slot.SWITCH_TEXT, None), SlotSet(n.Slot.ASKED, None)]
YES_NO = [
    {"title": "Oui, je confirme", "payload": f"/{n.Intent.AFFIRM}"},
    {"title": "Non", "payload": f"/{n.Intent.DENY}"},
]


def requests_of(tracker: Tracker, spec: ResourceSpec) -> list[BookingRequest]:
    """The bookings the filled form describes: the resource, then the equipment asked with it."""
    raw_day = tracker.get_slot(n.Slot.DAY)
    tz = zone()
    period = (
        booking.period_of(spec, date.fromisoformat(raw_day), tracker.get_slot(n.Slot.TIME), tz)
        if raw_day
        else None
    )
    if period is None:
        return []
    contact = str(tracker.get_slot(n.Slot.CONTACT) or "")
    requester = Requester(tracker.get_slot(n.Slot.REQUESTER) or Requester.RESIDENT)
    name = str(tracker.get_slot(n.Slot.NAME) or "")
    person = Contact(
        name=name,
        type=requester,
        phone=contact if contact.startswith("+") else None,
        email=contact if "@" in contact else None,
        association=name if requester is Requester.ASSOCIATION else None,
        ants=tracker.get_slot(n.Slot.ANTS) or None,  # counted per person, like the phone
    )
    items = [(spec, int(tracker.get_slot(n.Slot.QUANTITY) or 1))]
    items += extras_of(tracker.get_slot(n.Slot.EXTRAS))
    channel = tracker.sender_id.partition(":")[0] or None
    return [
        BookingRequest(
            item.slug,
            *_period_for(item, spec, period),
            person,
            quantity=quantity,
            owner=tracker.sender_id,
            channel=channel,
        )
        for item, quantity in items
    ]


def _contact_said(value: str) -> str:
    return wish.say_phone(value) if value.startswith("+") else value


def release(tracker: Tracker) -> None:
    """Let go of what the summary held (already gone: nothing is held either way)."""
    for reference in str(tracker.get_slot(n.Slot.HOLD) or "").split(","):
        if reference:
            with contextlib.suppress(BookingNotFound, WrongState):
                calendar().release(reference, by=tracker.sender_id)


class AskConfirm(Action):
    """The summary: holds the wish in the calendar, shows it with the price, asks for a yes."""

    def name(self) -> str:
        return n.Action.ASK_CONFIRM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        wishes = requests_of(tracker, spec) if spec else []
        if spec is None or not wishes:
            dispatcher.utter_message(text=commune().message("indisponible"))
            return [*RESET, ActiveLoop(None), SlotSet("requested_slot", None)]
        held: list[Booking] = []
        # One summary at a time per conversation: what it held before (asked again after a
        # question, or a turn lost with a server that died) is let go before holding anew.
        release(tracker)
        for stale in calendar().for_owner(tracker.sender_id):
            if stale.status is Status.HELD:
                with contextlib.suppress(BookingNotFound, WrongState):
                    calendar().release(stale.reference, by=tracker.sender_id)
        try:
            quotes = [calendar().check(w) for w in wishes]
            for w in wishes:
                held.append(calendar().hold(w, by=tracker.sender_id))
        except BookingRefused as refusal:
            for done in held:
                with contextlib.suppress(BookingNotFound, WrongState):
                    calendar().release(done.reference, by=tracker.sender_id)
            dispatcher.utter_message(text=french(refusal.message))
            dispatcher.utter_message(text=commune().message("reservation_non"))
            # The form now waits for another date, not for a yes.
            return [
                SlotSet(n.Slot.DAY, None),
                SlotSet(n.Slot.TIME, None),
                SlotSet(n.Slot.HOLD, None),
                SlotSet("requested_slot", n.Slot.DAY.value),
            ]
        tz = zone()
        first = wishes[0]
        price = sum((q.price for q in quotes), start=quotes[0].price * 0)
        deposit = sum((q.deposit for q in quotes), start=quotes[0].deposit * 0)
        items = [booking.what(spec_of(w.resource) or spec, w.quantity) for w in wishes]
        question = commune().message(
            "resume",
            quoi=_joined(items),
            quand=booking.say_period(spec, first.start, first.end, tz),
            nom=first.contact.name,
            contact=_contact_said(first.contact.phone or first.contact.email or ""),
            prix=booking.euros(price),
            caution=booking.euros(deposit) if deposit else "",
            validation=any(q.approval for q in quotes),
        )
        hold = SlotSet(n.Slot.HOLD, ",".join(h.reference for h in held))
        events = ask(
            dispatcher,
            tracker,
            n.Slot.CONFIRM.value,
            question,
            YES_NO,
            "aide_confirmer",
            back_key="reprendre_reservation",
        )
        if flow.misses(tracker, n.Slot.CONFIRM.value):
            # Reworded, the question drops the summary: say it once more before.
            dispatcher.utter_message(text=question.rsplit("\n", 1)[0])
        return [hold, *events]


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _done_message(done: Booking, spec: ResourceSpec) -> str:
    key = "reservation_en_attente" if done.status is Status.PENDING else "reservation_confirmee"
    return commune().message(
        key,
        quoi=booking.what(spec, done.quantity),
        quand=booking.say_period(spec, done.start, done.end, zone()),
        reference=done.reference,
        lien=f"{settings().public_url}/api/bookings/{done.reference}.ics",
    )


class BookingFinish(Action):
    """The form ended: book what was held on a yes, let it go otherwise, set it aside for
    another flow or hand the conversation to an agent; then resume a flow set aside."""

    def name(self) -> str:
        return n.Action.BOOKING_FINISH

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        end = tracker.get_slot(n.Slot.CONFIRM)
        c = commune()
        if end == "yes":
            return [*self._confirm(dispatcher, tracker), *_resume(dispatcher, tracker)]
        release(tracker)
        if end == "switch":
            values = {s.value: tracker.get_slot(s.value) for s in n.BOOKING_SLOTS}
            values |= {s.value: tracker.get_slot(s.value) for s in n.BOOKING_STATE}
            values[n.Slot.CONFIRM.value] = None
            values[n.Slot.HOLD.value] = None
            kept = flow.aside(n.Action.BOOKING_FORM, values)
            switch_text = tracker.get_slot(n.Slot.SWITCH_TEXT)
            return [
                *RESET,
                SlotSet(n.Slot.SET_ASIDE, kept),
                SlotSet(n.Slot.SWITCH_TEXT, switch_text),
                FollowupAction(n.Action.REPORT_FORM),
            ]
        if end == "agent":
            dispatcher.utter_message(text=c.message("confier_agent"))
            hand_over(dispatcher, tracker.sender_id, "misunderstood", "agent")
            return [*RESET, SlotSet(n.Slot.SET_ASIDE, None)]
        if end == "cancel":
            return [*RESET, FollowupAction(n.Action.CANCEL_FORM)]
        if end == "done":
            pass  # answered already (another town's hall, someone else's service)
        elif end == "quiet":
            dispatcher.utter_message(text=c.message("d_accord"))
        else:
            dispatcher.utter_message(text=c.message("reservation_abandonnee"))
        return [*RESET, *_resume(dispatcher, tracker)]

    def _confirm(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        references = [r for r in str(tracker.get_slot(n.Slot.HOLD) or "").split(",") if r]
        if not references:
            dispatcher.utter_message(text=commune().message("reservation_perdue"))
            return RESET
        for reference in references:
            try:
                done = calendar().confirm(
                    reference, by=tracker.sender_id, after=booking_notices(zone())
                )
            except (BookingRefused, BookingNotFound, WrongState) as error:
                message = error.message if isinstance(error, BookingRefused) else ""
                if message:
                    dispatcher.utter_message(text=french(message))
                dispatcher.utter_message(text=commune().message("reservation_perdue"))
                continue
            spec = spec_of(done.resource)
            if spec is not None:
                dispatcher.utter_message(text=_done_message(done, spec))
        return RESET


def _resume(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Come back to the flow the resident set aside, where it was."""
    kept = flow.set_aside(tracker)
    if kept is None or kept.get("form") != n.Action.REPORT_FORM:
        return [SlotSet(n.Slot.SET_ASIDE, None)]
    dispatcher.utter_message(text=commune().message("reprise_signalement"))
    restored = [SlotSet(k, v) for k, v in kept["slots"].items() if k in _REPORT_KEYS]
    return [*restored, SlotSet(n.Slot.SET_ASIDE, None), FollowupAction(n.Action.REPORT_FORM)]


_REPORT_KEYS = {s.value for s in n.REPORT_SLOTS}


class AskGo(Action):
    """A question about a resource came first: the answer, then the offer to book it."""

    def name(self) -> str:
        return n.Action.ASK_GO

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from actions.resource_info import also_named, describe

        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        asked = str((tracker.latest_message or {}).get("text") or "")
        described = describe(spec, asked)
        question = described.offer
        for said in [described, *also_named(spec, asked)]:
            dispatcher.utter_message(text=said.info, json_message={"topic": said.topic})
        buttons = [
            {"title": "Oui, réserver", "payload": f"/{n.Intent.AFFIRM}"},
            {"title": "Non merci", "payload": f"/{n.Intent.DENY}"},
        ]
        return ask(
            dispatcher,
            tracker,
            n.Slot.GO.value,
            question,
            buttons if spec else [],
            "aide_reserver",
            back_key=None,
        )


class AskChange(Action):
    """A bare « non » to the summary: what should change?"""

    def name(self) -> str:
        return n.Action.ASK_CHANGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        release(tracker)
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        buttons = [_clear("Changer la date", n.Slot.DAY)]
        if spec is not None and spec.unit is not Unit.DAY:
            buttons.append(_clear("Changer les heures", n.Slot.TIME))
        buttons.append({"title": "Abandonner", "payload": f"/{n.Intent.STOP}"})
        return [
            SlotSet(n.Slot.HOLD, None),
            *ask(
                dispatcher,
                tracker,
                n.Slot.CHANGE.value,
                commune().message("que_changer"),
                buttons,
                "aide_changement",
                back_key="reprendre_reservation",
            ),
        ]


def _clear(title: str, slot: n.Slot) -> dict[str, str]:
    """A button that empties a slot, so that the form asks for it again."""
    return {"title": title, "payload": f"/{n.Intent.INFORM}" + json.dumps({slot.value: ""})}


class AskFlowSwitch(Action):
    """Another flow asked for in the middle of a form: set this one aside?"""

    def name(self) -> str:
        return n.Action.ASK_FLOW_SWITCH

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        key = "mettre_de_cote_reservation"
        wanted = str(tracker.get_slot(n.Slot.SWITCH_TEXT) or "")
        territory = commune().data.signalements
        found = category_of(wanted, territory.categories, territory.rues)
        topic = f"report:{found[0]}" if found else "report"
        if tracker.active_loop.get("name") == n.Action.REPORT_FORM:
            key = "mettre_de_cote_signalement"
            from actions.booking_reading import named_resources

            items = wish.items_in(wanted, named_resources())
            topic = f"book:{items[0]}" if items else "book"
        buttons = [
            {"title": "Oui", "payload": f"/{n.Intent.AFFIRM}"},
            {"title": "Non, continuer", "payload": f"/{n.Intent.DENY}"},
        ]
        return ask(
            dispatcher,
            tracker,
            n.Slot.FLOW_SWITCH.value,
            commune().message(key),
            buttons,
            "aide_mettre_de_cote",
            back_key="reprendre_reservation",
            topic=topic,
        )


class MyBookings(Action):
    """ "Mes réservations": this conversation's live bookings."""

    def name(self) -> str:
        return n.Action.MY_BOOKINGS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lines = _live_lines(tracker.sender_id)
        if not lines:
            dispatcher.utter_message(
                text=commune().message("aucune_reservation"), json_message=_MINE
            )
        else:
            dispatcher.utter_message(
                text=commune().message("mes_reservations", reservations=lines), json_message=_MINE
            )
        return []


_MINE = {"topic": "my_bookings"}
CANCELLING = {"topic": "cancel_booking"}


def live(owner: str) -> list[tuple[Booking, ResourceSpec]]:
    found = []
    for b in calendar().for_owner(owner):
        spec = spec_of(b.resource)
        if spec is not None and b.status in (Status.PENDING, Status.CONFIRMED):
            found.append((b, spec))
    return found


def _live_lines(owner: str) -> list[str]:
    tz = zone()
    return [booking.booking_line(b, spec, tz) for b, spec in live(owner)]


def cancel(dispatcher: CollectingDispatcher, sender: str, reference: str) -> bool:
    """Cancel one booking for this conversation and say so; False when it could not."""
    c = commune()
    try:
        done = calendar().cancel(
            reference,
            by=sender,
            owner=_owner(sender, reference),
            after=booking_notices(zone()),
        )
    except (BookingNotFound, NotPermitted):
        dispatcher.utter_message(
            text=c.message("reservation_inconnue", reference=reference), json_message=CANCELLING
        )
        return False
    except WrongState:
        dispatcher.utter_message(
            text=c.message("deja_annulee", reference=reference), json_message=CANCELLING
        )
        return False
    spec = spec_of(done.resource)
    assert spec is not None
    dispatcher.utter_message(
        text=c.message(
            "annulation_faite",
            reference=done.reference,
            quoi=booking.what(spec, done.quantity),
            quand=booking.say_period(spec, done.start, done.end, zone()),
        ),
        json_message=CANCELLING,
    )
    return True


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
