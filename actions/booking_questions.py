"""The booking form's questions, one action per slot, in the commune's words with buttons."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.asking import Buttons, ask
from actions.booking_reading import (
    buttons_of,
    extras_of,
    hours_of,
    offer,
    spec_of,
)
from actions.context import calendar, commune, local_now, zone
from bot import booking
from bot import names as n
from bot.dates import say_date
from bot.hours import say_time
from bot.resources import REQUESTER_NAMES
from calendar_store.spec import Kind, Requester, ResourceSpec, Unit
from calendar_store.wording import noun

_ID_CASES = {
    "premiere": "Première demande",
    "renouvellement": "Renouvellement",
    "perte_vol": "Perte ou vol",
    "mineur": "Pour un mineur",
}
# What each question is called in the commune file: (question, help).
KEYS: dict[n.Slot, tuple[str, str]] = {
    n.Slot.RESOURCE: ("demander_ressource", "aide_ressource"),
    n.Slot.REQUESTER: ("demander_demandeur", "aide_demandeur"),
    n.Slot.ID_CASE: ("demander_situation", "aide_situation"),
    n.Slot.ANTS: ("demander_ants", "aide_ants"),
    n.Slot.DAY: ("demander_date", "aide_date"),
    n.Slot.QUANTITY: ("demander_quantite", "aide_quantite"),
    n.Slot.NAME: ("demander_nom", "aide_nom"),
    n.Slot.CONTACT: ("demander_contact", "aide_contact"),
}
SHOWN = 8  # free slots offered as buttons at most


def booking_topic(spec: ResourceSpec | None, tracker: Tracker | None = None) -> str:
    """What the booking is about, for the dashboard: "book:gymnase", "book:tables+chaises"."""
    if spec is None:
        return "book"
    extras = [s.slug for s, _ in extras_of(tracker.get_slot(n.Slot.EXTRAS))] if tracker else []
    return "book:" + "+".join([spec.slug, *extras])


def _button(title: str, slot: n.Slot, value: str) -> dict[str, str]:
    return {"title": title, "payload": f"/{n.Intent.INFORM}{json.dumps({slot.value: value})}"}


class _Asking:
    """Asks for one slot of the booking form (a mixin rather than an Action: rasa-sdk
    registers every Action subclass it finds, and only the askers below have a name)."""

    slot: n.Slot
    action: n.Action

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        if self.slot is n.Slot.TIME:
            return _ask_time(dispatcher, tracker, spec)
        c = commune()
        values: dict[str, Any] = {
            "ressource": noun(spec.name).phrase if spec else "cette ressource",
            "stock": spec.stock if spec else 1,
        }
        question_key, help_key = KEYS[self.slot]
        buttons, events = _buttons(self.slot, spec)
        return [
            *events,
            *ask(
                dispatcher,
                tracker,
                self.slot.value,
                c.message(question_key, **values),
                buttons,
                help_key,
                back_key="reprendre_reservation",
                topic=booking_topic(spec, tracker),
                **values,
            ),
        ]


def _buttons(slot: n.Slot, spec: ResourceSpec | None) -> tuple[Buttons, list[EventType]]:
    c = commune()
    if slot is n.Slot.RESOURCE:
        return [_button(noun(s.name).subject, slot, s.slug) for s in c.resources()], []
    if slot is n.Slot.REQUESTER:
        allowed = spec.allowed if spec else frozenset(Requester)
        return [
            _button(REQUESTER_NAMES[r].capitalize(), slot, r.value)
            for r in Requester
            if r in allowed
        ], []
    if slot is n.Slot.ID_CASE:
        return [_button(t, slot, k) for k, t in _ID_CASES.items()], []
    if slot is n.Slot.DAY and spec is not None:
        offers = _free_days(spec)
        return buttons_of(offers), [SlotSet(n.Slot.OFFERS, json.dumps(offers, ensure_ascii=False))]
    return [], []


def _free_days(spec: ResourceSpec, count: int = 4) -> list[dict[str, Any]]:
    """The next days with something free, as offers."""
    today = local_now().date()
    free = calendar().availability(spec.slug, today, today + timedelta(days=21))
    days: list[date] = []
    for period in free:
        day = period.start.astimezone(zone()).date()
        if day not in days:
            days.append(day)
        if len(days) == count:
            break
    return [offer(say_date(d), {n.Slot.DAY.value: d.isoformat()}) for d in days]


def _ask_time(
    dispatcher: CollectingDispatcher, tracker: Tracker, spec: ResourceSpec | None
) -> list[EventType]:
    c = commune()
    raw_day = tracker.get_slot(n.Slot.DAY)
    if spec is None or not raw_day:
        return ask(
            dispatcher,
            tracker,
            n.Slot.DAY.value,
            c.message("demander_date", ressource="cette ressource"),
            [],
            "aide_date",
            back_key="reprendre_reservation",
            topic=booking_topic(spec, tracker),
        )
    day = date.fromisoformat(raw_day)
    values = {"horaires": hours_of(spec, day), "quand": say_date(day)}
    if spec.unit is Unit.HOUR:
        begun = str(tracker.get_slot(n.Slot.TIME) or "")
        key = "demander_fin" if begun.endswith("-") else "demander_heures"
        if begun.endswith("-"):
            values["debut"] = say_time(time.fromisoformat(begun[:-1]))
        return ask(
            dispatcher,
            tracker,
            n.Slot.TIME.value,
            c.message(key, **values),
            [],
            "aide_heures",
            back_key="reprendre_reservation",
            topic=booking_topic(spec, tracker),
            **values,
        )
    offers = _free_slots(spec, day, tracker.get_slot(n.Slot.WINDOW))
    if not offers:
        dispatcher.utter_message(text=c.message("aucun_creneau", quand=say_date(day)))
        return [SlotSet(n.Slot.DAY, None), SlotSet(n.Slot.WINDOW, None)]
    return [
        SlotSet(n.Slot.OFFERS, json.dumps(offers, ensure_ascii=False)),
        *ask(
            dispatcher,
            tracker,
            n.Slot.TIME.value,
            c.message("demander_creneau", **values),
            buttons_of(offers),
            "aide_creneau",
            back_key="reprendre_reservation",
            topic=booking_topic(spec, tracker),
            **values,
        ),
    ]


def _free_slots(spec: ResourceSpec, day: date, window: Any) -> list[dict[str, Any]]:
    """The day's free slots (within the part of the day said, if any), as offers."""
    tz = zone()
    free = calendar().availability(spec.slug, day, day)
    if window:
        first, _, last = str(window).partition("-")
        low = datetime.combine(day, time.fromisoformat(first), tzinfo=tz)
        high = (
            datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
            if last == "24:00"
            else datetime.combine(day, time.fromisoformat(last), tzinfo=tz)
        )
        free = [p for p in free if low <= p.start and p.end <= high] or free
    if spec.kind is Kind.APPOINTMENT and len(free) > SHOWN:
        free = free[:SHOWN]
    return [
        offer(
            booking.say_hours(p.start, p.end, tz),
            {n.Slot.TIME.value: f"{p.start.astimezone(tz):%H:%M}"},
        )
        for p in free[:SHOWN]
    ]


class AskResource(_Asking, Action):
    slot, action = n.Slot.RESOURCE, n.Action.ASK_RESOURCE


class AskIdCase(_Asking, Action):
    slot, action = n.Slot.ID_CASE, n.Action.ASK_ID_CASE


class AskAnts(_Asking, Action):
    slot, action = n.Slot.ANTS, n.Action.ASK_ANTS


class AskRequester(_Asking, Action):
    slot, action = n.Slot.REQUESTER, n.Action.ASK_REQUESTER


class AskDay(_Asking, Action):
    slot, action = n.Slot.DAY, n.Action.ASK_DAY


class AskTime(_Asking, Action):
    slot, action = n.Slot.TIME, n.Action.ASK_TIME


class AskQuantity(_Asking, Action):
    slot, action = n.Slot.QUANTITY, n.Action.ASK_QUANTITY


class AskName(_Asking, Action):
    slot, action = n.Slot.NAME, n.Action.ASK_NAME


class AskContact(_Asking, Action):
    slot, action = n.Slot.CONTACT, n.Action.ASK_CONTACT
