"""Handoff to a person: escalate a conversation, keep the assistant silent, hand it back.

A conversation is escalated when the resident asks for a person, after two misunderstandings in
a row, when a flow fails or a part of the assistant is down, or at once on distress or emergency
words; one escalated by an outage alone comes back to the assistant when the parts are back and
no agent has answered (gateway/recovery.py). While it is with the agents
the gateway stores the resident's messages for the console and the assistant says nothing; an
agent's reply goes back on the resident's channel (web chat: it polls; SMS and Telegram: the
outbox). Every change is one transaction; the action server and the gateway share the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from bot.commune import Commune
from bot.dates import say_date
from bot.db import make_session_factory, utcnow
from bot.emergency import Alarm, advice, numbers, situation_names
from bot.handoff_records import ACTIVE, OUTAGE, HandoffRow
from bot.hours import DAYS, say_time
from bot.models import Conversation, Message
from bot.opening import opens_at
from bot.outbox import REPLY, queue
from bot.schema import Week
from bot.transcript import ConversationRef, ensure_conversation

# Channels an agent's reply reaches by the outbox; the web chat fetches its own.
PUSHED = ("sms", "telegram")


def next_opening(week: Week, now: datetime) -> datetime | None:
    """None while the front desk is open; otherwise when it next opens (local time)."""
    for offset in range(8):
        day = (now + timedelta(days=offset)).date()
        for opening in getattr(week, DAYS[day.weekday()]):
            start = datetime.combine(day, opening.start, tzinfo=now.tzinfo)
            end = datetime.combine(day, opening.end, tzinfo=now.tzinfo)
            if start <= now < end:
                return None
            if now < start:
                return start
    return None


@dataclass(frozen=True)
class Waiting:
    """One line of the agents' queue."""

    conversation_id: str
    channel: str
    state: str
    reason: str
    escalated_at: datetime
    last_activity_at: datetime
    last_text: str | None


