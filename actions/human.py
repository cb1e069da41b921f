"""A resident who asks for a person: the conversation goes to the agents' console."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune, handoffs
from bot import names
from bot.db import utcnow
from bot.handoff import announcement
from bot.transcript import ConversationRef


def hand_over(dispatcher: CollectingDispatcher, sender: str, reason: str, topic: str) -> None:
    """Escalate the conversation and tell the resident an agent will answer (and when)."""
    channel, _, external = sender.partition(":")
    handoffs().escalate(ConversationRef(channel or "web", external or sender), reason)
    dispatcher.utter_message(text=announcement(commune(), utcnow()), json_message={"topic": topic})


class ActionHuman(Action):
    """Hand the conversation to an agent of the front desk."""

    def name(self) -> str:
        return names.Action.HUMAN

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        hand_over(dispatcher, tracker.sender_id, "asked", "agent")
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
