"""Answers to greetings, questions and out-of-scope messages, worded by the commune file; a
question about another place or institution gets its directory entry, never our facts."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from bot import answers, names
from bot.directory import elsewhere

# Questions whose answer names a place and its hours: asked about another place, the
# directory answers instead (« les horaires de la poste », « la mairie de Montreuil »).
PLACE_QUESTIONS = frozenset(
    {
        names.Intent.ASK_HOURS,
        names.Intent.ASK_HOURS_WEEKEND,
        names.Intent.ASK_HOURS_LUNCH,
        names.Intent.ASK_CONTACT,
        names.Intent.ASK_WASTE_CENTRE,
        names.Intent.ASK_BULKY_WASTE,
        names.Intent.OUT_OF_SCOPE,
        names.Intent.ASK_ELSEWHERE,
    }
)


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
        current = commune()
        if intent in PLACE_QUESTIONS:
            found = elsewhere(said, current.data.annuaire, current.name)
            if found is not None:
                dispatcher.utter_message(
                    text=current.directory(found), json_message={"topic": f"directory:{found.key}"}
                )
                return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
        text = current.reply_to(intent) if intent else None
        topic = str(intent_name) if text else "hors_sujet"
        if intent is names.Intent.ASK_ELSEWHERE:
            topic = "not_ours"
        dispatcher.utter_message(
            text=text or current.message("hors_sujet"), json_message={"topic": topic}
        )
        return [SlotSet(names.Slot.MISUNDERSTANDINGS, 0.0)]
