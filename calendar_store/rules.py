"""The rules a request must pass before the calendar is read: validity, timing, alignment, price."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from itertools import pairwise
from zoneinfo import ZoneInfo

from calendar_store import wording
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Kind,
    Quote,
    Refusal,
    ResourceSpec,
    Unit,
)

HOUR = timedelta(hours=1)
_MINUTES_PER_DAY = 24 * 60

Span = tuple[datetime, datetime]  # a half-open [start, end) in UTC


def wall(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time, in minutes since that day's midnight."""
    day += timedelta(days=minutes // _MINUTES_PER_DAY)
    minutes %= _MINUTES_PER_DAY
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)
    return local.astimezone(UTC)


def day_span(day: date, tz: ZoneInfo, days: int = 1) -> Span:
    """Local midnight to local midnight: 23 or 25 hours on the days clocks change."""
    return wall(day, 0, tz), wall(day + timedelta(days=days), 0, tz)


def local_day(instant: datetime, tz: ZoneInfo) -> date:
    """The commune's calendar day of an instant."""
    return instant.astimezone(tz).date()


def days(first: date, last: date) -> list[date]:
    """Every day from first to last, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def open_on(spec: ResourceSpec, day: date) -> bool:
    """Whether the resource has any window that day (a closed day has none)."""
    return day not in spec.closed and any(w.weekday == day.weekday() for w in spec.windows)


def refuse_closed(spec: ResourceSpec, day: date) -> None:
    """Refuse a day the resource is closed (a public holiday, an exceptional closure)."""
    reason = spec.closed.get(day)
    if reason is not None:
        name = wording.noun(spec.name)
        raise BookingRefused(
            Refusal.CLOSED,
            f"On ne peut pas réserver {name.phrase} le {wording.day(day)} : {reason}.",
        )


def windows_on(spec: ResourceSpec, day: date, tz: ZoneInfo) -> list[Span]:
    """The opening windows of one local day, as UTC spans, in order."""
    if day in spec.closed:
        return []
    return sorted(
        (wall(day, w.start, tz), wall(day, w.end, tz))
        for w in spec.windows
        if w.weekday == day.weekday()
    )


def slots_on(spec: ResourceSpec, day: date, tz: ZoneInfo) -> list[Span]:
    """The fixed slots of one local day, laid from each window's start."""
    if day in spec.closed:
        return []
    slots = [
        (wall(day, m, tz), wall(day, m + spec.slot_minutes, tz))
        for w in spec.windows
        if w.weekday == day.weekday()
        for m in range(w.start, w.end - spec.slot_minutes + 1, spec.slot_minutes)
    ]
    return sorted(slots)


