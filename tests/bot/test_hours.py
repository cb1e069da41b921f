from __future__ import annotations

from datetime import time

import pytest

from bot.hours import Range, say_ranges, say_time, say_week


def r(text: str) -> Range:
    return Range.parse(text)


def test_times_are_said_the_french_way() -> None:
    assert say_time(time(8, 30)) == "8h30"
    assert say_time(time(12, 0)) == "12h"


def test_weekdays_with_the_same_hours_are_grouped() -> None:
    weekday: tuple[Range, ...] = (r("08:30-12:00"), r("13:30-17:30"))
    week = dict.fromkeys(("lundi", "mardi", "mercredi", "jeudi", "vendredi"), weekday)
    week["samedi"] = (r("09:00-12:00"),)
    assert say_week(week) == (
        "du lundi au vendredi de 8h30 à 12h et de 13h30 à 17h30 ; le samedi de 9h à 12h"
    )


def test_days_apart_are_listed() -> None:
    week = dict.fromkeys(("lundi", "mercredi", "vendredi"), (r("14:00-18:00"),))
    assert say_week(week) == "le lundi, le mercredi et le vendredi de 14h à 18h"


def test_a_closed_day_says_so() -> None:
    assert say_ranges(()) == "fermé"
    assert say_week({}) == "jamais"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("08:30", "début-fin"),
        ("08:30-12:00-14:00", "début-fin"),
        ("08:30-1h", "illisible"),
        ("14:00-09:00", "après le début"),
    ],
)
def test_bad_ranges_are_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        Range.parse(text)
