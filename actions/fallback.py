"""Unsure understanding: first ask to rephrase with topic buttons, then hand over to a person."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from actions.human import hand_over
from bot import names, places, wish
from bot.answers import plain

# Words of a wish to book, and of a problem in the street.
_BOOKING = re.compile(
    r"\b(?:rdv|rendez vous|reserver|reservation|resa|louer|location|emprunter|pret|preter|"
    r"besoin|dispo|disponible|libre|creneau|il me faut|il nous faut|je voudrais|j aimerais)\b"
)
_PROBLEM = re.compile(
    r"\b(?:casse|cassee|panne|marche plus|marche pas|fonctionne plus|fonctionne pas|eteint|"
    r"eteinte|trou|trous|abime|abimee|tombe|tombee|renverse|arrache|arrachee|deborde|"
    r"degrade|degradee|sale|bouche|bouchee|signaler|signale|probleme)\b"
)


def guess(text: str) -> str | None:
    """The form a message unsure to the classifier clearly asks for, if any."""
    from actions.booking_reading import named_resources

    words = plain(text)
    if wish.items_in(text, named_resources()) and _BOOKING.search(words):
        return names.Action.BOOKING_FORM.value
    territory = commune().data.signalements
    found = places.category_of(text, territory.categories, territory.rues)
    if found and found[1] and _PROBLEM.search(words) and not text.rstrip().endswith("?"):
        return names.Action.REPORT_FORM.value
    return None


class ActionFallback(Action):
    """Count misunderstandings in a row; the second one escalates to the agents."""

    def name(self) -> str:
        return names.Action.FALLBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        guessed = guess(str((tracker.latest_message or {}).get("text") or ""))
        if guessed is not None:
            # Unsure of the intent, but the words name a resource to book or a street
            # problem: the form asks what it needs rather than « reformulez ».
            return [FollowupAction(guessed)]
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
