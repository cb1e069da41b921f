"""Between rows and the contract's dataclasses: bookings, changes and resource rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from calendar_store import quota
from calendar_store.spec import (
    Booking,
    BookingRequest,
    Change,
    Contact,
    Quote,
    Requester,
    ResourceSpec,
    Status,
)
from calendar_store.tables import BookingRow, ChangeRow, ResourceRow


def resource_values(spec: ResourceSpec) -> dict[str, Any]:
    """The row a spec keeps in the resources table."""
    return {"slug": spec.slug, "name": spec.name, "kind": spec.kind.value, "stock": spec.stock}


def upsert(session: Session, values: Sequence[dict[str, Any]]) -> None:
    """Insert resource rows, or update them when the commune file changed."""
    if not values:
        return
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        module: Any = sqlite if dialect == "sqlite" else postgresql
        statement = module.insert(ResourceRow).values(list(values))
        statement = statement.on_conflict_do_update(
            index_elements=[ResourceRow.slug],
            set_={c: statement.excluded[c] for c in ("name", "kind", "stock")},
        )
        session.execute(statement)
        return
    for value in values:  # other backends: slower, but the same result under our lock
        if session.get(ResourceRow, value["slug"]) is None:
            session.execute(insert(ResourceRow).values(value))
        else:
            session.merge(ResourceRow(**value))


def row_for(
    spec: ResourceSpec,
    request: BookingRequest,
    quote: Quote,
    status: Status,
    token_hash: str,
    now: datetime,
) -> BookingRow:
    """A new booking row, its reference still to be drawn."""
    contact = request.contact
    return BookingRow(
        resource=spec.slug,
        starts_at=request.start,
        ends_at=request.end,
        quantity=request.quantity,
        status=status.value,
        exclusive=spec.exclusive,
        hold_until=None,
        contact_name=contact.name.strip(),
        contact_type=contact.type.value,
        # Stored the way the limits count them (quota.py): E.164, lower case, no spaces.
        contact_phone=quota.phone_key(contact.phone),
        contact_email=quota.email_key(contact.email),
        contact_association=_blank_to_none(contact.association),
        contact_ants=quota.ants_key(contact.ants),
        owner=request.owner,
        channel=request.channel,
        price=quote.price,
        deposit=quote.deposit,
        cancel_token_hash=token_hash,
        created_at=now,
        updated_at=now,
    )


def booking_of(row: BookingRow, token: str | None = None) -> Booking:
    """The contract's view of a row; the token only right after creation."""
    return Booking(
        reference=row.reference,
        resource=row.resource,
        start=_utc(row.starts_at),
        end=_utc(row.ends_at),
        quantity=row.quantity,
        status=Status(row.status),
        contact=Contact(
            name=row.contact_name,
            type=Requester(row.contact_type),
            phone=row.contact_phone,
            email=row.contact_email,
            association=row.contact_association,
            ants=row.contact_ants,
        ),
        price=row.price,
        deposit=row.deposit,
        owner=row.owner,
        channel=row.channel,
        created_at=_utc(row.created_at),
        hold_until=None if row.hold_until is None else _utc(row.hold_until),
        cancel_token=token,
    )


def change_of(row: ChangeRow) -> Change:
    """One recorded status."""
    return Change(status=Status(row.status), by=row.by, at=row.at, note=row.note)


def _utc(instant: datetime) -> datetime:
    # A row just written still holds the caller's datetimes: answer in UTC like a read one.
    return instant.astimezone(UTC)


def _blank_to_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def request_of(booking: Booking) -> BookingRequest:
    """A stored booking asked again (to re-check a lapsed hold)."""
    return BookingRequest(
        resource=booking.resource,
        start=booking.start,
        end=booking.end,
        contact=booking.contact,
        quantity=booking.quantity,
        owner=booking.owner,
        channel=booking.channel,
    )
