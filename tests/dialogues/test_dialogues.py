"""Simulated residents talk to the real stack; each conversation is judged by what it leaves.

The fast subset of the suite (scripts/bench_dialogues.py plays all of it): every category on the
real clock, on the stack the whole session shares, then a few on two frozen clocks, each on a
stack of its own started at that moment (Saturday 23:50, the night the clocks go forward).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy import Engine

from bot.stack import MODEL, RASA_BIN
from tests.dialogues.clocks import PARIS, REAL, SATURDAY_NIGHT, SPRING_FORWARD, ClockSpec, SimClock
from tests.dialogues.model import Scenario
from tests.dialogues.runner import failure_report, play
from tests.dialogues.scenarios import FAST_FROZEN, FAST_REAL, generate
from tests.dialogues.stacks import Running, running
from tests.helpers.stack import skip_or_fail

pytestmark = [pytest.mark.stack, pytest.mark.dialogues]

# The session's stack is shared with tests/gateway: the planner keeps off their days and streets.
ON_THE_REAL_CLOCK = generate(REAL, datetime.now(PARIS), FAST_REAL, shared=True)


def frozen(spec: ClockSpec) -> list[Scenario]:
    assert spec.start is not None
    return generate(spec, spec.start.astimezone(PARIS), FAST_FROZEN)


def key(scenario: Scenario) -> str:
    return scenario.key


def judged(scenario: Scenario, client: httpx.Client, engine: Engine, clock: SimClock) -> None:
    """Play the conversation; on failure, the report alone (transcript, expected and found)."""
    verdict = play(scenario, client, engine, clock)
    if not verdict.ok:
        pytest.fail(failure_report(verdict), pytrace=False)


@pytest.fixture(scope="module")
def real_clock() -> SimClock:
    return SimClock(REAL)


@pytest.mark.parametrize("scenario", ON_THE_REAL_CLOCK, ids=key)
def test_a_resident_reaches_their_goal(
    scenario: Scenario, gateway: httpx.Client, stack_engine: Engine, real_clock: SimClock
) -> None:
    judged(scenario, gateway, stack_engine, real_clock)


def frozen_stack(spec: ClockSpec, factory: pytest.TempPathFactory) -> Iterator[Running]:
    if not MODEL.exists() or not RASA_BIN.exists():
        skip_or_fail("no trained model or Rasa venv: run `make setup` first")
    with running(factory.mktemp(spec.key), spec) as up:
        yield up


@pytest.fixture(scope="class")
def saturday_night(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from frozen_stack(SATURDAY_NIGHT, tmp_path_factory)


@pytest.fixture(scope="class")
def clocks_go_forward(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    yield from frozen_stack(SPRING_FORWARD, tmp_path_factory)


class TestSaturdayAt2350:
    """Saturday 23:50: « demain » is Sunday, « samedi prochain » a week away."""

    @pytest.mark.parametrize("scenario", frozen(SATURDAY_NIGHT), ids=key)
    def test_a_resident_reaches_their_goal(
        self, scenario: Scenario, saturday_night: Running
    ) -> None:
        with httpx.Client(base_url=saturday_night.url, timeout=60) as client:
            judged(scenario, client, saturday_night.engine, saturday_night.clock)


class TestTheNightClocksGoForward:
    """28 March 2027 from 1:58: at 2:00 the clocks jump to 3:00 while residents talk."""

    @pytest.mark.parametrize("scenario", frozen(SPRING_FORWARD), ids=key)
    def test_a_resident_reaches_their_goal(
        self, scenario: Scenario, clocks_go_forward: Running
    ) -> None:
        with httpx.Client(base_url=clocks_go_forward.url, timeout=60) as client:
            judged(scenario, client, clocks_go_forward.engine, clocks_go_forward.clock)
