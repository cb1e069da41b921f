"""A conversation on the resident's side: the transcript, what they agreed to, checks on replies."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.dialogues.model import Scenario, Step
from tests.dialogues.reading import FORM_ASKS, Ask, Reply, norm, rule, text_of


@dataclass
class Message:
    """What the resident sends: the text shown in the transcript and what is posted."""

    shown: str
    sent: str = ""
    metadata: dict[str, Any] | None = None
    note: str = ""
    yes_to: Ask | None = None  # this message says yes to that summary
    follow_up: Step | None = None  # this message is that follow-up (said again once if need be)


@dataclass
class Turn:
    said: str
    replies: list[Reply]
    note: str = ""
    ask: Ask = Ask.NOTHING


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Run:
    """Everything that happened: the transcript and what the resident agreed to."""

    scenario: Scenario
    sender: str
    turns: list[Turn] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    yes_booking: int = 0
    yes_report: int = 0
    abandoned: bool = False  # the resident gave up (the scenario's abandon, or fed up)
    gave_up: str = ""  # why the resident gave up on their own
    finished: bool = False  # nothing left to say
    exhausted: bool = False  # turn budget spent
    handed_off: bool = False
    references: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unplayed: list[Step] = field(default_factory=list)  # planned, never done

    @property
    def owner(self) -> str:
        return f"web:{self.sender}"


# A check on the reply that follows what the resident just said.
Expectation = Callable[[list[Reply], Ask], Check]


def informs(patterns: tuple[str, ...]) -> Expectation:
    """The answer to a question asked before any form: facts, then the offer to book."""

    def check(replies: list[Reply], ask: Ask) -> Check:
        said = norm(text_of(replies))
        missing = [p for p in patterns if not re.search(p, said)]
        offered = ask is Ask.OFFER or any(
            rule(t) is Ask.OFFER for t in re.split(r"(?<=[.!?])\s+", said)
        )
        detail = f"manque {missing}" if missing else ""
        if not missing and not offered:
            detail = "pas de proposition de réserver"
        return Check("répond à la question avant le formulaire", not missing and offered, detail)

    return check


def faq_answered(expect: str) -> Expectation:
    """A question asked in the middle of a form is answered, and the form goes on."""

    def check(replies: list[Reply], ask: Ask) -> Check:
        answered = re.search(expect, norm(text_of(replies))) is not None
        goes_on = ask in FORM_ASKS
        detail = "" if answered else f"réponse sans /{expect}/"
        if answered and not goes_on:
            detail = f"le formulaire ne reprend pas (question lue : « {ask} »)"
        return Check("répond à la question en chemin et reprend", answered and goes_on, detail)

    return check


def form_closed(replies: list[Reply], ask: Ask) -> Check:
    ok = ask not in FORM_ASKS
    detail = "" if ok else f"il demande encore « {ask} »"
    return Check("« laisse tomber » ferme le formulaire", ok, detail)


def set_aside(replies: list[Reply], ask: Ask) -> Check:
    ok = ask is Ask.SET_ASIDE
    detail = "" if ok else f"question lue : « {ask} »"
    return Check("propose de mettre la démarche en cours de côté", ok, detail)


def mentions(name: str, pattern: str) -> Expectation:
    def check(replies: list[Reply], ask: Ask) -> Check:
        text = text_of(replies)
        ok = re.search(pattern, text) is not None or re.search(pattern, norm(text)) is not None
        return Check(name, ok, "" if ok else f"réponse sans /{pattern}/")

    return check


def back_to(name: str, ask: Ask, asks: frozenset[Ask]) -> Check:
    """Once the errand started in the middle is done, the first one comes back by itself."""
    ok = ask in asks or ask is Ask.RESUME
    return Check(name, ok, f"après le numéro, la question lue est « {ask} »")
