"""The transcript: every inbound and outbound message, stored with its conversation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from bot.db import utcnow
from bot.models import Conversation, Message

Author = Literal["resident", "assistant", "agent", "system"]
# Payload keys of the requests a message holds that wait for a form to finish, and of the
# answer that takes them up.
DEFERRED = "deferred"
TAKEN_UP = "deferred_taken_up"


class OfferedButton(TypedDict):
    """A button the assistant offered: what it said, and what pressing it sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class ConversationRef:
    """Where a message belongs: a channel and the resident's id on that channel."""

    channel: str
    external_id: str

    @property
    def id(self) -> str:
        return f"{self.channel}:{self.external_id}"


@dataclass(frozen=True)
class Entry:
    """One message to store; `payload` holds what is not text (buttons, image, metadata)."""

    author: Author
    text: str | None
    payload: dict[str, Any] | None = field(default=None)


@dataclass(frozen=True)
class StoredMessage:
    """A message read back from the transcript."""

    id: int
    direction: str
    author: str
    text: str | None
    payload: dict[str, Any] | None
    created_at: datetime


def ensure_conversation(session: Session, ref: ConversationRef, now: datetime) -> None:
    """Create the conversation's row unless it exists (insert-or-ignore: two first messages
    arriving together do not collide)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Conversation)
        .values(
            id=ref.id,
            channel=ref.channel,
            external_id=ref.external_id,
            started_at=now,
            last_activity_at=now,
        )
        .on_conflict_do_nothing(index_elements=["id"])
    )


class Transcript:
    """Writes and reads conversations; each call is one transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def record(self, ref: ConversationRef, entries: Sequence[Entry]) -> None:
        """Store `entries` in order; inbound if written by the resident, outbound otherwise."""
        now = utcnow()
        with self._sessions.begin() as session:
            ensure_conversation(session, ref, now)
            session.execute(
                update(Conversation).where(Conversation.id == ref.id).values(last_activity_at=now)
            )
            for entry in entries:
                session.add(
                    Message(
                        conversation_id=ref.id,
                        direction="in" if entry.author == "resident" else "out",
                        author=entry.author,
                        text=entry.text,
                        payload=entry.payload,
                        created_at=now,
                    )
                )

    def offered_buttons(self, conversation_id: str, turns: int = 1) -> list[OfferedButton]:
        """Buttons the assistant offered in its last `turns` turns, newest first.

        SMS numbered choices read the last turn only (older choices are stale once the resident
        has written); Telegram keyboards stay on screen, so their presses look further back.
        """
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id.desc())
                .limit(40)
            ).all()
        found: list[OfferedButton] = []
        seen_turns = 0
        for row in rows:
            if row.direction == "in":
                seen_turns += 1
                if seen_turns >= turns:
                    break
                continue
            for button in (row.payload or {}).get("buttons") or []:
                if isinstance(button, dict) and "title" in button and "payload" in button:
                    found.append(
                        OfferedButton(title=str(button["title"]), payload=str(button["payload"]))
                    )
            if found and turns == 1:
                break  # the newest message with buttons is the offer in force
        return found

    def deferred(self, conversation_id: str, since: datetime) -> list[dict[str, Any]]:
        """The requests of a message put off while a form asked its question (« annulez les
        chaises et réservez-moi les tables »: the tables wait for the cancellation), if they
        were put off after `since` and not taken up since."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.direction == "out")
                .order_by(Message.id.desc())
                .limit(40)
            ).all()
        for row in rows:
            payload = row.payload or {}
            if payload.get(TAKEN_UP):
                return []
            later = payload.get(DEFERRED)
            if isinstance(later, list):
                return later if row.created_at >= since else []
        return []

    def pushed(self, conversation_id: str, after: int, limit: int = 50) -> list[StoredMessage]:
        """Messages the resident did not ask for (an agent's reply, a handoff notice), after
        message `after`: the web chat, which cannot be pushed to, fetches these."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(
                    Message.conversation_id == conversation_id,
                    Message.id > after,
                    Message.direction == "out",
                    Message.author.in_(("agent", "system")),
                )
                .order_by(Message.id)
                .limit(limit * 4)
            )
            return [
                StoredMessage(m.id, m.direction, m.author, m.text, m.payload, m.created_at)
                for m in rows
                if (m.payload or {}).get("push")
            ][:limit]

    def messages(self, conversation_id: str) -> list[StoredMessage]:
        """The conversation's messages, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id)
                .order_by(Message.id)
            )
            return [
                StoredMessage(m.id, m.direction, m.author, m.text, m.payload, m.created_at)
                for m in rows
            ]
