"""« Annuler ma réservation »: with its number it is cancelled at once; without, the assistant
asks which one (when there are several) and for a yes before cancelling."""

from __future__ import annotations

import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction

from actions import flow
from actions.asking import ask
from actions.booking import CANCELLING, cancel, live
from actions.booking_reading import buttons_of, offer, offers_of
from actions.context import commune, zone
from bot import answers, booking, wish
from bot import names as n
from bot.answers import Short

FORM = n.Action.CANCEL_FORM.value
# « les deux », « toutes »: every booking proposed.
_ALL = re.compile(r"\b(?:les deux|les 2|toutes|tous|tout|l ensemble|les trois|les 3)\b")
_RESET = [SlotSet(n.Slot.CANCEL_CHOICE, None), SlotSet(n.Slot.CANCEL_OK, None)]


def _reference(message: flow.Message) -> str | None:
    given = message.entities.get("reference")
    if isinstance(given, str) and given:
        return given.upper()
    prefixes = [s.prefix for s in commune().resources()]
    return wish.reference_in(message.text, prefixes)


class ValidateCancelForm(FormValidationAction):
    """Which booking, then yes or no."""

    def name(self) -> str:
        return n.Action.VALIDATE_CANCEL

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if not flow.fresh(tracker, FORM) and requested is not None:
            following = n.Slot.CANCEL_OK if tracker.get_slot(n.Slot.CANCEL_CHOICE) else None
            return [SlotSet(REQUESTED_SLOT, (following or n.Slot.CANCEL_CHOICE).value)]
        message = flow.latest(tracker)
        said = message.short()
        reference = _reference(message)
        if reference:
            return [
                SlotSet(n.Slot.CANCEL_CHOICE, reference),
                SlotSet(n.Slot.CANCEL_OK, "yes"),
                SlotSet(REQUESTED_SLOT, None),
            ]
        if requested is None:
            mine = live(tracker.sender_id)
            if not mine:
                return [SlotSet(n.Slot.CANCEL_OK, "none"), SlotSet(REQUESTED_SLOT, None)]
            if len(mine) == 1:
                return [
                    SlotSet(n.Slot.CANCEL_CHOICE, mine[0][0].reference),
                    SlotSet(REQUESTED_SLOT, n.Slot.CANCEL_OK.value),
                ]
            return [SlotSet(REQUESTED_SLOT, n.Slot.CANCEL_CHOICE.value)]
        if said in (Short.NO, Short.NO_THANKS, Short.STOP) or answers.abandons(message.text):
            return [SlotSet(n.Slot.CANCEL_OK, "no"), SlotSet(REQUESTED_SLOT, None)]
        if requested == n.Slot.CANCEL_OK and said is Short.YES:
            return [SlotSet(n.Slot.CANCEL_OK, "yes"), SlotSet(REQUESTED_SLOT, None)]
        if requested == n.Slot.CANCEL_CHOICE:
            offers = offers_of(tracker.get_slot(n.Slot.OFFERS))
            if _ALL.search(message.words) and offers:
                every = ",".join(o["values"][n.Slot.CANCEL_CHOICE.value] for o in offers)
                return [
                    SlotSet(n.Slot.CANCEL_CHOICE, every),
                    SlotSet(REQUESTED_SLOT, n.Slot.CANCEL_OK.value),
                ]
            index = answers.choice(message.text, len(offers))
            if index is None:
                index = _matching(message, offers)
            if index is not None:
                chosen = offers[index]["values"][n.Slot.CANCEL_CHOICE.value]
                return [
                    SlotSet(n.Slot.CANCEL_CHOICE, chosen),
                    SlotSet(REQUESTED_SLOT, n.Slot.CANCEL_OK.value),
                ]
        if flow.interrupts(message):
            return []  # a rule answers, then the question comes again
        count, state = flow.missed(tracker, str(requested))
        if count >= flow.MAX_MISSES:
            return [SlotSet(n.Slot.CANCEL_OK, "no"), SlotSet(REQUESTED_SLOT, None)]
        return [SlotSet(n.Slot.ASKED, state), SlotSet(REQUESTED_SLOT, requested)]


