"""The `fuzz` part of `make bench`: the gateway's public API fuzzed for minutes with a new seed
each time (pytest's tests/gateway/test_fuzz.py runs 40 s on a fixed one): how much was tried,
and every failure found. Alone: `.venv/bin/python scripts/bench_fuzz.py --seconds 300`."""

from __future__ import annotations

import argparse
import json
import secrets
import tempfile
from pathlib import Path
from typing import Any

from bench_common import log
from bench_report import _ok, _stamp

EXAMPLES = 500  # per operation and phase: the time budget ends the run first


def fuzz_part(seconds: int) -> dict[str, Any]:
    """One long run on a fresh database; its figures."""
    from tests.helpers.fuzz import fuzz, fuzzed_gateway  # the gateway, only when it runs

    seed = secrets.randbelow(2**31)
    log(f"fuzz: {seconds} s, seed {seed}")
    with tempfile.TemporaryDirectory() as name, fuzzed_gateway(Path(name)) as base:
        run = fuzz(base, Path(name), max_examples=EXAMPLES, max_time=seconds, seed=seed)
    log(f"fuzz: {run.test_cases} test cases, {len(run.failures)} kinds of failure")
    return run.figures()


def report_lines(part: dict[str, Any] | None) -> list[str]:
    """The section of bench/report.md."""
    if not (part := _ok(part)):
        return []
    from tests.helpers.fuzz import CHECKS

    found = part["failures"] + part["errors"]
    return [
        "## Fuzzing the public API (Schemathesis)",
        "",
        f"{_stamp(part)} Every operation of `/api/openapi.json` on the real gateway (SQLite, "
        "Rasa not running: turns end with the apology), in every phase (examples, coverage, "
        "fuzzing, stateful links), one JSON body in four replaced by hostile text or bytes "
        f"(`tests/helpers/fuzz_hooks.py`); checks: {', '.join(CHECKS)}. "
        f"Seed {part['seed']}.",
        "",
        f"{part['test_cases']} test cases on {part['operations']} operations in "
        f"{part['seconds']:.0f} s: {part['failing_cases']} failing, {part['server_errors']} "
        "server errors.",
        "",
        *([f"- {line}" for line in found] or ["No failure."]),
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=300)
    args = parser.parse_args()
    print(json.dumps(fuzz_part(args.seconds), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
