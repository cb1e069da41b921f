"""The booking conversation's state: which slots a resource needs, and slots <-> periods."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.dates import say_date
from bot.hours import say_time
from bot.labels import BOOKING_STATUSES
from bot.names import Slot
from calendar_store.spec import Booking, Kind, Period, ResourceSpec, Status, Unit
from calendar_store.wording import noun

NBSP = "\u00a0"


def required_slots(spec: ResourceSpec | None) -> tuple[Slot, ...]:
    """What the form must know for this resource, in the order it asks."""
    if spec is None:
        return (Slot.RESOURCE,)
    if spec.kind is Kind.APPOINTMENT:
        return (
            Slot.RESOURCE,
            Slot.ID_CASE,
            Slot.ANTS,
            Slot.DAY,
            Slot.TIME,
            Slot.NAME,
            Slot.CONTACT,
            Slot.CONFIRM,
        )
    middle = (Slot.QUANTITY,) if spec.kind is Kind.EQUIPMENT else ()
    timed = (Slot.TIME,) if spec.unit is not Unit.DAY else ()
    return (
        Slot.RESOURCE,
        Slot.REQUESTER,
        Slot.DAY,
        *timed,
        *middle,
        Slot.NAME,
        Slot.CONTACT,
        Slot.CONFIRM,
    )


def period_of(
    spec: ResourceSpec, day: date, hours: str | None, tz: ZoneInfo
) -> tuple[datetime, datetime] | None:
    """The range the slots describe, or None while they do not describe one yet."""
    if spec.unit is Unit.DAY:
        start = datetime.combine(day, time(0), tzinfo=tz)
        return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    if not hours:
        return None
    first, _, last = hours.partition("-")
    begin = datetime.combine(day, time.fromisoformat(first), tzinfo=tz)
    if spec.unit is Unit.SLOT and not last:
        return begin, begin + timedelta(minutes=spec.slot_minutes)
    if not last:
        return None
    end = datetime.combine(day, time.fromisoformat(last), tzinfo=tz)
    if end.time() == time(0):  # "de 20h à minuit" ends the next day
        end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return begin, end  # "de 18h à 14h" stays backwards: the calendar says why it is refused


def slots_of(spec: ResourceSpec, period: Period, tz: ZoneInfo) -> dict[str, str]:
    """The slot values that select a free period (for alternative buttons)."""
    start, end = period.start.astimezone(tz), period.end.astimezone(tz)
    values = {Slot.DAY.value: start.date().isoformat()}
    if spec.unit is Unit.SLOT and end - start <= timedelta(minutes=spec.slot_minutes):
        values[Slot.TIME.value] = f"{start:%H:%M}"
    elif spec.unit is not Unit.DAY:
        values[Slot.TIME.value] = f"{start:%H:%M}-{end:%H:%M}"
    return values


def say_period(spec: ResourceSpec, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """ "samedi 5 décembre 2026", "… de 14h à 18h", "… à 9h20"."""
    start, end = start.astimezone(tz), end.astimezone(tz)
    if spec.unit is Unit.DAY:
        last = (end - timedelta(hours=1)).date()
        if last == start.date():
            return say_date(start.date())
        return f"du {say_date(start.date())} au {say_date(last)}"
    if spec.unit is Unit.SLOT and end - start <= timedelta(minutes=spec.slot_minutes):
        return f"{say_date(start.date())} à {say_time(start.time())}"
    return f"{say_date(start.date())} de {say_time(start.time())} à {say_time(end.time())}"


def say_hours(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """A button title for a time of day: "9h20", "14h–18h"."""
    start, end = start.astimezone(tz), end.astimezone(tz)
    return (
        say_time(start.time())
        if end - start <= timedelta(hours=1)
        else (f"{say_time(start.time())}–{say_time(end.time())}")
    )


def what(spec: ResourceSpec, quantity: int) -> str:
    """ "la salle des fêtes", "50 chaises", "1 sonorisation"."""
    name = noun(spec.name)
    if spec.kind is not Kind.EQUIPMENT:
        return name.phrase
    bare = (
        name.bare[:-1] if quantity == 1 and name.plural and name.bare.endswith("s") else name.bare
    )
    return f"{quantity} {bare}"


def euros(amount: Decimal) -> str:
    """ "250 €", "12,50 €", "gratuit"."""
    if amount == 0:
        return "gratuit"
    text = f"{amount:,.2f}".replace(",", NBSP).replace(".", ",").removesuffix(",00")
    return f"{text}{NBSP}€"


def booking_line(booking: Booking, spec: ResourceSpec, tz: ZoneInfo) -> str:
    """One line of "mes réservations"."""
    # Only what is not plainly booked yet is said (« en attente de validation »).
    waiting = booking.status in (Status.HELD, Status.PENDING)
    return (
        f"{booking.reference} : {what(spec, booking.quantity)}, "
        f"{say_period(spec, booking.start, booking.end, tz)}"
        f"{f' ({BOOKING_STATUSES[booking.status]})' if waiting else ''}"
    )


def filled(values: Mapping[str, Any], spec: ResourceSpec | None) -> Slot | None:
    """The next slot to ask for, or None when the form is complete."""
    return next((s for s in required_slots(spec) if missing(values, s, spec)), None)


def missing(values: Mapping[str, Any], slot: Slot, spec: ResourceSpec | None) -> bool:
    """Whether the form still needs `slot` (hours with a start but no end still miss)."""
    value = values.get(slot.value)
    if value in (None, ""):
        return True
    if slot is Slot.TIME and spec is not None and spec.unit is Unit.HOUR:
        return str(value).endswith("-")
    return False
