"""Schemathesis against the real gateway (SQLite, uvicorn on a free port): every operation of
/api/openapi.json, stateful links followed, no server error and answers as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.db import make_engine, migrate
from gateway.app import create_app
from tests.helpers.bookings import at, requester, saturday, serve_in_thread
from tests.helpers.reports import AGENT_TOKEN, OPEN311_KEY, settings_for

SCHEMATHESIS = Path(sys.executable).with_name("st")
HOOKS = Path(__file__).with_name("fuzz_hooks.py")  # hostile text in JSON bodies
# « No server error », and conformance: documented status codes, schemas and media types.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
)


@dataclass(frozen=True)
class FuzzRun:
    """What one run did and found (from Schemathesis's JSON report)."""

    test_cases: int
    operations: int
    seconds: float
    seed: int
    failing_cases: int = 0
    server_errors: int = 0  # failing cases answered 5xx
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    output: str = ""

    def figures(self) -> dict[str, Any]:
        return {
            "test_cases": self.test_cases,
            "operations": self.operations,
            "failing_cases": self.failing_cases,
            "server_errors": self.server_errors,
            "seconds": round(self.seconds, 1),
            "seed": self.seed,
            "failures": self.failures,
            "errors": self.errors,
        }


@contextmanager
def fuzzed_gateway(folder: Path) -> Iterator[str]:
    """The gateway on its own SQLite database; Rasa down (turns end with the apology), rates
    off (one client sends everything)."""
    url = f"sqlite:///{folder / 'fuzz.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        with serve_in_thread(create_app(settings_for(engine, RATE_LIMITS="off"))) as base:
            yield base
    finally:
        engine.dispose()


def _config(folder: Path) -> Path:
    """Values no generator guesses: the Open311 key, and one booking that can succeed (its
    cancellation and invitation are then reached through the links)."""
    day = saturday(6)
    booking = {
        "body.resource": "salle-des-associations",
        "body.start": at(day, 14).isoformat(),
        "body.end": at(day, 16).isoformat(),
        "body.quantity": 1,
        "body.requester": requester(),
    }
    report = {
        "body.api_key": OPEN311_KEY,
        "body.service_code": "eclairage",
        "body.address_string": "rue des Lilas",
    }
    lines = []
    for operation, values in (("createBooking", booking), ("open311NewRequest", report)):
        lines += [
            "[[operations]]",
            f'include-operation-id = "{operation}"',
            "[operations.parameters]",
        ]
        lines += [f"{json.dumps(key)} = {_toml(value)}" for key, value in values.items()]
    path = folder / "schemathesis.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def fuzz(base_url: str, folder: Path, *, max_examples: int, max_time: int, seed: int) -> FuzzRun:
    """One Schemathesis run (every phase: examples, coverage, fuzzing, stateful)."""
    report = folder / "fuzz-report.json"
    command = [
        str(SCHEMATHESIS),
        "--config-file",
        str(_config(folder)),
        "run",
        f"{base_url}/api/openapi.json",
        "--checks",
        ",".join(CHECKS),
        "--header",
        f"Authorization: Bearer {AGENT_TOKEN}",
        "--max-examples",
        str(max_examples),
        "--max-time",
        str(max_time),
        "--seed",
        str(seed),
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)}
    done = subprocess.run(
        command,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=max_time + 120,
        check=False,
    )
    found = json.loads(report.read_text(encoding="utf-8"))
    return FuzzRun(
        test_cases=int(found["test_cases"]["generated"]),
        operations=int(found["operations"]["tested"]),
        seconds=float(found["running_time"]),
        seed=seed,
        failing_cases=int(found["test_cases"]["with_failures"]),
        server_errors=sum(
            int(f.get("count", 1)) for f in found["failures"] if f.get("type") == "ServerError"
        ),
        failures=[_said(f) for f in found["failures"]],
        errors=[_said(e) for e in found["errors"]],
        output=done.stdout[-6000:],
    )


def _said(entry: Any) -> str:
    """One line for a failure or an error of the report: what, and on which operations."""
    if isinstance(entry, dict):
        where = ", ".join(str(o) for o in entry.get("operations") or [])
        what = entry.get("title") or entry.get("code") or json.dumps(entry)[:200]
        return f"{what} ({where})" if where else str(what)
    return str(entry)[:300]
