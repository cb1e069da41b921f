"""Limits against hoarding: the longest booking, the furthest end, live bookings per person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from calendar_store import rules, wording
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Kind,
    Refusal,
    ResourceSpec,
    Status,
    Unit,
)
from calendar_store.tables import BookingRow

_SEPARATORS = re.compile(r"[\s.\-/()]")
# How a refusal names the bookings of each kind: singular, plural, feminine.
_KINDS: dict[Kind, tuple[str, str, bool]] = {
    Kind.APPOINTMENT: ("rendez-vous", "rendez-vous", False),
    Kind.ROOM: ("réservation de salle", "réservations de salle", True),
    Kind.EQUIPMENT: ("prêt de matériel", "prêts de matériel", False),
}


def phone_key(phone: str | None) -> str | None:
    """A phone number as counted and stored: E.164 (+33…), whatever separators it was typed
    with; callers normally give E.164 already, this only tidies what they did not."""
    raw = (phone or "").strip().replace("(0)", "")
    if not raw:
        return None
    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10 and digits.isdigit():
        digits = "+33" + digits[1:]
    return digits


def email_key(email: str | None) -> str | None:
    """An e-mail address as counted and stored: trimmed, lower case."""
    value = (email or "").strip().lower()
    return value or None


def ants_key(number: str | None) -> str | None:
    """An ANTS pre-application number as counted and stored: upper case, no spaces."""
    value = re.sub(r"\s", "", number or "").upper()
    return value or None


def longest(spec: ResourceSpec, units: int) -> None:
    """Refuse a booking longer than the resource's longest (in days or hours)."""
    if spec.max_units is None or units <= spec.max_units or spec.unit is Unit.SLOT:
        return
    name = wording.noun(spec.name)
    word = "jour" if spec.unit is Unit.DAY else "heure"
    most = f"{spec.max_units} {word}{'s' if spec.max_units > 1 else ''}"
    verb = name.verb("se réserve", "se réservent")
    raise BookingRefused(Refusal.TOO_LONG, f"{name.subject} {verb} pour {most} au plus à la suite.")


def too_long(spec: ResourceSpec, units: int) -> bool:
    """Whether `units` is over the resource's longest booking."""
    return spec.max_units is not None and spec.unit is not Unit.SLOT and units > spec.max_units


def last_day(spec: ResourceSpec, now: datetime, tz: ZoneInfo) -> date:
    """The furthest bookable local day: a booking must be over by its end."""
    return rules.local_day(rules.latest(spec, now), tz)


def last_end(spec: ResourceSpec, now: datetime, tz: ZoneInfo) -> datetime:
    """The furthest instant a booking may end at: the end of the last bookable local day."""
    return rules.day_span(last_day(spec, now, tz), tz)[1]


def horizon(spec: ResourceSpec, request: BookingRequest, now: datetime, tz: ZoneInfo) -> None:
    """Refuse a booking that ends after the furthest bookable date."""
    if request.end > last_end(spec, now, tz):
        last = last_day(spec, now, tz)
        raise BookingRefused(
            Refusal.TOO_FAR,
            f"On ne peut pas réserver au-delà du {wording.day(last)} {last.year}.",
        )


def per_person(
    session: Session,
    kin: Sequence[str],
    spec: ResourceSpec,
    request: BookingRequest,
    now: datetime,
) -> None:
    """Refuse a person who already holds `live_per_person` live, future bookings among the
    resources of the same kind (`kin`), known by phone, e-mail, ANTS number or conversation."""
    if spec.live_per_person is None:
        return
    same = _same_person(request)
    if not same:
        return
    held = session.scalar(
        select(func.count(BookingRow.id)).where(
            BookingRow.resource.in_(kin or [spec.slug]),
            BookingRow.ends_at > now,
            or_(
                BookingRow.status.in_([Status.PENDING.value, Status.CONFIRMED.value]),
                and_(BookingRow.status == Status.HELD.value, BookingRow.hold_until > now),
            ),
            or_(*same),
        )
    )
    if int(held or 0) < spec.live_per_person:
        return
    one, many, feminine = _KINDS[spec.kind]
    count = spec.live_per_person
    what = one if count == 1 else many
    article = "une" if feminine else "un"
    raise BookingRefused(
        Refusal.PERSON_LIMIT,
        f"Vous avez déjà {count} {what} à venir, le maximum pour une même personne. "
        f"Annulez-en {article} avant d’en demander {article} autre.",
    )


def _same_person(request: BookingRequest) -> list[ColumnElement[bool]]:
    contact = request.contact
    same: list[ColumnElement[bool]] = []
    if (phone := phone_key(contact.phone)) is not None:
        same.append(BookingRow.contact_phone == phone)
    if (email := email_key(contact.email)) is not None:
        same.append(BookingRow.contact_email == email)
    if (ants := ants_key(contact.ants)) is not None:
        same.append(BookingRow.contact_ants == ants)
    if request.owner:
        same.append(BookingRow.owner == request.owner)
    return same
