"""Answers to greetings, questions and out-of-scope messages, worded by the commune file."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from bot import names


class ActionAnswer(Action):
    """Say the commune's answer to the intent just recognised."""

    def name(self) -> str:
        return names.Action.ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent_name = (tracker.latest_message.get("intent") or {}).get("name")
        intent = names.Intent(intent_name) if intent_name in set(names.Intent) else None
        text = commune().reply_to(intent) if intent else None
        dispatcher.utter_message(
            text=text or commune().message("hors_sujet"),
            json_message={"topic": intent_name if text else "hors_sujet"},
        )
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
