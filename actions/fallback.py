"""Unsure understanding: first ask to rephrase with topic buttons, then hand over to a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from actions.human import hand_over
from bot import names


class ActionFallback(Action):
    """Count misunderstandings in a row; the second one escalates to the agents."""

    def name(self) -> str:
        return names.Action.FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        misses = int(tracker.get_slot(names.Slot.MISUNDERSTANDINGS) or 0) + 1
        current = commune()
        if misses == 1:
            buttons = [{"title": t.title, "payload": f"/{t.intent}"} for t in current.topics()]
            dispatcher.utter_message(
                text=current.message("reformuler"),
                buttons=buttons,
                json_message={"topic": "reformuler"},
            )
            return [SlotSet(names.Slot.MISUNDERSTANDINGS, float(misses))]
        hand_over(dispatcher, tracker.sender_id, "misunderstood", "reformuler")
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
