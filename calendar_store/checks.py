"""Requests against the rules and the live bookings, inside whatever transaction is open."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, TextualSelect, bindparam, select, text
from sqlalchemy.orm import Session

from calendar_store import availability, quota, rules, wording
from calendar_store.availability import Busy
from calendar_store.spec import (
    BookingNotFound,
    BookingRefused,
    BookingRequest,
    Period,
    Quote,
    Refusal,
    ResourceSpec,
)
from calendar_store.tables import BookingRow
from calendar_store.types import UTCDateTime

# Refusals worth answering with other dates: the wish was fine, its moment was not.
_WITH_ALTERNATIVES = frozenset(
    {Refusal.PAST, Refusal.TOO_SOON, Refusal.TOO_FAR, Refusal.CLOSED, Refusal.MISALIGNED}
)


def screen(
    session: Session,
    spec: ResourceSpec,
    request: BookingRequest,
    now: datetime,
    tz: ZoneInfo,
    kin: Sequence[str] = (),
) -> Quote:
    """Every rule in order, the limits against hoarding (`kin`: the resources of the same
    kind, counted together per person), then availability; the price of a request that passes."""
    try:
        rules.sound(request)
        # Too long before anything else: ten years would otherwise be refused for its first
        # public holiday, and every day of it looked at first.
        quota.longest(spec, rules.units_wanted(spec, request.start, request.end))
        units = rules.validate(spec, request, now, tz)
        quota.horizon(spec, request, now, tz)
    except BookingRefused as refusal:
        if refusal.reason in _WITH_ALTERNATIVES:
            refusal.alternatives = suggest(session, spec, request, now, tz, 3)
        raise
    admit(session, spec, request, now, tz, kin)
    return rules.quote(spec, request, units)


def admit(
    session: Session,
    spec: ResourceSpec,
    request: BookingRequest,
    now: datetime,
    tz: ZoneInfo,
    kin: Sequence[str] = (),
) -> None:
    """Refuse a person over their limit, then a span already taken. The person's bookings are
    counted in the same statement that reads the span's: on PostgreSQL a second round trip
    took 6 % off the booking API's throughput (`make bench`, limits)."""
    who = quota.identities(spec, request)
    if not who:
        ensure_free(session, spec, request, now, tz)
        return
    params = {"slug": spec.slug, "start": request.start, "end": request.end, "now": now}
    rows = session.execute(
        _busy_and_held(tuple(who)), {**params, "kin": list(kin or [spec.slug]), **who}
    ).all()
    # The count is the one row without a start.
    quota.per_person(spec, next(int(r.quantity) for r in rows if r.starts_at is None))
    busy = [(r.starts_at, r.ends_at, r.quantity) for r in rows if r.starts_at is not None]
    ensure_free(session, spec, request, now, tz, busy)


@functools.cache
def _busy_and_held(columns: tuple[str, ...]) -> TextualSelect:
    """`live` in plain SQL, plus one row without a start whose quantity is the count of the
    person's live, future bookings (`quota.count_sql`, known by these identity columns)."""
    sql = f"{_LIVE_SQL} UNION ALL SELECT NULL, NULL, ({quota.count_sql(columns)})"
    return _typed(sql).bindparams(bindparam("kin", expanding=True))


def ensure_free(
    session: Session,
    spec: ResourceSpec,
    request: BookingRequest,
    now: datetime,
    tz: ZoneInfo,
    busy: list[Busy] | None = None,
) -> None:
    """Refuse a span already taken (or a stock too short), offering the nearest free ones;
    `busy`: the live bookings touching the span when the caller has read them already."""
    if request.start < now:
        raise BookingRefused(Refusal.PAST, "Ce créneau est déjà passé.")
    if busy is None:
        busy = live(session, spec.slug, request.start, request.end, now)
    room = availability.left(spec, busy, request.start, request.end, tz)
    if room >= request.quantity:
        return
    others = suggest(session, spec, request, now, tz, 3)
    if spec.exclusive:
        raise BookingRefused(Refusal.TAKEN, "Ce créneau est déjà pris.", alternatives=others)
    name = wording.noun(spec.name)
    if room == 1:  # "un" or "une": the item's gender is unknown, "exemplaire" is not
        message = "Il n'en reste plus qu'un exemplaire à ces dates."
    elif room > 0:
        message = f"Il ne reste que {room} {name.bare} de libres à ces dates."
    else:
        message = f"Il ne reste plus de {name.bare} à ces dates."
    raise BookingRefused(Refusal.TAKEN, message, alternatives=others, left=room)


def suggest(
    session: Session,
    spec: ResourceSpec,
    request: BookingRequest,
    now: datetime,
    tz: ZoneInfo,
    limit: int,
) -> tuple[Period, ...]:
    """The nearest free spans of the same length and quantity: later first, then earlier."""
    try:
        rules.sound(request)
        rules.permitted(spec, request)
    except BookingRefused:
        return ()  # no other date would do: the request itself is wrong
    if limit <= 0:
        return ()
    units = rules.units_wanted(spec, request.start, request.end)
    if quota.too_long(spec, units):
        return ()  # no span of that length may be booked anywhere
    low, high = availability.search_span(request.start, units, tz)
    busy = live(session, spec.slug, low, high, now)
    return availability.nearest(spec, busy, request.start, units, request.quantity, now, tz, limit)


# The live bookings touching a span, in plain SQL (only constants joined) so that `admit` can
# add the count of a person's bookings to the same statement.
_LIVE_SQL = (
    "SELECT starts_at, ends_at, quantity FROM bookings WHERE resource = :slug "  # noqa: S608
    "AND starts_at < :end AND ends_at > :start AND " + quota.LIVE
)


def _typed(sql: str) -> TextualSelect:
    """A statement over bookings' spans: instants bound and read in UTC on every backend."""
    instant = UTCDateTime()
    return (
        text(sql)
        .bindparams(
            bindparam("now", type_=instant),
            bindparam("start", type_=instant),
            bindparam("end", type_=instant),
        )
        .columns(starts_at=instant, ends_at=instant, quantity=Integer())
    )


_LIVE = _typed(_LIVE_SQL)


def live(session: Session, slug: str, start: datetime, end: datetime, now: datetime) -> list[Busy]:
    """Live bookings touching [start, end); a lapsed hold no longer counts."""
    rows = session.execute(_LIVE, {"slug": slug, "start": start, "end": end, "now": now}).all()
    return [(r.starts_at, r.ends_at, r.quantity) for r in rows]


def find(session: Session, reference: str) -> BookingRow:
    """A booking row by reference, as residents type it (any case, stray spaces)."""
    wanted = reference.strip().upper()
    row = session.scalars(select(BookingRow).where(BookingRow.reference == wanted)).first()
    if row is None:
        raise BookingNotFound(reference)
    return row
