"""Answers to greetings, questions and out-of-scope messages, worded by the commune file."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from bot import answers, names


class ActionAnswer(Action):
    """Say the commune's answer to the intent just recognised."""

    def name(self) -> str:
        return names.Action.ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent_name = (tracker.latest_message.get("intent") or {}).get("name")
        intent = names.Intent(intent_name) if intent_name in set(names.Intent) else None
        said = str(tracker.latest_message.get("text") or "")
        if (
            intent in names.ACKNOWLEDGED_INTENTS
            and tracker.active_loop.get("name") is None
            and answers.cancels_booking(said)
        ):
            # « annule celle que je viens de faire » read as a bare « stop »: it is about a
            # booking already made, and the cancel form asks which one and for a yes.
            return [FollowupAction(names.Action.CANCEL_FORM)]
        text = commune().reply_to(intent) if intent else None
        dispatcher.utter_message(
            text=text or commune().message("hors_sujet"),
            json_message={"topic": intent_name if text else "hors_sujet"},
        )
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
