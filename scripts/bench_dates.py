"""The date benchmark (scripts/dates_bench.py) as one part of `make bench`: its goal lines."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_common import ROOT


def bench_dates() -> dict[str, Any]:
    """scripts/dates_bench.py: our date understanding beside plain dateparser."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dates.json"
        script = ROOT / "scripts" / "dates_bench.py"
        done = subprocess.run(
            [sys.executable, str(script), "--json", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{script.name} failed: {done.stderr.strip()[-300:]}")
        shown = done.stdout
        figures = json.loads(out.read_text())
    keep = ("guichet ", "dateparser ", "GOAL")
    return {
        "goal_lines": [line for line in shown.splitlines() if line.startswith(keep)],
        "goal_met": figures["goal_met"],
        "goals": {name: p["goals"] for name, p in figures["parsers"].items()},
        "ms_per_example": {name: p["ms_per_example"] for name, p in figures["parsers"].items()},
    }
