"""The booking form's questions, one action per slot, in the commune's words with buttons."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import hours_of, spec_of
from actions.context import calendar, commune, zone
from bot import booking
from bot import names as n
from bot.dates import say_date
from bot.resources import REQUESTER_NAMES
from calendar_store.spec import Requester, ResourceSpec
from calendar_store.wording import noun

_ID_CASES = {
    "premiere": "Première demande",
    "renouvellement": "Renouvellement",
    "perte_vol": "Perte ou vol",
    "mineur": "Pour un mineur",
}


def _button(title: str, slot: n.Slot, value: str) -> dict[str, str]:
    return {"title": title, "payload": f"/{n.Intent.INFORM}{json.dumps({slot.value: value})}"}


class _Asking:
    """Asks for one slot of the booking form, in the commune's words, with buttons.

    A mixin rather than an Action: rasa-sdk registers every Action subclass it finds, and
    only the concrete askers below have a name.
    """

    slot: n.Slot
    action: n.Action

    def name(self) -> str:
        return self.action

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        spec = spec_of(tracker.get_slot(n.Slot.RESOURCE))
        text, buttons, events = self.question(tracker, spec)
        dispatcher.utter_message(text=text, buttons=buttons)
        return events

    def question(
        self, tracker: Tracker, spec: ResourceSpec | None
    ) -> tuple[str, list[dict[str, str]], list[EventType]]:
        c = commune()
        match self.slot:
            case n.Slot.RESOURCE:
                buttons = [
                    _button(noun(s.name).subject, n.Slot.RESOURCE, s.slug) for s in c.resources()
                ]
                return c.message("demander_ressource"), buttons, []
            case n.Slot.REQUESTER:
                allowed = spec.allowed if spec else frozenset(Requester)
                buttons = [
                    _button(REQUESTER_NAMES[r].capitalize(), n.Slot.REQUESTER, r.value)
                    for r in Requester
                    if r in allowed
                ]
                return c.message("demander_demandeur"), buttons, []
            case n.Slot.ID_CASE:
                buttons = [_button(t, n.Slot.ID_CASE, k) for k, t in _ID_CASES.items()]
                return c.message("demander_situation"), buttons, []
            case n.Slot.DAY:
                name = noun(spec.name).phrase if spec else "cette ressource"
                return c.message("demander_date", ressource=name), [], []
            case n.Slot.TIME:
                return self._time(tracker, spec)
            case n.Slot.QUANTITY:
                return c.message("demander_quantite", stock=spec.stock if spec else 1), [], []
            case n.Slot.ANTS:
                return c.message("demander_ants"), [], []
            case n.Slot.NAME:
                return c.message("demander_nom"), [], []
            case _:
                return c.message("demander_contact"), [], []

    def _time(
        self, tracker: Tracker, spec: ResourceSpec | None
    ) -> tuple[str, list[dict[str, str]], list[EventType]]:
        c = commune()
        raw_day = tracker.get_slot(n.Slot.DAY)
        if spec is None or not raw_day:
            return c.message("demander_date", ressource="cette ressource"), [], []
        day = date.fromisoformat(raw_day)
        if spec.unit.value == "hour":
            return c.message("demander_heures", horaires=hours_of(spec, day)), [], []
        free = calendar().availability(spec.slug, day, day)
        if not free:
            return c.message("aucun_creneau", quand=say_date(day)), [], [SlotSet(n.Slot.DAY, None)]
        tz = zone()
        buttons = [
            _button(
                booking.say_hours(p.start, p.end, tz),
                n.Slot.TIME,
                f"{p.start.astimezone(tz):%H:%M}",
            )
            for p in free[:12]
        ]
        return c.message("demander_creneau", quand=say_date(day)), buttons, []


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
