"""First messages as residents write them, played through the real stack (a fast part of the
dev set; `make bench` plays both sets whole): the right answers, every danger with its numbers,
no false alarm."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine

from tests.understanding.judge import cases
from tests.understanding.play import play, summary

pytestmark = pytest.mark.stack

# Every third message of each family, and every danger and false alarm.
SAMPLE = [c for i, c in enumerate(cases("dev.yml")) if i % 3 == 0 or c.family == "danger"]


def test_residents_first_messages_get_their_answers(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    figures = summary(play(gateway, stack_engine, SAMPLE))
    wrong = "\n".join(f"{w['family']}: {w['text']} — {w['why']}" for w in figures["wrong"])
    assert figures["false_alarms"] == 0, wrong
    assert figures["emergencies_right"] >= figures["emergencies"] - 2, wrong
    assert figures["right"] >= 0.85, wrong
