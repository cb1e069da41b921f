"""When, in the middle of a booking: hours against the day being discussed, parts of days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.moment import PARTS, duration, read

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 3, 14, 0, tzinfo=PARIS)
JAN_5 = date(2027, 1, 5)


def test_hours_said_after_the_date_are_on_that_date() -> None:
    said = read("de 18h à 20h", NOW, on=JAN_5)
    assert said is not None
    assert (said.day, said.start, said.end) == (JAN_5, time(18), time(20))


def test_without_a_day_discussed_hours_name_no_day() -> None:
    said = read("de 18h à 20h", NOW)
    assert said is not None and said.day is None


def test_a_weekday_alone_is_the_one_nearest_the_day_discussed() -> None:
    saturday = date(2026, 12, 12)
    said = read("non, plutôt dimanche", NOW, on=saturday)
    assert said is not None and said.day == date(2026, 12, 13)


def test_parts_of_the_day_and_the_whole_day() -> None:
    evening = read("le soir", NOW, on=JAN_5)
    assert evening is not None and evening.part == PARTS["soir"]
    whole = read("toute la journée", NOW, on=JAN_5)
    assert whole is not None and whole.whole_day and whole.day == JAN_5


def test_evening_hours_are_hours_not_the_evening() -> None:
    said = read("de 6h à 8h du soir", NOW, on=JAN_5)
    assert said is not None and (said.start, said.end, said.part) == (time(18), time(20), None)


def test_weeks_ahead_name_a_day() -> None:
    said = read("dans 3 semaines", NOW)
    assert said is not None and said.day == date(2026, 12, 24)


def test_an_end_alone_and_a_length() -> None:
    said = read("jusqu'à 20h", NOW, on=JAN_5)
    assert said is not None and (said.start, said.end) == (None, time(20))
    assert duration("pour 2 heures") == timedelta(hours=2)
    assert duration("le 2 mai") is None
