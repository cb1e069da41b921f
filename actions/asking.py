"""How every form asks its question: the plain wording the first time, again after a question
answered in passing; reworded with an example and buttons after an answer it did not
understand; the second time, with the offer of an agent or of giving up.

A question never goes out three times the same: each wording said twice for a slot gives way
to the next one, and the third answer not understood goes to an agent (the validators end
the form with « agent »).
"""

from __future__ import annotations

import hashlib
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import flow
from actions.context import commune
from bot import names as n

Buttons = list[dict[str, str]]
AGENT_BUTTON = {"title": "Parler à un agent", "payload": f"/{n.Intent.REQUEST_HUMAN}"}
GIVE_UP_BUTTON = {"title": "Abandonner", "payload": f"/{n.Intent.STOP}"}


def _key(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:10]


def _and(question: str) -> str:
    """ "Pour quelle date … ?" asked again after a partial answer: "Et pour quelle date … ?"."""
    return f"Et {question[:1].lower()}{question[1:]}" if question[:1].isupper() else question


def ask(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    slot: str,
    question: str,
    buttons: Buttons,
    help_key: str,
    *,
    back_key: str | None,
    topic: str | None = None,
    **values: Any,
) -> list[EventType]:
    """Say the question for `slot` as the loop guard says, and remember it was asked."""
    asks, misses, state = flow.asking(tracker, slot, said=None)
    told = flow.explained(tracker, slot)
    c = commune()
    helped = c.message(help_key, **values)
    back = f"{c.message(back_key)} {question}" if back_key else question
    if misses >= 2:
        wordings = [f"{c.message('proposer_agent')}\n{helped}"]
        buttons = [*buttons, AGENT_BUTTON, GIVE_UP_BUTTON]
    elif misses == 1:
        wordings = [_and(question), helped, back] if told else [helped, _and(question), back]
    elif flow.after_interruption(tracker) and asks > 1:
        wordings = [back, question, _and(question)]
    else:
        wordings = [question, _and(question), back, helped]
    said = flow.said_counts(tracker, slot)
    text = next((w for w in wordings if said.get(_key(w), 0) < 2), wordings[-1])
    custom = {"topic": topic} if topic else None
    dispatcher.utter_message(text=text, buttons=buttons, json_message=custom)
    _, _, state = flow.asking(tracker, slot, said=_key(text))
    return [SlotSet(n.Slot.ASKED, state)]
