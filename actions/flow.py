"""What every form shares: one turn's changes, whether a message is still to be read, what
interrupts a form, the count of questions asked again, and flows set aside.

A form asks one question at a time. Its validator reads the resident's answer for that
question first (bot/answers.py, bot/wish.py, bot/moment.py), and only then lets Rasa's
intent decide that the message was something else: a question answered in passing, a
request for a person, another flow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import commune
from bot import answers
from bot.answers import Short, plain
from bot.directory import NEIGHBOUR, NOT_OURS, everywhere
from bot.names import ANSWERED_INTENTS, WORDS, Intent, Slot

# Intents a form leaves to a rule (then it asks its question again), when the message gives
# nothing for the form.
ONE_SHOTS = frozenset(
    {
        Intent.REQUEST_HUMAN,
        Intent.MY_BOOKINGS,
        Intent.CANCEL_BOOKING,
        Intent.REPORT_STATUS,
        Intent.MY_REPORTS,
        Intent.STILL_BROKEN,
        Intent.EMERGENCY,
    }
)
SMALL_TALK = frozenset({Intent.GREET, Intent.THANK, Intent.GOODBYE})
QUESTIONS = ANSWERED_INTENTS - SMALL_TALK - {Intent.OUT_OF_SCOPE}
# Actions that run for the resident's message before a form asks again: the form must not
# read that message a second time.
_FORM_STEPS = frozenset({"action_listen", "action_extract_slots"})
# A question to the town hall rather than an answer: « vous êtes ouverts samedi ? ».
_QUESTION_OPENERS = re.compile(
    r"^(?:est ce qu|est ce que|qu est ce|quel|quelle|quels|quelles|quand|comment|combien|ou |"
    r"pourquoi|a quelle heure|vous etes|c est ouvert|c est ferme|on peut|peut on|puis je|"
    r"je peux|faut il|il faut|y a t il|ya t il|avez vous|vous avez|au fait|sinon|et pour|"
    r"par contre|autre question|une question|j ai une question|question)\b|"
    r"\b(?:je voudrais savoir|j aimerais savoir|voudrait savoir|voudrais savoir|je me demandais|"
    r"pouvez vous me dire|pourriez vous me dire|savoir si|savoir combien|savoir quel)\b"
)
# Words of the town hall's own facts: a question that names them is not about the booking.
_DESK_WORDS = re.compile(
    r"\b(?:mairie|accueil|guichet|dechetterie|dechetteries|encombrants|urbanisme|"
    r"carte grise|acte de naissance|listes electorales|etat civil|horaires de la mairie)\b"
)
# Buttons that say yes or no: their payload is an intent.
_PAYLOADS = {
    Intent.AFFIRM.value: Short.YES,
    Intent.DENY.value: Short.NO,
    Intent.STOP.value: Short.STOP,
    Intent.SKIP_PHOTO.value: Short.NO,
}
# Confidence above which an intent other than the form's own wins over the form.
SURE = 0.5


@dataclass
class Turn:
    """What this message changes, and what to tell the resident about it."""

    values: dict[str, Any]
    changed: dict[str, Any] = field(default_factory=dict)
    said: list[dict[str, Any]] = field(default_factory=list)

    def set(self, slot: Slot, value: Any) -> None:
        if self.values.get(slot.value) == value and slot.value not in self.changed:
            return  # said again: nothing changes (and an answer that only repeats is no answer)
        self.values[slot.value] = value
        self.changed[slot.value] = value

    def get(self, slot: Slot) -> Any:
        return self.values.get(slot.value)

    def say(self, key: str, buttons: list[dict[str, str]] | None = None, **values: Any) -> None:
        self.said.append({"text": commune().message(key, **values), "buttons": buttons or []})

    def tell(
        self, text: str, buttons: list[dict[str, str]] | None = None, topic: str | None = None
    ) -> None:
        self.said.append({"text": text, "buttons": buttons or [], "topic": topic})

    def utter(self, dispatcher: CollectingDispatcher) -> None:
        """Say what the turn has to say (with its topic, for the dashboard)."""
        for said in self.said:
            topic = said.get("topic")
            custom = {"topic": topic} if topic else None
            dispatcher.utter_message(
                text=said["text"], buttons=said["buttons"], json_message=custom
            )


@dataclass(frozen=True)
class Message:
    """The resident's latest message as the classifier saw it."""

    text: str
    intent: str | None
    confidence: float
    entities: dict[str, Any]
    metadata: dict[str, Any]

    @property
    def words(self) -> str:
        return plain(self.text)

    def short(self) -> Short | None:
        """Yes, no, « laisse tomber »…: typed, or pressed as a button (« /affirm »)."""
        if self.text.startswith("/"):
            return _PAYLOADS.get(str(self.intent))
        return answers.short(self.text)

    def sure(self, *intents: Intent) -> bool:
        return self.intent in intents and self.confidence >= SURE


