"""The `dialogues` part of `make bench`: the simulated-resident suite of tests/dialogues, in full.

Every clock of tests/dialogues/clocks.py (the real one, then frozen starts at awkward moments)
gets a stack of its own on a fresh database; its scenarios (scenarios.FULL_REAL or FULL_FROZEN,
seeded) are played one after the other through the gateway and judged on the database. The
figures: success per category and per clock, conversations with a wrong side effect, with a
question asked three times, with internal or English text. Every failed conversation, with its
transcript, goes to var/bench/dialogues/failures.md. Alone:
`.venv/bin/python scripts/bench_dialogues.py [--quick] [--clocks reel,samedi-23h50]`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_common import ROOT, log
from bench_report import _ok, _stamp, _table

from tests.dialogues.clocks import ALL, PARIS, ClockSpec
from tests.dialogues.judge import Verdict
from tests.dialogues.runner import failure_report, figures, play_all
from tests.dialogues.scenarios import FAST_FROZEN, FAST_REAL, FULL_FROZEN, FULL_REAL, generate
from tests.dialogues.stacks import running

GOAL = 0.98  # share of conversations that reach their goal (issue 13), with 0 side effects
FAILURES = ROOT / "var" / "bench" / "dialogues" / "failures.md"
LABELS = {
    "salle-des-fetes": "salle des fêtes (journée, validation)",
    "salle-des-associations": "salle des associations (à l’heure)",
    "gymnase": "gymnase (créneaux, associations)",
    "materiel": "matériel prêté (quantités)",
    "rendez-vous-titres": "rendez-vous carte d’identité / passeport",
    "signalement": "signalement (7 catégories, photo ou non)",
    "suivi": "suivi : mes réservations, annulation, état d’un signalement",
    "correction": "correction (« non plutôt dimanche »…)",
    "changement-de-sujet": "signalement au milieu d’une réservation, et l’inverse",
    "question-en-chemin": "question fréquente au milieu d’un formulaire",
    "question-avant-formulaire": "question avant le formulaire (« vous prêtez… ? »)",
    "abandon": "abandon (« laisse tomber »)",
}


def dialogues(quick: bool = False, clocks: Sequence[str] = ()) -> dict[str, Any]:
    """Play the suite on every clock (or those named); the figures for bench/report.json."""
    chosen = [c for c in ALL if not clocks or c.key in clocks]
    verdicts: list[Verdict] = []
    began = time.monotonic()
    for spec in chosen:
        verdicts += _on_clock(spec, quick)
    found = figures(verdicts)
    FAILURES.parent.mkdir(parents=True, exist_ok=True)
    failed = [v for v in verdicts if not v.ok]
    FAILURES.write_text(
        f"# Failed conversations ({len(failed)} of {len(verdicts)})\n\n"
        + "\n\n".join(f"```\n{failure_report(v)}\n```" for v in failed)
        + "\n"
    )
    log(f"dialogues: {found['succeeded']}/{found['conversations']} succeeded; see {FAILURES}")
    clocks_seen = {c.key: c.label for c in chosen}
    return found | {
        "quick": quick,
        "clocks": clocks_seen,
        "seconds": round(time.monotonic() - began),
        "failed": {v.run.scenario.key: ", ".join(v.classes()) for v in failed},
    }


def _on_clock(spec: ClockSpec, quick: bool) -> list[Verdict]:
    with (
        tempfile.TemporaryDirectory(prefix=f"dialogues-{spec.key}-") as tmp,
        running(Path(tmp), spec) as up,
    ):
        now = up.clock.now() if spec.start is None else spec.start.astimezone(PARIS)
        if spec.start is None:
            counts = FAST_REAL if quick else FULL_REAL
        else:
            counts = FAST_FROZEN if quick else FULL_FROZEN
        scenarios = generate(spec, now, counts)
        log(f"dialogues on the clock « {spec.label} »: {len(scenarios)} conversations")
        done: list[Verdict] = []

        def progress(verdict: Verdict) -> None:
            done.append(verdict)
            if len(done) % 25 == 0 or len(done) == len(scenarios):
                ok = sum(v.ok for v in done)
                log(f"  {len(done)}/{len(scenarios)} played, {ok} reached their goal")

        return play_all(scenarios, up.url, up.engine, up.clock, progress)


def _rate(ok: int, total: int) -> str:
    return f"{100 * ok / total:.1f} %" if total else "—"


def report_lines(part: dict[str, Any] | None) -> list[str]:
    """The section of bench/report.md."""
    if not (part := _ok(part)):
        return []
    total, ok = part["conversations"], part["succeeded"]
    met = (
        total
        and ok / total >= GOAL
        and not part["wrong_side_effects"]
        and not part["triple_questions"]
    )
    lines = [
        "## Simulated residents: whole conversations judged by the database",
        "",
        f"{_stamp(part)} {total} conversations (tests/dialogues, seeded) over "
        f"{len(part['clocks'])} clock(s): " + "; ".join(part["clocks"].values()) + ". "
        "Each resident (a persona: SMS style, no accents, typos, polite, terse) answers what the "
        "assistant asks from their goal; success is the expected row in the database (resource, "
        "day, hours, quantity, status; report category and street; the cancellation) with no "
        "side effect the resident did not confirm, no question asked three times, no internal "
        f"name or English shown. Goal ≥ {GOAL:.0%} with 0 side effects and 0 triple questions: "
        f"{'met' if met else 'NOT met'}. Failed conversations, with their transcripts: "
        "`var/bench/dialogues/failures.md`.",
        "",
        f"Succeeded: **{ok} / {total} ({_rate(ok, total)})**; wrong side effects: "
        f"{part['wrong_side_effects']}; question three times: {part['triple_questions']}; "
        f"internal or English text: {part['leaks']}.",
        "",
    ]
    rows = [
        [LABELS.get(name, name), str(c["total"]), str(c["ok"]), _rate(c["ok"], c["total"])]
        for name, c in part["by_category"].items()
    ]
    lines += _table(["category", "conversations", "succeeded", "rate"], rows)
    rows = [
        [part["clocks"].get(name, name), str(c["total"]), str(c["ok"]), _rate(c["ok"], c["total"])]
        for name, c in part["by_clock"].items()
    ]
    lines += _table(["clock", "conversations", "succeeded", "rate"], rows)
    classes = ", ".join(f"{name} {n}" for name, n in part["failure_classes"].items())
    if classes:
        lines += [f"What failed (a conversation may fail in several ways): {classes}.", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="the fast subset on every clock")
    parser.add_argument("--clocks", default="", help="comma-separated clock keys (default: all)")
    args = parser.parse_args()
    clocks = [c for c in args.clocks.split(",") if c]
    found = dialogues(args.quick, clocks)
    shown = {k: v for k, v in found.items() if k != "failed"}
    print(json.dumps(shown, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
