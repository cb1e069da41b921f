"""A resident who asks for a person: until the agents' console exists, how to reach one."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from bot import names


class ActionHuman(Action):
    """Give the front desk's phone, e-mail and opening hours."""

    def name(self) -> str:
        return names.Action.HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(text=commune().message("agent"))
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
