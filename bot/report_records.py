"""The tables of street reports: reports, who follows them, their history and their photos."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import (
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from bot.db import Base, UTCDateTime
from bot.places import distance_m
from bot.territory import Territory

if TYPE_CHECKING:
    from bot.report_values import Reporter

# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: a reference is read aloud and typed on phones.
ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
OPEN_VALUES = ("received", "acknowledged", "in_progress")

REFERENCE_UNIQUE = "uq_reports_reference"


class ReportRow(Base):
    """One street problem, as residents reported it and agents handle it."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reference", name=REFERENCE_UNIQUE),
        Index("ix_reports_category_status", "category", "status"),
        Index("ix_reports_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))
    # What Open311 publishes instead of the resident's words, once an agent approved it.
    public_description: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("report_photos.id"))
    photo: Mapped[PhotoRow | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    changes: Mapped[list[ReportChangeRow]] = relationship(
        order_by="ReportChangeRow.id", cascade="all, delete-orphan"
    )
    subscribers: Mapped[list[SubscriberRow]] = relationship(
        order_by="SubscriberRow.id", cascade="all, delete-orphan"
    )


class SubscriberRow(Base):
    """Someone told of a report's progress: who filed it, and whoever reported it again."""

    __tablename__ = "report_subscribers"
    __table_args__ = (
        # NULLs never clash: each identity a subscriber has is unique for its report.
        UniqueConstraint("report_id", "conversation_id", name="uq_report_subscribers_conv"),
        UniqueConstraint("report_id", "phone", name="uq_report_subscribers_phone"),
        UniqueConstraint("report_id", "email", name="uq_report_subscribers_email"),
        Index("ix_report_subscribers_conversation_id", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    conversation_id: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReportChangeRow(Base):
    """One step of a report's life: its new status, who, when and why."""

    __tablename__ = "report_changes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    comment: Mapped[str | None] = mapped_column(Text)


class PhotoRow(Base):
    """A cleaned photo (no metadata left), kept in the database with its report."""

    __tablename__ = "report_photos"
    __table_args__ = (Index("ix_report_photos_public_id", "public_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # The photo's name in messages and links: random, so nobody attaches or opens a photo by
    # guessing; and the conversation that sent it, the only one that may attach it to a report.
    public_id: Mapped[str | None] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    mime: Mapped[str] = mapped_column(String(20))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# -- from rows to values, and the searches the store makes inside its transactions ------------


def find_duplicate(
    session: Session,
    territory: Territory,
    category: str,
    street: str | None,
    point: tuple[float, float] | None,
    located: bool,
    now: datetime,
) -> ReportRow | None:
    """The open report of this category that is the same problem: nearest, then newest.

    Close positions make a duplicate whatever its age; a street's point stands for a report
    without coordinates, but two reports without any coordinates meet by street (and date) only.
    """
    rows = session.scalars(
        select(ReportRow)
        .where(ReportRow.category == category, ReportRow.status.in_(OPEN_VALUES))
        .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
    ).all()
    points = {s.nom: (s.lat, s.lon) for s in territory.rues}
    since = now - timedelta(days=territory.doublon_jours)
    near: list[tuple[float, ReportRow]] = []
    for row in rows:
        theirs = (row.lat, row.lon) if row.lat is not None and row.lon is not None else None
        if point is not None and (located or theirs is not None):
            other = theirs or (points.get(row.street or "") if row.street else None)
            if other is not None:
                metres = distance_m(point[0], point[1], other[0], other[1])
                if metres <= territory.doublon_metres:
                    near.append((metres, row))
    if near:
        return min(near, key=lambda pair: pair[0])[1]
    if street is not None:
        for row in rows:
            if row.street == street and row.created_at >= since:
                return row
    return None


def new_reference(session: Session) -> str:
    """A reference nobody holds yet (the unique constraint settles a race)."""
    for _ in range(50):
        reference = "SIG-" + "".join(secrets.choice(ALPHABET) for _ in range(4))
        taken = session.scalar(select(ReportRow.id).where(ReportRow.reference == reference))
        if taken is None:
            return reference
    raise RuntimeError("no free report reference found")


def subscriber_for(row: ReportRow, who: Reporter, now: datetime) -> SubscriberRow | None:
    """A new subscriber row for `who`, or None if they already follow the report (or are nobody)."""
    if not (who.conversation_id or who.phone or who.email):
        return None
    phones = {s.phone for s in row.subscribers if s.phone}
    emails = {s.email for s in row.subscribers if s.email}
    if who.conversation_id:
        if any(s.conversation_id == who.conversation_id for s in row.subscribers):
            return None
    elif (who.phone and who.phone in phones) or (who.email and who.email in emails):
        return None
    # The same phone seen from another conversation: link the conversation, notify the phone once.
    return SubscriberRow(
        conversation_id=who.conversation_id,
        channel=who.channel,
        phone=who.phone if who.phone not in phones else None,
        email=who.email if who.email not in emails else None,
        name=who.name,
        created_at=now,
    )