def candidates(spec: ResourceSpec, day: date, units: int, tz: ZoneInfo) -> list[Span]:
    """Every well-aligned span of `units` units starting on that local day, in order."""
    if spec.unit is Unit.DAY:
        covered = [day + timedelta(days=n) for n in range(units)]
        return [day_span(day, tz, units)] if all(open_on(spec, d) for d in covered) else []
    if spec.unit is Unit.SLOT:
        slots = slots_on(spec, day, tz)
        if units <= 1:
            return slots
        runs = [slots[i : i + units] for i in range(len(slots) - units + 1)]
        return [(run[0][0], run[-1][1]) for run in runs if _consecutive(run)]
    if day in spec.closed:
        return []
    spans = [
        (wall(day, m, tz), wall(day, m + 60 * units, tz))
        for w in spec.windows
        if w.weekday == day.weekday()
        for m in range(-(-w.start // 60) * 60, w.end - 60 * units + 1, 60)
    ]
    return sorted(spans)


def earliest(spec: ResourceSpec, now: datetime) -> datetime:
    """The first instant a booking may start at."""
    return now + spec.min_notice


def latest(spec: ResourceSpec, now: datetime) -> datetime:
    """The last instant a booking may start at."""
    return now + spec.max_ahead


def timing(spec: ResourceSpec, start: datetime, now: datetime) -> None:
    """Refuse a start in the past, too soon or too far ahead."""
    if start < now:
        raise BookingRefused(Refusal.PAST, "Ce créneau est déjà passé.")
    if start < earliest(spec, now):
        notice = wording.duration(spec.min_notice)
        raise BookingRefused(Refusal.TOO_SOON, f"Il faut réserver au moins {notice} à l'avance.")
    if start > latest(spec, now):
        ahead = wording.duration(spec.max_ahead)
        raise BookingRefused(
            Refusal.TOO_FAR, f"On ne peut pas réserver plus de {ahead} à l'avance."
        )


def sound(request: BookingRequest) -> None:
    """Refuse a request that no calendar could accept: bad data rather than a bad date."""
    if request.start.utcoffset() is None or request.end.utcoffset() is None:
        # A programming error upstream, but the resident still deserves a sentence.
        raise BookingRefused(Refusal.INVALID, "La date ou l'heure est incomplète.")
    if request.quantity < 1:
        raise BookingRefused(Refusal.INVALID, "La quantité doit être d'au moins 1.")
    contact = request.contact
    if not contact.name.strip():
        raise BookingRefused(Refusal.INVALID, "Il faut un nom pour la réservation.")
    if not (contact.phone or "").strip() and not (contact.email or "").strip():
        raise BookingRefused(
            Refusal.INVALID,
            "Il faut un numéro de téléphone ou une adresse e-mail pour vous joindre.",
        )
    if request.end <= request.start:
        raise BookingRefused(Refusal.END_BEFORE_START, "La fin doit venir après le début.")


def permitted(spec: ResourceSpec, request: BookingRequest) -> None:
    """Refuse a requester the resource is not open to, or more than its whole stock."""
    name = wording.noun(spec.name)
    if request.contact.type not in spec.allowed:
        raise BookingRefused(Refusal.NOT_ALLOWED, wording.only(spec.allowed, name))
    if request.quantity > spec.stock:
        if spec.kind is Kind.EQUIPMENT:
            message = f"Il n'y a que {spec.stock} {name.bare} en tout."
        else:
            message = f"On ne réserve {name.phrase} qu'une fois par demande."
        raise BookingRefused(Refusal.TOO_MANY, message)


def align(spec: ResourceSpec, start: datetime, end: datetime, tz: ZoneInfo) -> int:
    """Refuse a span that is not whole days, whole hours in one window, or one slot.

    Returns how many units (days, hours or slots) the span covers, for the price.
    """
    name = wording.noun(spec.name)
    first = local_day(start, tz)
    if spec.unit is Unit.DAY:
        last = local_day(end, tz)
        if start != day_span(first, tz)[0] or end != day_span(last, tz)[0]:
            message = f"{name.subject} {name.verb('se réserve', 'se réservent')}"
            raise BookingRefused(Refusal.MISALIGNED, f"{message} à la journée entière.")
        for day in days(first, last - timedelta(days=1)):
            refuse_closed(spec, day)
            if not open_on(spec, day):
                message = f"{name.subject} ne {name.verb('se réserve', 'se réservent')} pas"
                raise BookingRefused(Refusal.CLOSED, f"{message} le {wording.day(day)}.")
        return (last - first).days
    refuse_closed(spec, first)
    inside = any(ws <= start and end <= we for ws, we in windows_on(spec, first, tz))
    if spec.unit is Unit.HOUR:
        if not (_on_the_hour(start, tz) and _on_the_hour(end, tz)):
            message = f"{name.subject} {name.verb('se réserve', 'se réservent')}"
            raise BookingRefused(
                Refusal.MISALIGNED, f"{message} par heures entières (de 14 h à 16 h, par exemple)."
            )
        if not inside:
            raise BookingRefused(Refusal.CLOSED, "Ce créneau est en dehors des horaires.")
        return int((end - start) / HOUR)
    slots = slots_on(spec, first, tz)
    starts = [s for s, _ in slots]
    if start in starts:
        run = slots[starts.index(start) :]
        ends = [e for _, e in run]
        if end in ends and _consecutive(run[: ends.index(end) + 1]):
            taken = ends.index(end) + 1
            if taken <= spec.max_slots:
                return taken
            if spec.max_slots == 1:
                raise BookingRefused(
                    Refusal.MISALIGNED,
                    f"On réserve {name.phrase} par créneaux de {spec.slot_minutes} minutes, "
                    "un seul à la fois.",
                )
            longest = wording.duration(timedelta(minutes=spec.slot_minutes * spec.max_slots))
            raise BookingRefused(
                Refusal.MISALIGNED,
                f"On réserve {name.phrase} pour {longest} au plus à la suite.",
            )
    if not inside:
        raise BookingRefused(Refusal.CLOSED, "Ce créneau est en dehors des horaires.")
    raise BookingRefused(
        Refusal.MISALIGNED,
        f"On réserve {name.phrase} par créneaux de {spec.slot_minutes} minutes, "
        "aux horaires proposés.",
    )


def _consecutive(run: list[Span]) -> bool:
    """Whether slots follow each other without a gap (a lunch break splits them)."""
    return all(a[1] == b[0] for a, b in pairwise(run))


def validate(spec: ResourceSpec, request: BookingRequest, now: datetime, tz: ZoneInfo) -> int:
    """Every rule but availability, in order; returns the units the request covers."""
    sound(request)
    timing(spec, request.start, now)
    permitted(spec, request)
    return align(spec, request.start, request.end, tz)


def quote(spec: ResourceSpec, request: BookingRequest, units: int) -> Quote:
    """Price per unit and item for this kind of requester (none listed: free)."""
    unit_price = spec.prices.get(request.contact.type, Decimal(0))
    price = (Decimal(unit_price) * units * request.quantity).quantize(Decimal("0.01"))
    deposit = Decimal(spec.deposit).quantize(Decimal("0.01"))
    return Quote(price=price, deposit=deposit, approval=spec.approval)


def units_wanted(spec: ResourceSpec, start: datetime, end: datetime) -> int:
    """How many units a request means, even a misaligned one, to suggest the same length."""
    if end <= start:
        return 1
    if spec.unit is Unit.SLOT:
        slot = timedelta(minutes=spec.slot_minutes)
        return max(1, min(spec.max_slots, -(-(end - start) // slot)))
    if spec.unit is Unit.HOUR:
        return max(1, -(-int((end - start).total_seconds()) // 3600))
    # Local days are 23 to 25 hours long: the nearest whole number of days is what was meant.
    return max(1, round((end - start) / timedelta(days=1)))


def ceil_hour(instant: datetime, tz: ZoneInfo) -> datetime:
    """The first local whole hour at or after an instant."""
    local = instant.astimezone(tz)
    floor = local.replace(minute=0, second=0, microsecond=0)
    return instant if floor == local else floor.astimezone(UTC) + HOUR


def _on_the_hour(instant: datetime, tz: ZoneInfo) -> bool:
    local = instant.astimezone(tz)
    return local.minute == 0 and local.second == 0 and local.microsecond == 0
