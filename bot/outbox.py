"""The notification outbox: messages to send later, written in the same transaction as their cause.

The channels issue's worker delivers them; here they are only queued, so a booking and its
confirmation are stored together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, UTCDateTime, utcnow
from calendar_store.spec import Booking, Status

BOOKING_KINDS = frozenset(
    {
        "booking_confirmed",
        "booking_pending",
        "booking_cancelled",
        "booking_approved",
        "booking_rejected",
    }
)


class Notification(Base):
    """One message to deliver to a resident, on the channel and identity they used."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_send_after", "status", "send_after"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    conversation_id: Mapped[str | None] = mapped_column(String(200), index=True)
    channel: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    reference: Mapped[str | None] = mapped_column(String(20), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued, sent, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def queue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    conversation_id: str | None,
    channel: str | None,
    phone: str | None = None,
    email: str | None = None,
    reference: str | None = None,
) -> Notification:
    """Queue one notification inside the caller's transaction."""
    now = utcnow()
    notice = Notification(
        kind=kind,
        conversation_id=conversation_id,
        channel=channel,
        phone=phone,
        email=email,
        reference=reference,
        payload=payload,
        status="queued",
        attempts=0,
        created_at=now,
        send_after=now,
    )
    session.add(notice)
    session.flush()
    return notice


def queue_booking_notice(session: Session, booking: Booking, kind: str) -> Notification:
    """Queue the notice of a booking's change inside the caller's transaction."""
    if kind not in BOOKING_KINDS:
        raise ValueError(f"unknown booking notification kind: {kind}")
    payload = {
        "reference": booking.reference,
        "resource": booking.resource,
        "start": booking.start.isoformat(),
        "end": booking.end.isoformat(),
        "quantity": booking.quantity,
        "status": str(booking.status),
        "name": booking.contact.name,
    }
    return queue(
        session,
        kind,
        payload,
        conversation_id=booking.owner,
        channel=booking.channel,
        phone=booking.contact.phone,
        email=booking.contact.email,
        reference=booking.reference,
    )


# What a booking's new status tells the resident (an approval is said by its caller).
_KIND_OF_STATUS = {
    Status.CONFIRMED: "booking_confirmed",
    Status.PENDING: "booking_pending",
    Status.CANCELLED: "booking_cancelled",
    Status.REJECTED: "booking_rejected",
}


def booking_notice(session: Session, booking: Booking) -> None:
    """The calendar's `after` hook: queue the notice that the booking's new status calls for."""
    queue_booking_notice(session, booking, _KIND_OF_STATUS[booking.status])
