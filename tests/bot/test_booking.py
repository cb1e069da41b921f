"""The booking conversation's state: slots to ask, periods they describe, French wording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import booking
from bot.commune import load_commune
from bot.names import Slot
from bot.settings import ROOT
from calendar_store.spec import Period

PARIS = ZoneInfo("Europe/Paris")
SPECS = {s.slug: s for s in load_commune(Path(ROOT / "communes" / "clairval.yml")).resources()}


def test_each_kind_of_resource_asks_what_it_needs() -> None:
    assert booking.required_slots(None) == (Slot.RESOURCE,)
    assert Slot.TIME not in booking.required_slots(SPECS["salle-des-fetes"])
    assert Slot.TIME in booking.required_slots(SPECS["salle-des-associations"])
    assert Slot.QUANTITY in booking.required_slots(SPECS["chaises"])
    appointment = booking.required_slots(SPECS["rdv-titres"])
    assert appointment[:3] == (Slot.RESOURCE, Slot.ID_CASE, Slot.ANTS)
    assert Slot.REQUESTER not in appointment


def test_the_next_slot_to_ask() -> None:
    spec = SPECS["salle-des-fetes"]
    values = {"booking_resource": "salle-des-fetes", "requester_type": "resident"}
    assert booking.filled(values, spec) is Slot.DAY
    values |= {"booking_day": "2026-12-05", "contact_name": "Marie", "contact": "+33612345678"}
    assert booking.filled(values, spec) is Slot.CONFIRM  # the summary's yes comes last
    assert booking.filled(values | {"booking_confirm": "yes"}, spec) is None
    hours = SPECS["salle-des-associations"]
    partial = values | {"booking_resource": hours.slug, "booking_time": "18:00-"}
    assert booking.filled(partial, hours) is Slot.TIME  # a start without an end still misses


def test_a_whole_day_on_the_clock_change_days_is_23_or_25_hours() -> None:
    spec = SPECS["salle-des-fetes"]
    spring = booking.period_of(spec, date(2026, 3, 29), None, PARIS)
    autumn = booking.period_of(spec, date(2026, 10, 25), None, PARIS)
    assert spring is not None
    assert autumn is not None
    # Same-zone subtraction in Python is wall-clock: compare real durations in UTC.
    assert (spring[1].astimezone(UTC) - spring[0]).total_seconds() == 23 * 3600
    assert (autumn[1].astimezone(UTC) - autumn[0]).total_seconds() == 25 * 3600
    assert spring[0].astimezone(UTC) == datetime(2026, 3, 28, 23, 0, tzinfo=UTC)


def test_hours_and_slots_become_periods() -> None:
    hourly = booking.period_of(
        SPECS["salle-des-associations"], date(2026, 12, 5), "14:00-18:00", PARIS
    )
    assert hourly is not None
    assert hourly[0].astimezone(UTC) == datetime(2026, 12, 5, 13, 0, tzinfo=UTC)
    assert (hourly[1] - hourly[0]).total_seconds() == 4 * 3600
    late = booking.period_of(
        SPECS["salle-des-associations"], date(2026, 12, 5), "20:00-00:00", PARIS
    )
    assert late is not None
    assert late[1] == datetime(2026, 12, 6, 0, 0, tzinfo=PARIS)
    backwards = booking.period_of(
        SPECS["salle-des-associations"], date(2026, 12, 5), "18:00-14:00", PARIS
    )
    assert backwards is not None
    assert backwards[1] < backwards[0]  # left for the calendar to refuse with its reason
    slot = booking.period_of(SPECS["rdv-titres"], date(2026, 12, 8), "09:20", PARIS)
    assert slot is not None
    assert (slot[1] - slot[0]).total_seconds() == 20 * 60
    assert (
        booking.period_of(SPECS["salle-des-associations"], date(2026, 12, 5), "14:00", PARIS)
        is None
    )


def test_a_period_round_trips_through_slot_values() -> None:
    spec = SPECS["salle-des-associations"]
    start = datetime(2026, 12, 5, 14, tzinfo=PARIS)
    values = booking.slots_of(spec, Period(start, datetime(2026, 12, 5, 18, tzinfo=PARIS)), PARIS)
    assert values == {"booking_day": "2026-12-05", "booking_time": "14:00-18:00"}
    assert booking.period_of(spec, date(2026, 12, 5), values["booking_time"], PARIS) == (
        start,
        datetime(2026, 12, 5, 18, tzinfo=PARIS),
    )


@pytest.mark.parametrize(
    ("slug", "time", "said"),
    [
        ("salle-des-fetes", None, "samedi 5 décembre 2026"),
        ("salle-des-associations", "14:00-18:00", "samedi 5 décembre 2026 de 14h à 18h"),
        ("gymnase", "09:00", "samedi 5 décembre 2026 à 9h"),
    ],
)
def test_periods_are_said_in_full_french(slug: str, time: str | None, said: str) -> None:
    spec = SPECS[slug]
    period = booking.period_of(spec, date(2026, 12, 5), time, PARIS)
    assert period is not None
    assert booking.say_period(spec, *period, PARIS) == said


def test_prices_and_quantities_in_french() -> None:
    assert booking.euros(Decimal(250)) == "250\u00a0€"
    assert booking.euros(Decimal("12.5")) == "12,50\u00a0€"
    assert booking.euros(Decimal(1500)) == "1\u00a0500\u00a0€"
    assert booking.euros(Decimal(0)) == "gratuit"
    assert booking.what(SPECS["chaises"], 50) == "50 chaises"
    assert booking.what(SPECS["salle-des-fetes"], 1) == "la salle des fêtes"
