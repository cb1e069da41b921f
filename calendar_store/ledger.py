"""Writing bookings: the per-resource lock, references, and status changes with their history."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import zlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from calendar_store.records import booking_of, resource_values, upsert
from calendar_store.spec import Booking, BookingRefused, Kind, Refusal, ResourceSpec, Status
from calendar_store.tables import NO_OVERLAP, REFERENCE_UNIQUE, BookingRow, ChangeRow, ResourceRow

After = Callable[[Session, Booking], None]
SYSTEM = "system"  # who expires holds
# No 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B: a reference is read aloud and typed on phones.
ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"


def begin_write(session: Session) -> None:
    """Open the transaction as a writer, before it reads anything."""
    if session.get_bind().dialect.name == "sqlite":
        # Take SQLite's write lock at once: Python's sqlite3 would begin a DEFERRED
        # transaction at the first INSERT only, so two writers could both read "free"
        # before either wrote (and a reader turning writer fails without the busy wait).
        session.execute(text("BEGIN IMMEDIATE"))


def lock(session: Session, spec: ResourceSpec, *, kind: Kind | None = None) -> None:
    """Serialise the writers of one resource (a no-op FOR UPDATE on SQLite, already locked);
    with `kind`, also the writers that count a person's live bookings of that kind. On
    PostgreSQL that is an advisory lock taken in the same statement (one round trip less on
    every counted booking); every counted writer takes both the same way, so always in the
    same order. SQLite's write lock already serialises every writer."""
    locked = select(ResourceRow.slug).where(ResourceRow.slug == spec.slug).with_for_update()
    if kind is not None and session.get_bind().dialect.name == "postgresql":
        locked = locked.add_columns(func.pg_advisory_xact_lock(kind_key(kind)))
    if session.execute(locked).first() is None:
        # A resource added to the commune file since the last sync.
        upsert(session, [resource_values(spec)])
        session.execute(locked)


def kind_key(kind: Kind) -> int:
    """The PostgreSQL advisory lock of the writers that count one kind's bookings per person."""
    return zlib.crc32(f"calendar_store.kind:{kind.value}".encode())


def expire_lapsed(session: Session, slug: str, now: datetime) -> int:
    """Mark one resource's lapsed holds expired, so that they no longer block anyone."""
    lapsed = session.scalars(
        select(BookingRow).where(
            BookingRow.resource == slug,
            BookingRow.status == Status.HELD.value,
            BookingRow.hold_until <= now,
        )
    ).all()
    for row in lapsed:
        change(session, row, Status.EXPIRED, SYSTEM, now, "hold lapsed", None)
    return len(lapsed)


def insert(session: Session, spec: ResourceSpec, row: BookingRow) -> None:
    """Add a new booking under a fresh reference."""
    for _ in range(20):
        row.reference = _new_reference(session, spec.prefix)
        try:
            # A savepoint, so that a reference taken meanwhile by another resource with the
            # same prefix costs a retry, not the whole transaction.
            with session.begin_nested():
                session.add(row)
        except IntegrityError as error:
            broken = _constraint(error)
            if REFERENCE_UNIQUE in broken or "bookings.reference" in broken:
                continue
            raise _taken_or(error) from error
        return
    raise RuntimeError(f"no free reference left for prefix {spec.prefix}")


def change(
    session: Session,
    row: BookingRow,
    status: Status,
    by: str,
    now: datetime,
    note: str | None,
    after: After | None,
    *,
    token: str | None = None,
) -> Booking:
    """Set a status, record who did it, then let the caller write alongside (after)."""
    row.status = status.value
    row.updated_at = now
    try:
        session.flush()
    except IntegrityError as error:
        raise _taken_or(error) from error
    session.add(ChangeRow(booking_id=row.id, status=status.value, by=by, at=now, note=note))
    session.flush()
    booking = booking_of(row, token)
    if after is not None:
        after(session, booking)
    return booking


def new_token() -> tuple[str, str]:
    """A cancel token for the resident, and the only thing kept of it: its sha256."""
    token = secrets.token_urlsafe(16)
    return token, _digest(token)


def may_cancel(row: BookingRow, token: str | None, owner: str | None) -> bool:
    """The right token (compared in constant time) or the conversation that booked."""
    if token is not None and hmac.compare_digest(_digest(token), row.cancel_token_hash):
        return True
    return owner is not None and owner == row.owner


def _new_reference(session: Session, prefix: str) -> str:
    while True:
        reference = f"{prefix}-{''.join(secrets.choice(ALPHABET) for _ in range(4))}"
        taken = select(BookingRow.id).where(BookingRow.reference == reference)
        if session.execute(taken).first() is None:
            return reference


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _constraint(error: IntegrityError) -> str:
    """The name of the constraint an error broke (psycopg tells it; SQLite says it in words)."""
    diag = getattr(error.orig, "diag", None)
    return str(getattr(diag, "constraint_name", None) or error.orig)


def _taken_or(error: IntegrityError) -> Exception:
    # The exclusion constraint only fires if a writer skipped the lock: still a refusal.
    if NO_OVERLAP in _constraint(error):
        return BookingRefused(Refusal.TAKEN, "Ce créneau est déjà pris.")
    return error
