"""The calendar's own schema: resources, bookings and the history of their statuses."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from calendar_store.types import UTCDateTime

# On PostgreSQL migration 0002 adds an exclusion constraint under this name (it needs the
# btree_gist extension, so it lives in the migration, not in this metadata): the database
# itself refuses two live overlapping bookings of an exclusive resource.
NO_OVERLAP = "ex_bookings_no_overlap"
REFERENCE_UNIQUE = "uq_bookings_reference"


class CalendarBase(DeclarativeBase):
    """Declarative base of the calendar schema, apart from the application's."""


class ResourceRow(CalendarBase):
    """A resource as synced from its spec: the row writers lock, and bookings point to."""

    __tablename__ = "resources"

    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    stock: Mapped[int] = mapped_column(Integer)


class BookingRow(CalendarBase):
    """One booking; the contact is copied in so that it stays as it was given."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="ck_bookings_range"),
        CheckConstraint("quantity > 0", name="ck_bookings_quantity"),
        UniqueConstraint("reference", name=REFERENCE_UNIQUE),
        Index("ix_bookings_resource_starts_at", "resource", "starts_at"),
        Index("ix_bookings_owner", "owner"),
        # Live bookings per person are counted by each of these (calendar_store/quota.py).
        Index("ix_bookings_contact_phone", "contact_phone"),
        Index("ix_bookings_contact_email", "contact_email"),
        Index("ix_bookings_contact_ants", "contact_ants"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16))
    resource: Mapped[str] = mapped_column(ForeignKey("resources.slug"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    exclusive: Mapped[bool] = mapped_column(Boolean)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_type: Mapped[str] = mapped_column(String(20))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_association: Mapped[str | None] = mapped_column(String(200))
    contact_ants: Mapped[str | None] = mapped_column(String(20))
    owner: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str | None] = mapped_column(String(20))
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    deposit: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    cancel_token_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChangeRow(CalendarBase):
    """One status a booking took: who set it, when, and why."""

    __tablename__ = "booking_changes"
    __table_args__ = (Index("ix_booking_changes_booking_id", "booking_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(Text)
