"""iCalendar files: a resource's busy times for the public, and one booking for its holder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from calendar_store import wording
from calendar_store.spec import Booking, Period, ResourceSpec, Status

PRODID = "-//Guichet//calendar_store//FR"
_DOMAIN = "guichet"


def busy_calendar(
    spec: ResourceSpec,
    periods: Iterable[Period],
    tz: ZoneInfo,
    *,
    stamp: datetime | None = None,
) -> bytes:
    """A public feed of when a resource is taken: no name, no contact, only "Réservé"."""
    calendar = _calendar()
    calendar.add("x-wr-calname", wording.noun(spec.name).subject)
    calendar.add("x-wr-timezone", tz.key)
    now = stamp or datetime.now(UTC)
    for period in periods:
        event = Event()
        # Stable across exports, so that subscribed calendars update instead of duplicating.
        event.add("uid", f"{spec.slug}-{_compact(period.start)}@{_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", period.start.astimezone(UTC))
        event.add("dtend", period.end.astimezone(UTC))
        event.add("summary", "Réservé")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def invitation(
    booking: Booking,
    spec: ResourceSpec,
    *,
    location: str,
    tz: ZoneInfo,
    stamp: datetime | None = None,
) -> bytes:
    """One booking to add to the resident's own calendar (tentative while pending)."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    name = wording.noun(spec.name)
    what = name.phrase if spec.exclusive else f"{booking.quantity} {name.bare}"
    event = Event()
    event.add("uid", f"{booking.reference}@{_DOMAIN}")
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("dtstart", booking.start.astimezone(UTC))
    event.add("dtend", booking.end.astimezone(UTC))
    event.add("summary", f"{name.subject} ({booking.reference})")
    event.add(
        "description",
        f"Réservation {booking.reference} : {what}, {wording.span(booking.start, booking.end, tz)}."
        " Gardez cette référence pour toute question ou annulation.",
    )
    event.add("location", location)
    event.add("status", _STATUS.get(booking.status, "CANCELLED"))
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return bytes(calendar.to_ical())


# RFC 5545 VEVENT status of each booking status; the others (cancelled, rejected, expired)
# are CANCELLED, so a calendar that imported the invitation shows it is off.
_STATUS = {Status.PENDING: "TENTATIVE", Status.HELD: "TENTATIVE", Status.CONFIRMED: "CONFIRMED"}


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    return calendar


def _compact(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