def _matching(message: flow.Message, offers: list[dict[str, Any]]) -> int | None:
    """The only offer whose words the message repeats (« celle de samedi », « les chaises »)."""
    said = {w for w in message.words.split() if len(w) > 2} - {
        "celle",
        "celui",
        "que",
        "reservation",
    }
    scores = [len(said & set(answers.plain(o["title"]).split())) for o in offers]
    best = max(scores, default=0)
    return scores.index(best) if best and scores.count(best) == 1 else None


class AskCancelChoice(Action):
    def name(self) -> str:
        return n.Action.ASK_CANCEL_CHOICE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        tz = zone()
        mine = live(tracker.sender_id)
        offers = [
            offer(booking.booking_line(b, spec, tz), {n.Slot.CANCEL_CHOICE.value: b.reference})
            for b, spec in mine
        ]
        if len(mine) > 1:
            every = ",".join(b.reference for b, _ in mine)
            offers.append(offer("Toutes", {n.Slot.CANCEL_CHOICE.value: every}))
        return [
            SlotSet(n.Slot.OFFERS, json.dumps(offers, ensure_ascii=False)),
            *ask(
                dispatcher,
                tracker,
                n.Slot.CANCEL_CHOICE.value,
                commune().message("quelle_reservation"),
                buttons_of(offers),
                "aide_quelle_reservation",
                back_key="reprendre_annulation",
                topic="cancel_booking",
            ),
        ]


class AskCancelOk(Action):
    def name(self) -> str:
        return n.Action.ASK_CANCEL_OK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        chosen = str(tracker.get_slot(n.Slot.CANCEL_CHOICE) or "").split(",")
        tz = zone()
        lines = [
            booking.booking_line(b, s, tz)
            for b, s in live(tracker.sender_id)
            if b.reference in chosen
        ]
        line = " ; ".join(lines) or ", ".join(chosen)
        buttons = [
            {"title": "Oui, annuler", "payload": f"/{n.Intent.AFFIRM}"},
            {"title": "Non", "payload": f"/{n.Intent.DENY}"},
        ]
        return ask(
            dispatcher,
            tracker,
            n.Slot.CANCEL_OK.value,
            commune().message("confirmer_annulation", reservation=line),
            buttons,
            "aide_confirmer_annulation",
            back_key="reprendre_annulation",
            topic="cancel_booking",
            reservation=line,
        )


class CancelFinish(Action):
    def name(self) -> str:
        return n.Action.CANCEL_FINISH

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        c = commune()
        ok = tracker.get_slot(n.Slot.CANCEL_OK)
        reference = tracker.get_slot(n.Slot.CANCEL_CHOICE)
        if ok == "yes" and reference:
            for one in str(reference).split(","):
                cancel(dispatcher, tracker.sender_id, one)
        elif ok == "none":
            dispatcher.utter_message(text=c.message("aucune_reservation"), json_message=CANCELLING)
        else:
            dispatcher.utter_message(
                text=c.message("annulation_abandonnee"), json_message=CANCELLING
            )
        return [*_RESET, SlotSet(n.Slot.OFFERS, None), SlotSet(n.Slot.ASKED, None)]


class CancelBooking(Action):
    """ "Annuler ma réservation SDA-7KQ3" said in the middle of another flow: done at once
    with its number; without one, the bookings are listed as buttons."""

    def name(self) -> str:
        return n.Action.CANCEL_BOOKING

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reference = _reference(flow.latest(tracker))
        if reference:
            cancel(dispatcher, tracker.sender_id, reference)
            return []
        mine = live(tracker.sender_id)
        if not mine:
            dispatcher.utter_message(
                text=commune().message("aucune_reservation"), json_message=CANCELLING
            )
            return []
        tz = zone()
        buttons = [
            {
                "title": booking.booking_line(b, spec, tz),
                "payload": f"/{n.Intent.CANCEL_BOOKING}{json.dumps({'reference': b.reference})}",
            }
            for b, spec in mine
        ]
        dispatcher.utter_message(
            text=commune().message("quelle_reservation"), buttons=buttons, json_message=CANCELLING
        )
        return []
