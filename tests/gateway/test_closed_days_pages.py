"""Closed days on the public availability page and the agents' week grid: said, not « libre »."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.commune import load_commune
from calendar_store.spec import ResourceSpec
from gateway.availability import day_row
from gateway.console.bookings import week_grid
from tests.conftest import DEMO_COMMUNE
from tests.helpers.calendar import PARIS

SPECS: dict[str, ResourceSpec] = {s.slug: s for s in load_commune(DEMO_COMMUNE).resources()}
ASCENSION = date(2027, 5, 6)
NOW = datetime(2027, 4, 20, 8, 0, tzinfo=UTC)


def test_the_public_page_says_why_a_day_is_closed() -> None:
    row = day_row(SPECS["rdv-titres"], ASCENSION, [], [], PARIS, NOW)
    assert row.free == "Fermé\u00a0: c\u2019est un jour férié (Ascension)"
    bridge = day_row(SPECS["salle-des-fetes"], date(2027, 5, 7), [], [], PARIS, NOW)
    assert bridge.free == "Fermé\u00a0: fermeture exceptionnelle (pont de l\u2019Ascension)"


def test_the_week_grid_marks_holidays_closed_with_their_reason() -> None:
    monday = date(2027, 5, 3)
    days = {d.iso: d for d in week_grid(SPECS["rdv-titres"], [], monday, PARIS)}
    thursday = days[ASCENSION.isoformat()]
    assert thursday.closed and thursday.why == "c\u2019est un jour férié (Ascension)"
    tuesday = days["2027-05-04"]
    assert not tuesday.closed and tuesday.why == ""
    hall = {d.iso: d for d in week_grid(SPECS["salle-des-fetes"], [], monday, PARIS)}
    assert not hall[ASCENSION.isoformat()].closed  # rented on holidays
