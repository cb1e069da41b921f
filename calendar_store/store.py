"""The booking calendar: checks, holds, bookings and their life, safe under concurrency."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from calendar_store import availability, checks, ledger, rules
from calendar_store.ledger import After
from calendar_store.records import (
    booking_of,
    change_of,
    request_of,
    resource_values,
    row_for,
    upsert,
)
from calendar_store.spec import (
    LIVE,
    Booking,
    BookingRefused,
    BookingRequest,
    Change,
    NotPermitted,
    Period,
    Quote,
    Refusal,
    ResourceSpec,
    Status,
    WrongState,
)
from calendar_store.tables import BookingRow, ChangeRow


@dataclass(frozen=True)
class _Txn:
    """An open write transaction on one resource."""

    session: Session
    now: datetime
    expired: int  # lapsed holds this transaction marked expired


PARIS = ZoneInfo("Europe/Paris")


def utcnow() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC)


class Store:
    """Resources, their availability and bookings, in one database shared by every process.

    Two live bookings never overlap on an exclusive resource and a stock is never lent
    beyond itself: every write takes one lock per resource (BEGIN IMMEDIATE on SQLite, a
    row lock on PostgreSQL) before it reads what is taken and writes.
    """

    def __init__(
        self,
        engine: Engine,
        specs: Iterable[ResourceSpec],
        *,
        tz: ZoneInfo = PARIS,
        clock: Callable[[], datetime] = utcnow,
        hold_minutes: int = 15,
    ) -> None:
        self._specs: dict[str, ResourceSpec] = {}
        for spec in specs:
            if spec.slug in self._specs:
                raise ValueError(f"two resources named {spec.slug!r}")
            self._specs[spec.slug] = spec
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self._hold = timedelta(minutes=hold_minutes)
        self.tz = tz

    # -- resources ---------------------------------------------------------------------

    def sync(self) -> None:
        """Create or update one row per resource (what writers lock and bookings point to)."""
        with self._sessions() as session, session.begin():
            ledger.begin_write(session)
            upsert(session, [resource_values(s) for s in self._specs.values()])

    def specs(self) -> list[ResourceSpec]:
        """Every resource, in the order given."""
        return list(self._specs.values())

    def spec(self, slug: str) -> ResourceSpec:
        """One resource; an unknown one is a refusal residents can read."""
        try:
            return self._specs[slug]
        except KeyError:
            raise BookingRefused(
                Refusal.UNKNOWN_RESOURCE, "Je ne connais pas cette ressource."
            ) from None

    # -- reading -----------------------------------------------------------------------

    def check(self, request: BookingRequest) -> Quote:
        """What a request would cost, or why it cannot be booked (with other dates)."""
        spec = self.spec(request.resource)
        with self._sessions() as session:
            return checks.screen(session, spec, request, self._now(), self.tz, self._kin(spec))

    def alternatives(self, request: BookingRequest, limit: int = 3) -> tuple[Period, ...]:
        """The nearest free spans of the same length and quantity: later first, then earlier."""
        spec = self.spec(request.resource)
        with self._sessions() as session:
            return checks.suggest(session, spec, request, self._now(), self.tz, limit)

    def availability(self, slug: str, first: date, last: date) -> list[Period]:
        """What may still be booked on local days first..last (days, stretches or slots)."""
        spec = self.spec(slug)
        now = self._now()
        with self._sessions() as session:
            busy = checks.live(session, slug, *self._days_span(first, last), now)
        return availability.free(spec, busy, first, last, now, self.tz)

    def busy(self, slug: str, first: date, last: date) -> list[Period]:
        """When nothing is left on local days first..last; nothing personal, for public pages."""
        spec = self.spec(slug)
        now = self._now()
        with self._sessions() as session:
            busy = checks.live(session, slug, *self._days_span(first, last), now)
        return availability.taken(spec, busy, first, last, self.tz)

    def get(self, reference: str) -> Booking:
        """One booking, without its cancel token."""
        with self._sessions() as session:
            return booking_of(checks.find(session, reference))

    def for_owner(self, owner: str) -> list[Booking]:
        """One conversation's bookings: live and future ones first, soonest first; then the rest."""
        now = self._now()
        with self._sessions() as session:
            rows = session.scalars(select(BookingRow).where(BookingRow.owner == owner)).all()
        bookings = [booking_of(r) for r in rows]
        ahead = sorted(
            (b for b in bookings if b.status in LIVE and b.end > now), key=lambda b: b.start
        )
        rest = sorted(
            (b for b in bookings if not (b.status in LIVE and b.end > now)),
            key=lambda b: b.start,
            reverse=True,
        )
        return ahead + rest

    def pending(self) -> list[Booking]:
        """Bookings waiting for an agent, soonest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(BookingRow)
                .where(BookingRow.status == Status.PENDING.value)
                .order_by(BookingRow.starts_at, BookingRow.id)
            ).all()
        return [booking_of(r) for r in rows]

    def changes(self, reference: str) -> list[Change]:
        """A booking's history of statuses, oldest first."""
        with self._sessions() as session:
            row = checks.find(session, reference)
            changes = session.scalars(
                select(ChangeRow)
                .where(ChangeRow.booking_id == row.id)
                .order_by(ChangeRow.at, ChangeRow.id)
            ).all()
        return [change_of(c) for c in changes]

    # -- writing -----------------------------------------------------------------------

    def hold(self, request: BookingRequest, *, by: str) -> Booking:
        """Keep a span for hold_minutes while the resident confirms; returns the cancel token."""
        return self._create(request, by=by, held=True, after=None)

    def book(self, request: BookingRequest, *, by: str, after: After | None = None) -> Booking:
        """Book at once: confirmed, or pending when an agent must approve."""
        return self._create(request, by=by, held=False, after=after)

    def confirm(self, reference: str, *, by: str, after: After | None = None) -> Booking:
        """Turn a hold into a booking; a lapsed hold is checked again first."""
        slug = self._resource_of(reference)
        with self._writing(slug, counted=self.spec(slug).live_per_person is not None) as txn:
            session, now = txn.session, txn.now
            row = checks.find(session, reference)
            spec = self.spec(row.resource)
            if row.status == Status.EXPIRED.value and row.hold_until is not None:
                # Nobody may have taken the span since, nor the person booked elsewhere meanwhile:
                # check it again as a new request.
                again = request_of(booking_of(row))
                checks.admit(session, spec, again, now, self.tz, self._kin(spec))
            elif row.status != Status.HELD.value:
                raise WrongState(f"{row.reference} is {row.status}, not held")
            row.hold_until = None
            return ledger.change(session, row, _booked(spec), by, now, None, after)

    def release(self, reference: str, *, by: str) -> Booking:
        """Give a hold back (the resident changed their mind); a lapsed one is left as it is."""
        with self._writing(self._resource_of(reference)) as txn:
            session, now = txn.session, txn.now
            row = checks.find(session, reference)
            if row.status == Status.EXPIRED.value:
                return booking_of(row)
            if row.status != Status.HELD.value:
                raise WrongState(f"{row.reference} is {row.status}, not held")
            return ledger.change(session, row, Status.CANCELLED, by, now, "hold released", None)

    def cancel(
        self,
        reference: str,
        *,
        by: str,
        token: str | None = None,
        owner: str | None = None,
        staff: bool = False,
        after: After | None = None,
    ) -> Booking:
        """Cancel a live booking; needs its cancel token, the conversation that made it, or an
        agent (`staff`: the console, whose every action is audited)."""
        with self._writing(self._resource_of(reference)) as txn:
            session, now = txn.session, txn.now
            row = checks.find(session, reference)
            if not (staff or ledger.may_cancel(row, token, owner)):
                raise NotPermitted(f"wrong token or owner for {row.reference}")
            if row.status not in LIVE:
                raise WrongState(f"{row.reference} is already {row.status}")
            return ledger.change(session, row, Status.CANCELLED, by, now, None, after)

    def approve(self, reference: str, *, by: str, after: After | None = None) -> Booking:
        """An agent accepts a pending booking."""
        return self._decide(reference, Status.CONFIRMED, by, None, after)

    def reject(
        self, reference: str, *, by: str, reason: str, after: After | None = None
    ) -> Booking:
        """An agent refuses a pending booking, saying why."""
        return self._decide(reference, Status.REJECTED, by, reason, after)

    def expire_holds(self) -> int:
        """Mark every lapsed hold expired; returns how many (for a periodic sweep)."""
        count = 0
        for slug in self._specs:
            with self._writing(slug) as txn:
                count += txn.expired
        return count

    # -- inside a transaction ----------------------------------------------------------

    @contextmanager
    def _writing(self, slug: str, *, counted: bool = False) -> Iterator[_Txn]:
        """One write transaction on one resource, serialised with every other writer of it;
        `counted`: it counts a person's live bookings of the resource's kind, so it is also
        serialised with the writers that count them (ledger.lock takes both locks)."""
        spec = self.spec(slug)
        with self._sessions() as session, session.begin():
            ledger.begin_write(session)
            ledger.lock(session, spec, kind=spec.kind if counted else None)
            # Read the clock once locked: waiting for the lock may have taken a while.
            now = self._now()
            yield _Txn(session, now, ledger.expire_lapsed(session, slug, now))

    def _create(
        self, request: BookingRequest, *, by: str, held: bool, after: After | None
    ) -> Booking:
        spec = self.spec(request.resource)
        counted = spec.live_per_person is not None
        with self._writing(spec.slug, counted=counted) as txn:
            session, now = txn.session, txn.now
            quote = checks.screen(session, spec, request, now, self.tz, self._kin(spec))
            status = Status.HELD if held else _booked(spec)
            token, token_hash = ledger.new_token()
            row = row_for(spec, request, quote, status, token_hash, now)
            if held:
                row.hold_until = now + self._hold
            ledger.insert(session, spec, row)
            return ledger.change(session, row, status, by, now, None, after, token=token)

    def _decide(
        self, reference: str, status: Status, by: str, note: str | None, after: After | None
    ) -> Booking:
        with self._writing(self._resource_of(reference)) as txn:
            session, now = txn.session, txn.now
            row = checks.find(session, reference)
            if row.status != Status.PENDING.value:
                raise WrongState(f"{row.reference} is {row.status}, not pending")
            return ledger.change(session, row, status, by, now, note, after)

    def _kin(self, spec: ResourceSpec) -> tuple[str, ...]:
        """The resources of the same kind as `spec` (counted together per person)."""
        return tuple(s.slug for s in self._specs.values() if s.kind is spec.kind)

    def _resource_of(self, reference: str) -> str:
        with self._sessions() as session:
            return checks.find(session, reference).resource

    def _days_span(self, first: date, last: date) -> tuple[datetime, datetime]:
        return rules.day_span(first, self.tz)[0], rules.day_span(last, self.tz)[1]

    def _now(self) -> datetime:
        now = self._clock()
        if now.utcoffset() is None:
            raise ValueError("the clock must give timezone-aware instants")
        return now.astimezone(UTC)


def _booked(spec: ResourceSpec) -> Status:
    """A booking's status once the resident said yes."""
    return Status.PENDING if spec.approval else Status.CONFIRMED
