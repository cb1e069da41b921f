"""The `understanding` part of `make bench`: first messages written the way residents write, in
six families (danger, long, indirect, short, elsewhere, double), played through a real stack
and judged by the answers they get (tests/understanding/judge.py).

Three sets: tests/understanding/heldout2.yml (measured, never looked at while tuning),
tests/understanding/heldout.yml (the first held-out set, whose misses were once seen) and
tests/understanding/dev.yml (the one the assistant was tuned on, shown for comparison). Every
channel goes through the same gateway turn (tests/gateway/test_safety_channels.py plays the
emergencies on each). Alone: `.venv/bin/python scripts/bench_understanding.py [--sets heldout.yml]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench_common import ROOT, log
from bench_report import _ok, _stamp, _table

from tests.dialogues.clocks import REAL
from tests.dialogues.stacks import running
from tests.understanding.judge import cases
from tests.understanding.play import play, summary

GOAL = 0.95  # share of messages rightly answered (issue 14), with every emergency right
SETS = ("heldout2.yml", "heldout.yml", "dev.yml")
WRONG = ROOT / "var" / "bench" / "understanding" / "wrong.md"


def understanding(sets: tuple[str, ...] = SETS) -> dict[str, Any]:
    """Each set played on a fresh stack; its figures, per family."""
    found: dict[str, Any] = {}
    began = time.monotonic()
    lines: list[str] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        running(Path(folder), REAL) as up,
        httpx.Client(base_url=up.url, timeout=60) as client,
    ):
        for name in sets:
            log(f"understanding: {name}")
            figures = summary(play(client, up.engine, cases(name)))
            wrong = figures.pop("wrong")
            lines += [f"## {name}: {len(wrong)} wrong", ""]
            # A held-out set's texts stay unread: only what was expected and what came.
            hidden = name.startswith("heldout")
            lines += [
                f"- [{w['family']}] {'(texte masqué)' if hidden else w['text']} — {w['why']}"
                for w in wrong
            ] + [""]
            found[name.removesuffix(".yml")] = figures
            log(f"understanding: {name}: {figures['right']:.1%} right")
    WRONG.parent.mkdir(parents=True, exist_ok=True)
    WRONG.write_text("\n".join(lines), encoding="utf-8")
    return {"sets": found, "seconds": round(time.monotonic() - began)}


def report_lines(part: dict[str, Any] | None) -> list[str]:
    """The section of bench/report.md."""
    if not (part := _ok(part)):
        return []
    lines = [
        "## First messages as residents write them (tests/understanding)",
        "",
        f"{_stamp(part)} Each message is the first of a new conversation on a real stack; it "
        "is right when the answers it gets are the ones its labels name (an emergency also "
        "needs its numbers; another institution its directory entry; two questions, both). "
        "`heldout2` was written apart and never looked at; `heldout` was written apart too, "
        "but its misses were once seen while tuning; `dev` was used to tune. "
        f"Goal ≥ {GOAL:.0%} on the held-out set, every emergency right, no false alarm. "
        "Wrong answers: `var/bench/understanding/wrong.md`.",
        "",
    ]
    for name, figures in part["sets"].items():
        rows = [[family, f"{rate:.1%}"] for family, rate in figures["families"].items()]
        lines += [
            f"**{name}**: {figures['right']:.1%} right of {figures['messages']} "
            f"({figures['in_order']:.1%} also in order); emergencies "
            f"{figures['emergencies_right']}/{figures['emergencies']}; false alarms "
            f"{figures['false_alarms']}.",
            "",
            *_table(["family", "right"], rows),
        ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated file names")
    args = parser.parse_args()
    found = understanding(tuple(s for s in args.sets.split(",") if s))
    print(json.dumps(found, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
