"""A danger the commune file's lexicon missed (the gateway answers the others before Rasa):
the emergency numbers at once, then an agent when the classifier is sure."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from actions.human import hand_over
from bot import names
from bot.emergency import likely, numbers, plausible
from bot.handoff import alarm_text

# Below this, the numbers are given but nobody is called: a false alarm would silence the
# assistant until an agent looks.
SURE = 0.75


class ActionEmergency(Action):
    """Give the emergency numbers; hand the conversation to an agent."""

    def name(self) -> str:
        return names.Action.EMERGENCY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        current = commune()
        safety = current.data.urgences
        text = str((tracker.latest_message or {}).get("text") or "")
        if not plausible(text):
            # Nothing of a danger in the words: read as the classifier is unsure (a street
            # problem, a question), never answered with the emergency numbers.
            return [FollowupAction(names.Action.FALLBACK)]
        found = likely(text, safety)
        if found.situations:
            said = alarm_text(current, found)
            topic = f"emergency:{found.situations[0]}"
        else:
            given = numbers(found, safety)
            said = current.message("urgence", situation="", numeros=given, conseil="")
            topic = "emergency"
        confidence = float(
            ((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0
        )
        if confidence < SURE:
            dispatcher.utter_message(text=said, json_message={"topic": topic})
            return []
        dispatcher.utter_message(text=said, json_message={"topic": topic})
        hand_over(dispatcher, tracker.sender_id, "emergency", "emergency")
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