def latest(tracker: Tracker) -> Message:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities: dict[str, Any] = {
        str(e.get("entity")): e.get("value")
        for e in message.get("entities") or []
        if isinstance(e, dict) and e.get("value") is not None
    }
    text = str(message.get("text") or "")
    metadata = message.get("metadata") or {}
    words = metadata.get(WORDS)
    if text.startswith("/") and isinstance(words, str) and words.strip():
        text = words  # sent as its intent by the gateway, with the resident's words
    return Message(
        text=text,
        intent=intent.get("name"),
        confidence=float(intent.get("confidence") or 0.0),
        entities=entities,
        metadata=metadata,
    )


def _since_message(tracker: Tracker) -> list[str]:
    """The actions that ran since the resident's latest message, latest first."""
    since: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        if event.get("event") == "action":
            since.append(str(event.get("name")))
    return since


def fresh(tracker: Tracker, form: str) -> bool:
    """Whether the latest message is still to be read by `form`: no other action ran for it
    (a question answered in passing, a flow finished and this form resumed)."""
    return all(name in _FORM_STEPS or name == form for name in _since_message(tracker))


def resumed(tracker: Tracker, form: str) -> bool:
    """Whether `form` comes back after another form ran to its end since the latest message
    (a booking set aside for a report): that message answered the other form, not this one
    (« c'est parfait » to the report's summary is no answer to the booking)."""
    return any(
        name.endswith("_form") and name != form and not name.startswith("validate_")
        for name in _since_message(tracker)
    )


# Actions that answer in the middle of a form, after which it asks its question again.
INTERRUPTING = frozenset(
    {
        "action_answer",
        "action_human",
        "action_my_bookings",
        "action_cancel_booking",
        "action_report_status",
        "action_my_reports",
        "action_report_reopen",
        "action_resource_info",
        "action_emergency",
    }
)


def after_interruption(tracker: Tracker) -> bool:
    """Whether an action answered the resident's latest message before the form asks again."""
    return any(name in INTERRUPTING for name in _since_message(tracker))


def not_ours(
    turn: Turn, message: Message, *, also_sure: bool = False, names_ours: bool = False
) -> bool:
    """A message about another town or someone else's service (« la salle des fêtes de
    Montreuil », « le consulat »): the directory answers it, and the form ends there. With
    `names_ours` (one of our resources is named), a business is where the resident works or
    what the party is for (« je tiens la boulangerie… réserver la salle des fêtes »)."""
    current = commune()
    found = everywhere(message.text, current.data.annuaire, current.name)
    elsewhere = [
        f
        for f in found
        if not f.lives
        and not (names_ours and f.key == NOT_OURS)
        and (f.key in (NEIGHBOUR, NOT_OURS) or (also_sure and f.sure))
    ]
    for one in elsewhere[:2]:
        turn.tell(current.directory(one), topic=f"directory:{one.key}")
    return bool(elsewhere)