class Handoffs:
    """The handoff rows; each call is one transaction."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions = make_session_factory(engine)
        self._now = clock

    def escalate(self, ref: ConversationRef, reason: str) -> bool:
        """Give the conversation to the agents; False when it was with them already."""
        now = self._now()
        with self._sessions.begin() as session:
            ensure_conversation(session, ref, now)
            row = session.get(HandoffRow, ref.id, with_for_update=True)
            if row is not None and row.state in ACTIVE:
                return False
            if row is None:
                row = HandoffRow(conversation_id=ref.id, escalations=0)
                session.add(row)
            row.state, row.reason, row.escalated_at, row.updated_at = "waiting", reason, now, now
            row.closed_at, row.agent_id = None, None
            row.escalations = (row.escalations or 0) + 1
            return True

    def active(self, conversation_id: str) -> bool:
        with self._sessions() as session:
            state = session.scalar(
                select(HandoffRow.state).where(HandoffRow.conversation_id == conversation_id)
            )
            return state in ACTIVE

    def touch(self, conversation_id: str) -> None:
        """The resident wrote again: the queue shows it as new activity."""
        with self._sessions.begin() as session:
            row = session.get(HandoffRow, conversation_id)
            if row is not None:
                row.updated_at = self._now()

    def reply(self, conversation_id: str, agent_id: int, agent_name: str, text: str) -> int:
        """An agent's message: kept in the transcript (the web chat fetches it) and, for SMS
        and Telegram, queued for the outbox worker. Returns the message id."""
        now = self._now()
        with self._sessions.begin() as session:
            row = session.get(HandoffRow, conversation_id, with_for_update=True)
            if row is not None and row.state in ACTIVE:
                row.state, row.agent_id, row.updated_at = "answered", agent_id, now
            return _tell(session, conversation_id, "agent", text, now, agent=agent_name)

    def end(self, conversation_id: str, agent_id: int, state: str, notice: str) -> bool:
        """Hand back to the assistant ("returned") or close ("closed"), telling the resident."""
        now = self._now()
        with self._sessions.begin() as session:
            row = session.get(HandoffRow, conversation_id, with_for_update=True)
            if row is None or row.state not in ACTIVE:
                return False
            row.state, row.agent_id, row.updated_at = state, agent_id, now
            row.closed_at = now
            _tell(session, conversation_id, "system", notice, now)
            return True

    def outages(self) -> list[str]:
        """Conversations an outage gave to the agents that no agent has answered yet."""
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(HandoffRow.conversation_id)
                    .where(HandoffRow.state == "waiting", HandoffRow.reason == OUTAGE)
                    .order_by(HandoffRow.escalated_at)
                )
            )

    def resume(self, conversation_id: str, notice: str, *, push: bool) -> bool:
        """Back to the assistant after an outage, unless an agent answered meanwhile; the
        notice is pushed to the resident when `push` (otherwise the caller says it)."""
        now = self._now()
        with self._sessions.begin() as session:
            row = session.get(HandoffRow, conversation_id, with_for_update=True)
            if row is None or not resumable(row):
                return False
            row.state, row.updated_at, row.closed_at = "returned", now, now
            if push:
                _tell(session, conversation_id, "system", notice, now)
            return True

    def state(self, conversation_id: str) -> HandoffRow | None:
        with self._sessions() as session:
            row: HandoffRow | None = session.get(HandoffRow, conversation_id)
            if row is not None:
                session.expunge(row)
            return row

    def waiting(self, limit: int = 200) -> list[Waiting]:
        """Conversations with the agents, those waiting longest first."""
        with self._sessions() as session:
            last = (
                select(Message.conversation_id, func.max(Message.id).label("last_id"))
                .where(Message.direction == "in")
                .group_by(Message.conversation_id)
                .subquery()
            )
            rows = session.execute(
                select(
                    HandoffRow, Conversation.channel, Conversation.last_activity_at, Message.text
                )
                .join(Conversation, Conversation.id == HandoffRow.conversation_id)
                .outerjoin(last, last.c.conversation_id == HandoffRow.conversation_id)
                .outerjoin(Message, Message.id == last.c.last_id)
                .where(HandoffRow.state.in_(ACTIVE))
                .order_by(HandoffRow.escalated_at)
                .limit(limit)
            ).all()
            return [
                Waiting(h.conversation_id, channel, h.state, h.reason, h.escalated_at, at, text)
                for h, channel, at, text in rows
            ]


def resumable(row: HandoffRow) -> bool:
    """With the agents only because a part of the assistant was down, and nobody answered."""
    return row.state == "waiting" and row.reason == OUTAGE


def _tell(
    session: Session, conversation_id: str, author: str, text: str, now: datetime, **extra: str
) -> int:
    """A message the resident must get without having asked: kept in the transcript (the web
    chat polls it) and, for SMS and Telegram, queued for the outbox. Returns its id."""
    channel, _, external = conversation_id.partition(":")
    if channel in PUSHED:
        queue(
            session,
            REPLY,
            {"text": text, "buttons": []},
            conversation_id=conversation_id,
            channel=channel,
            phone=external if channel == "sms" else None,
        )
    return _push(session, conversation_id, author, text, now, **extra)


def _push(
    session: Session, conversation_id: str, author: str, text: str, now: datetime, **extra: str
) -> int:
    message = Message(
        conversation_id=conversation_id,
        direction="out",
        author=author,
        text=text,
        payload={"push": True, **extra},
        created_at=now,
    )
    session.add(message)
    session.flush()
    return message.id


def announcement(commune: Commune, now: datetime) -> str:
    """What the resident is told on escalation: an agent will answer, and when if closed."""
    local = now.astimezone(ZoneInfo(commune.data.fuseau_horaire))
    opening = opens_at(commune, local)  # public holidays and closures skipped
    if opening is None:
        said = commune.message("agent_va_repondre")
    else:
        day = "aujourd’hui" if opening.date() == local.date() else say_date(opening.date())
        said = commune.message("agent_repondra", quand=f"{day} à {say_time(opening.time())}")
    return said


def alarm_text(commune: Commune, found: Alarm) -> str:
    """The answer to a danger (its numbers and what to do) or to grief, before the agent's."""
    safety = commune.data.urgences
    if found.kind == "grief":
        return commune.message("deuil")
    if found.kind == "distress":
        return commune.message("detresse")
    names = list(situation_names(found, safety).values())
    return commune.message(
        "urgence",
        situation=" et ".join(names[:2]) if names else "",
        numeros=numbers(found, safety),
        conseil=" ".join(advice(found, safety)),
    )
