"""The inbox: every message a channel delivers, stored before it is acknowledged.

Telegram and Twilio redeliver what they think was lost; the unique (channel, message id) makes a
second delivery a no-op, across every gateway process. A message is acknowledged once it is a row,
then processed; a gateway that dies mid-turn leaves the row claimed, and another process takes it
over when the claim lapses, so nothing is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Engine, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, UTCDateTime, make_session_factory, utcnow

CLAIM = timedelta(seconds=60)  # a turn takes well under a second; a minute means it died


class InboundRow(Base):
    """One delivery from a channel (a Telegram update, a Twilio message)."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_inbound_channel_message"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="received")  # received, done
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Delivery:
    """A stored delivery, claimed by the caller for processing."""

    id: int
    channel: str
    message_id: str
    payload: dict[str, Any]


class Inbox:
    """Accept deliveries once, and hand each to exactly one processor at a time."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = make_session_factory(engine)

    def accept(self, channel: str, message_id: str, payload: dict[str, Any]) -> Delivery | None:
        """Store a delivery claimed by the caller; None when it was already received."""
        now = utcnow()
        row = InboundRow(
            channel=channel,
            message_id=message_id,
            payload=payload,
            status="received",
            received_at=now,
            claimed_until=now + CLAIM,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return Delivery(row.id, channel, message_id, payload)
        except IntegrityError:
            return None

    def done(self, delivery_id: int) -> None:
        """The delivery was processed: never hand it out again."""
        with self._sessions.begin() as session:
            session.execute(
                update(InboundRow)
                .where(InboundRow.id == delivery_id)
                .values(status="done", done_at=utcnow(), claimed_until=None)
            )

    def stale(self, limit: int = 20) -> list[Delivery]:
        """Claim deliveries whose processor died (their claim lapsed), oldest first."""
        now = utcnow()
        with self._sessions() as session:
            candidates = session.scalars(
                select(InboundRow)
                .where(InboundRow.status == "received", InboundRow.claimed_until < now)
                .order_by(InboundRow.id)
                .limit(limit)
            ).all()
        claimed: list[Delivery] = []
        for row in candidates:
            # A conditional update: of two processes racing for a row, one changes it.
            with self._sessions.begin() as session:
                result = session.execute(
                    update(InboundRow)
                    .where(
                        InboundRow.id == row.id,
                        InboundRow.status == "received",
                        InboundRow.claimed_until == row.claimed_until,
                    )
                    .values(claimed_until=now + CLAIM)
                )
                if getattr(result, "rowcount", 0) == 1:
                    claimed.append(Delivery(row.id, row.channel, row.message_id, row.payload))
        return claimed
