"""Playing a batch of scenarios on one stack, the failure report, and the figures per category."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import httpx
from sqlalchemy import Engine

from tests.dialogues.clocks import SimClock
from tests.dialogues.judge import Verdict, judge
from tests.dialogues.model import Category, Scenario
from tests.dialogues.simulator import Resident


def play(scenario: Scenario, client: httpx.Client, engine: Engine, clock: SimClock) -> Verdict:
    """One conversation through the gateway, judged on the database it leaves."""
    return judge(Resident(scenario, client, clock).play(), engine)


def play_all(
    scenarios: Iterable[Scenario],
    gateway_url: str,
    engine: Engine,
    clock: SimClock,
    progress: Callable[[Verdict], None] | None = None,
) -> list[Verdict]:
    verdicts = []
    with httpx.Client(base_url=gateway_url, timeout=60) as client:
        for scenario in scenarios:
            verdict = play(scenario, client, engine, clock)
            verdicts.append(verdict)
            if progress is not None:
                progress(verdict)
    return verdicts


def transcript(verdict: Verdict) -> str:
    """The conversation as the resident saw it, with what the simulator understood."""
    lines = []
    for turn in verdict.run.turns:
        note = f"   ({turn.note})" if turn.note else ""
        lines.append(f"  habitant : {turn.said}{note}")
        for reply in turn.replies:
            text = str(reply.get("text") or "").replace("\n", "\n             ")
            if text:
                lines.append(f"  guichet  : {text}")
            titles = [str(b.get("title", "")) for b in reply.get("buttons") or []]
            if titles:
                lines.append("             [" + "] [".join(titles) + "]")
        lines.append(f"             → question lue : {turn.ask}")
    return "\n".join(lines)


def failure_report(verdict: Verdict) -> str:
    """Why a conversation failed: expected against found, the invariants broken, the transcript."""
    run, s = verdict.run, verdict.run.scenario
    head = [f"✗ {s.describe()}", f"  conversation : {run.owner} (horloge {s.clock})"]
    for title, items in (
        ("résultat", verdict.outcome),
        ("effets de bord", verdict.side_effects),
        ("question posée 3 fois", verdict.triples),
        ("texte interne ou anglais", verdict.leaks),
        ("comportement", verdict.checks),
    ):
        head += [f"  {title} : {item}" for item in items]
    head.append("  en base : " + ("; ".join(verdict.found) or "rien"))
    if run.gave_up:
        head.append(f"  l'habitant abandonne : {run.gave_up}")
    if run.exhausted:
        head.append("  l'habitant abandonne : 25 messages sans arriver au but")
    if run.handed_off:
        head.append("  la conversation est passée à un agent")
    head += [f"  note du simulateur : {n}" for n in run.notes]
    return "\n".join([*head, transcript(verdict)])


def figures(verdicts: list[Verdict]) -> dict[str, Any]:
    """Success per category, wrong side effects, triple questions, failure classes."""
    by_category: dict[str, dict[str, int]] = {}
    for category in Category:
        mine = [v for v in verdicts if v.run.scenario.category is category]
        if mine:
            by_category[category.value] = {"total": len(mine), "ok": sum(v.ok for v in mine)}
    by_clock: dict[str, dict[str, int]] = {}
    for verdict in verdicts:
        clock = by_clock.setdefault(verdict.run.scenario.clock, {"total": 0, "ok": 0})
        clock["total"] += 1
        clock["ok"] += verdict.ok
    classes: Counter[str] = Counter(c for v in verdicts for c in v.classes())
    return {
        "conversations": len(verdicts),
        "succeeded": sum(v.ok for v in verdicts),
        "by_category": by_category,
        "by_clock": by_clock,
        "wrong_side_effects": sum(bool(v.side_effects) for v in verdicts),
        "triple_questions": sum(bool(v.triples) for v in verdicts),
        "leaks": sum(bool(v.leaks) for v in verdicts),
        "failure_classes": dict(classes.most_common()),
        "turns": sum(len(v.run.turns) for v in verdicts),
    }
