"""The shared clock: real by default, started at GUICHET_CLOCK_START when set."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot import clock


@pytest.fixture
def fresh_clock() -> Iterator[None]:
    clock._origin.cache_clear()
    yield
    clock._origin.cache_clear()


@pytest.mark.usefixtures("fresh_clock")
def test_the_real_clock_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUICHET_CLOCK_START", raising=False)
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.usefixtures("fresh_clock")
def test_a_started_clock_begins_at_its_instant_and_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUICHET_CLOCK_START", "2027-03-27T23:50:00+01:00")
    first = clock.utcnow()
    assert first.tzinfo is not None
    start = datetime(2027, 3, 27, 22, 50, tzinfo=UTC)
    assert start <= first < start + timedelta(seconds=5)
    assert clock.utcnow() >= first
