"""The notification outbox: messages to send later, written in the same transaction as their cause.

A booking and its confirmation are stored together or not at all; the outbox worker
(`channels/delivery.py`) sends them later, on the resident's channel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Index, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, UTCDateTime, utcnow
from calendar_store.spec import Booking, Status
from calendar_store.tables import BookingRow, ChangeRow

BOOKING_KINDS = frozenset(
    {
        "booking_confirmed",
        "booking_pending",
        "booking_cancelled",
        "booking_approved",
        "booking_rejected",
        "booking_reminder",
    }
)
# A conversation reply the gateway could not send at once (payload: text, buttons).
REPLY = "reply"
# Reminders go out the day before, at this local hour; a booking made later than that gets none.
REMINDER_HOUR = time(10, 0)

# Life of a row: queued → sending (claimed by one worker until `claimed_until`) → sent, or
# back to queued with a later `send_after` (transient error), or failed / skipped / cancelled.
# A row still "sending" after its claim lapsed is in doubt: the worker died mid-send.
STATUSES = ("queued", "sending", "sent", "failed", "skipped", "cancelled", "uncertain")


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
    status: Mapped[str] = mapped_column(String(12), default="queued")  # one of STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a send attempt began
    route: Mapped[str | None] = mapped_column(String(20))  # sms, telegram, email, transcript
    text: Mapped[str | None] = mapped_column(Text)  # what was (or is being) sent, as sent
    external_id: Mapped[str | None] = mapped_column(String(64))  # Twilio SID, Telegram message id
    last_error: Mapped[str | None] = mapped_column(String(500))


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
    send_after: datetime | None = None,
    route: str | None = None,
) -> Notification:
    """Queue one notification inside the caller's transaction; `route` forces how it goes."""
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
        send_after=send_after or now,
        route=route,
    )
    session.add(notice)
    session.flush()
    return notice


def queue_booking_notice(
    session: Session, booking: Booking, kind: str, send_after: datetime | None = None
) -> Notification:
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
    if kind == "booking_rejected":
        # The agent's reason, written with this change a moment ago in the same transaction.
        payload["reason"] = session.scalar(
            select(ChangeRow.note)
            .join(BookingRow, BookingRow.id == ChangeRow.booking_id)
            .where(BookingRow.reference == booking.reference)
            .order_by(ChangeRow.id.desc())
            .limit(1)
        )
    notice = queue(
        session,
        kind,
        payload,
        conversation_id=booking.owner,
        channel=booking.channel,
        phone=booking.contact.phone,
        email=booking.contact.email,
        reference=booking.reference,
        send_after=send_after,
    )
    if booking.contact.email and booking.channel in ("sms", "telegram"):
        # Whoever gave an address also gets the e-mail, with the .ics for their calendar (on
        # the web chat, the e-mail is the notice itself: see channels/delivery.py).
        queue(
            session,
            kind,
            dict(payload),
            conversation_id=booking.owner,
            channel=booking.channel,
            email=booking.contact.email,
            reference=booking.reference,
            send_after=send_after,
            route="email",
        )
    return notice


def reminder_time(start: datetime, tz: ZoneInfo) -> datetime:
    """When the reminder of a booking starting at `start` goes out: the day before, 10:00."""
    day_before = start.astimezone(tz).date() - timedelta(days=1)
    return datetime.combine(day_before, REMINDER_HOUR, tzinfo=tz)


def cancel_reminders(session: Session, reference: str) -> int:
    """Withdraw the reminders still queued for a booking that no longer takes place."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.reference == reference,
            Notification.kind == "booking_reminder",
            Notification.status == "queued",
        )
        .values(status="cancelled", last_error="booking no longer takes place")
    )
    return int(getattr(result, "rowcount", 0) or 0)


# What a booking's new status tells the resident (an approval is said by its caller).
_KIND_OF_STATUS = {
    Status.CONFIRMED: "booking_confirmed",
    Status.PENDING: "booking_pending",
    Status.CANCELLED: "booking_cancelled",
    Status.REJECTED: "booking_rejected",
}


def booking_notices(
    tz: ZoneInfo, now: Callable[[], datetime] = utcnow
) -> Callable[[Session, Booking], None]:
    """The calendar's `after` hook: the notice the booking's new status calls for, and its
    reminder (a row, so it survives restarts) or the withdrawal of that reminder."""

    def after(session: Session, booking: Booking) -> None:
        queue_booking_notice(session, booking, _KIND_OF_STATUS[booking.status])
        if booking.status is Status.CONFIRMED:
            when = reminder_time(booking.start, tz)
            if when > now():
                queue_booking_notice(session, booking, "booking_reminder", send_after=when)
        elif booking.status in (Status.CANCELLED, Status.REJECTED):
            cancel_reminders(session, booking.reference)

    return after
