"""Limits against hoarding: the longest booking, the furthest end, live bookings per person."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from calendar_store import rules, wording
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Kind,
    Refusal,
    ResourceSpec,
    Unit,
)

# Live bookings: pending or confirmed, or held while the hold lasts (`:now`). Written once
# for every statement that keeps them, so that they are kept alike.
LIVE = "(status IN ('pending', 'confirmed') OR (status = 'held' AND hold_until > :now))"
# A person's bookings found by their identities' indexes first, then kept when live and
# future among the resources of a kind: the cost follows that person's bookings, not the
# resources' (SQLite otherwise walks every booking of the resource). Only constants are
# joined; `who` only holds `id`, so LIVE's columns are the booking's.
_LIVE_FUTURE = (
    "SELECT count(*) FROM ({who}) AS who JOIN bookings b ON b.id = who.id "  # noqa: S608
    "WHERE b.resource IN :kin AND b.ends_at > :now AND " + LIVE
)
# The columns a person is known by, each indexed (the only names _held puts in its SQL).
IDENTITIES = frozenset({"contact_phone", "contact_email", "contact_ants", "owner"})
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
    """The furthest bookable local day: a booking must be over by its end. Counted in the
    commune's calendar days, as the commune file says « jours à l'avance »: adding the days to
    the instant would, late on a winter evening, land after midnight in summer time and give
    one day more than at noon."""
    return rules.local_day(now, tz) + timedelta(days=spec.max_ahead.days)


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


def count_sql(columns: Sequence[str]) -> str:
    """SQL counting a person's live, future bookings among the resources `:kin`, known by
    these identity columns (each bound by its own name): plain SQL naming only the identities
    given, as it runs on every booking (a fiftieth of the cost of the same query built with the
    ORM over every identity, with 1,500 bookings)."""
    if not set(columns) <= IDENTITIES:
        raise ValueError(f"not an identity column: {columns}")
    # Only names of IDENTITIES reach the SQL (checked above); the values are bound.
    who = " UNION ".join(f"SELECT id FROM bookings WHERE {c} = :{c}" for c in columns)  # noqa: S608
    return _LIVE_FUTURE.format(who=who)


def identities(spec: ResourceSpec, request: BookingRequest) -> dict[str, str]:
    """How the person of a request is known (phone, e-mail, ANTS number, conversation), as
    counted and stored; nothing when the resource counts nobody."""
    if spec.live_per_person is None:
        return {}
    contact = request.contact
    known = {
        "contact_phone": phone_key(contact.phone),
        "contact_email": email_key(contact.email),
        "contact_ants": ants_key(contact.ants),
        "owner": request.owner or None,
    }
    return {column: value for column, value in known.items() if value is not None}


def per_person(spec: ResourceSpec, held: int) -> None:
    """Refuse a person who already holds `live_per_person` live, future bookings among the
    resources of the same kind (`held`, counted by `count_sql`)."""
    if spec.live_per_person is None or held < spec.live_per_person:
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