def is_question(message: Message) -> bool:
    """Whether the message asks something rather than answers."""
    return "?" in message.text or bool(_QUESTION_OPENERS.search(message.words))


def asks_the_desk(message: Message) -> bool:
    """A question for the town hall's facts (hours, waste, papers), asked in passing."""
    if not message.sure(*QUESTIONS):
        return False
    return is_question(message) or bool(_DESK_WORDS.search(message.words))


def interrupts(message: Message) -> bool:
    """Whether the message, having given the form nothing, is for a rule: a question, small
    talk, a request for a person, « mes réservations »…"""
    if message.intent in ONE_SHOTS and message.confidence >= SURE:
        return True
    if message.sure(Intent.OUT_OF_SCOPE):
        return is_question(message)  # « blabla » is a failed answer, not a question
    return message.sure(*ANSWERED_INTENTS)


# ---- Questions asked again (the loop guard) -------------------------------------------
# The slot `asked` keeps {"slot": …, "asks": n, "misses": m} for the question last asked.
MAX_MISSES = 3  # the third answer not understood in a row goes to an agent


def asked_state(tracker: Tracker) -> dict[str, Any]:
    raw = tracker.get_slot(Slot.ASKED)
    try:
        state = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        state = {}
    return state if isinstance(state, dict) else {}


def misses(tracker: Tracker, slot: str | None) -> int:
    state = asked_state(tracker)
    return int(state.get("misses") or 0) if state.get("slot") == slot else 0


def missed(tracker: Tracker, slot: str, *, explained: bool = False) -> tuple[int, str]:
    """Count one more answer that did not fill `slot`: the new count and the slot's value.
    `explained`: the form already said what was wrong (« je ne trouve pas cette rue »)."""
    state = asked_state(tracker)
    same = state.get("slot") == slot
    count = (int(state.get("misses") or 0) if same else 0) + 1
    kept = {"asks": int(state.get("asks") or 0)} if same else {}
    said = state.get("said") or {}
    return count, json.dumps(
        {"slot": slot, **kept, "misses": count, "explained": explained, "said": said}
    )


def explained(tracker: Tracker, slot: str) -> bool:
    state = asked_state(tracker)
    return state.get("slot") == slot and bool(state.get("explained"))


def said_counts(tracker: Tracker, slot: str) -> dict[str, int]:
    """How many times each wording went out in this flow (by a short hash): a question asked
    again after others (a date refused twice) must not repeat itself word for word."""
    said = asked_state(tracker).get("said")
    return {str(k): int(v) for k, v in said.items()} if isinstance(said, dict) else {}


def asking(tracker: Tracker, slot: str, said: str | None) -> tuple[int, int, str]:
    """The question for `slot` goes out (with the wording whose hash is `said`, if known):
    how many times in a row, this one included; how many answers were not understood; and
    the slot's new value."""
    state = asked_state(tracker)
    same = state.get("slot") == slot
    asks = (int(state.get("asks") or 0) if same else 0) + 1
    count = int(state.get("misses") or 0) if same else 0
    counts = said_counts(tracker, slot)
    if said is not None:
        counts[said] = counts.get(said, 0) + 1
    state = {"slot": slot, "asks": asks, "misses": count, "said": counts}
    return asks, count, json.dumps(state)


# ---- Flows set aside ------------------------------------------------------------------
# `set_aside` keeps {"form": …, "slots": {…}} of a flow the resident put aside for another.


def set_aside(tracker: Tracker) -> dict[str, Any] | None:
    raw = tracker.get_slot(Slot.SET_ASIDE)
    try:
        kept = json.loads(raw) if raw else None
    except (TypeError, ValueError):
        return None
    return kept if isinstance(kept, dict) and isinstance(kept.get("slots"), dict) else None


def aside(form: str, values: dict[str, Any]) -> str:
    return json.dumps({"form": form, "slots": values}, ensure_ascii=False)
