"""A question about one day (« ouvert le lundi de Pâques ? ») is answered for that day; a
habit (« le samedi ») gets the weekly hours."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

import actions.answer as answer

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def thursday(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answer, "local_now", lambda: datetime(2026, 12, 3, 10, 0, tzinfo=PARIS))


@pytest.mark.parametrize(
    ("said", "day"),
    [
        ("vous êtes ouverts le 1er janvier ?", date(2027, 1, 1)),
        ("la mairie est-elle ouverte le lundi de Pâques ?", date(2027, 3, 29)),
        ("ouvert ce samedi ?", date(2026, 12, 5)),
        ("vous ouvrez demain ?", date(2026, 12, 4)),
        ("c'est ouvert à Noël ?", date(2026, 12, 25)),
    ],
)
def test_one_day_is_named(said: str, day: date) -> None:
    assert answer.dated(said) == day


@pytest.mark.parametrize(
    "said", ["vous êtes ouverts le samedi ?", "horaires de la mairie", "ouvert en semaine ?"]
)
def test_a_habit_names_no_day(said: str) -> None:
    assert answer.dated(said) is None
