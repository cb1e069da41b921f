"""What is free, given the live bookings: what is left, free periods, nearest alternatives."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_store import quota, rules
from calendar_store.spec import Period, ResourceSpec, Unit

# A live booking as availability sees it: start, end, quantity; nothing personal.
Busy = tuple[datetime, datetime, int]

# How far around a request alternatives are looked for, each way.
HORIZON = timedelta(days=31)


def left(
    spec: ResourceSpec, busy: Sequence[Busy], start: datetime, end: datetime, tz: ZoneInfo
) -> int:
    """How much of the resource is free over the whole of [start, end).

    An exclusive resource is 1 or 0; a stock is lent per local day, so what is left over
    several days is what is left on the fullest of them.
    """
    if spec.exclusive:
        return 0 if any(bs < end and start < be for bs, be, _ in busy) else 1
    first, last = rules.local_day(start, tz), rules.local_day(end - timedelta(microseconds=1), tz)
    return min(_left_on(spec, busy, day, tz) for day in rules.days(first, last))


def free(
    spec: ResourceSpec, busy: Sequence[Busy], first: date, last: date, now: datetime, tz: ZoneInfo
) -> list[Period]:
    """Free periods of local days first..last that may still be booked."""
    low, high = rules.earliest(spec, now), rules.latest(spec, now)
    periods: list[Period] = []
    for day in rules.days(first, last):
        if spec.unit is Unit.HOUR:
            periods += _stretches(spec, busy, day, low, high, tz)
            continue
        spans = (
            rules.slots_on(spec, day, tz)
            if spec.unit is Unit.SLOT
            else rules.candidates(spec, day, 1, tz)
        )
        for start, end in spans:
            if low <= start <= high:
                room = left(spec, busy, start, end, tz)
                if room > 0:
                    periods.append(Period(start, end, room))
    return periods


def taken(
    spec: ResourceSpec, busy: Sequence[Busy], first: date, last: date, tz: ZoneInfo
) -> list[Period]:
    """When nothing can be booked: each live booking if exclusive, each full day of a stock."""
    low, high = rules.day_span(first, tz)[0], rules.day_span(last, tz)[1]
    if spec.exclusive:
        return [Period(bs, be, 0) for bs, be, _ in sorted(busy) if bs < high and low < be]
    periods = []
    for day in rules.days(first, last):
        if _left_on(spec, busy, day, tz) <= 0:
            start, end = rules.day_span(day, tz)
            periods.append(Period(start, end, 0))
    return periods


def search_span(start: datetime, units: int, tz: ZoneInfo) -> rules.Span:
    """The instants alternatives to a request starting then may touch."""
    day = rules.local_day(start, tz)
    low = rules.day_span(day - HORIZON, tz)[0]
    high = rules.day_span(day + HORIZON + timedelta(days=units + 1), tz)[0]
    return low, high


def nearest(
    spec: ResourceSpec,
    busy: Sequence[Busy],
    start: datetime,
    units: int,
    quantity: int,
    now: datetime,
    tz: ZoneInfo,
    limit: int,
) -> tuple[Period, ...]:
    """Free spans of the same length and quantity: later ones first, then earlier ones."""
    found: list[Period] = []
    last_end = quota.last_end(spec, now, tz)
    for span_start, span_end in _around(spec, start, units, tz):
        if len(found) >= limit:
            break
        if not rules.earliest(spec, now) <= span_start <= rules.latest(spec, now):
            continue
        if span_end > last_end:
            continue
        room = left(spec, busy, span_start, span_end, tz)
        if room >= quantity:
            found.append(Period(span_start, span_end, room))
    return tuple(found)


def _around(spec: ResourceSpec, start: datetime, units: int, tz: ZoneInfo) -> Iterator[rules.Span]:
    day = rules.local_day(start, tz)
    for offset in range(HORIZON.days + 1):
        yield from (
            s
            for s in rules.candidates(spec, day + timedelta(days=offset), units, tz)
            if s[0] > start
        )
    for offset in range(HORIZON.days + 1):
        earlier = rules.candidates(spec, day - timedelta(days=offset), units, tz)
        yield from (s for s in reversed(earlier) if s[0] < start)


def _left_on(spec: ResourceSpec, busy: Sequence[Busy], day: date, tz: ZoneInfo) -> int:
    start, end = rules.day_span(day, tz)
    return spec.stock - sum(q for bs, be, q in busy if bs < end and start < be)


def _stretches(
    spec: ResourceSpec,
    busy: Sequence[Busy],
    day: date,
    low: datetime,
    high: datetime,
    tz: ZoneInfo,
) -> list[Period]:
    """Maximal free stretches of whole hours inside each window of the day."""
    periods = []
    for window_start, window_end in rules.windows_on(spec, day, tz):
        cursor = rules.ceil_hour(max(window_start, low), tz)
        for bs, be, _ in sorted(b for b in busy if b[0] < window_end and window_start < b[1]):
            if bs > cursor:
                periods.append(Period(cursor, min(bs, window_end)))
            cursor = max(cursor, be)
        if cursor < window_end:
            periods.append(Period(cursor, window_end))
    return [p for p in periods if p.end - p.start >= rules.HOUR and p.start <= high]
