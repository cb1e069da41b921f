"""Benchmarks on this machine: the assistant, bookings and street reports (API, conversations).

Run with `make bench` (the model must be trained: the Makefile sees to it), or one part at a
time: `scripts/bench.py --only bookings,race --quick`. Writes bench/report.md, bench/report.json
and bench/latency.png, then the README's table (scripts/readme_table.py); parts not measured
keep their last figures, each with the command and date that produced it. Figures are medians
or percentiles over repeated runs; nothing here is a pass/fail test, the machine is shared and
noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import bench_report
import httpx
import psutil
import readme_table
from bench_bookings import race, throughput
from bench_channels import channels
from bench_common import ROOT, commit, latency, log, rss_mib, spawn, stop_group, wait_until
from bench_console import console
from bench_conversation import conversations
from bench_dates import bench_dates
from bench_limits import limits_cost
from bench_reports import open311, report_conversations

from bot.stack import QUIET_RASA, RASA_BIN, health_status
from tests.helpers.load import QUESTIONS

PORTS = {"rasa": 5005, "actions": 5055, "gateway": 8000}
GUICHET = [sys.executable, "-m", "bot.cli"]  # `guichet`, even before a reinstall
STACK_LOG = ROOT / "var" / "bench" / "guichet-run.log"
QUIET: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}


def ports_free() -> None:
    busy = [
        c.laddr.port
        for c in psutil.net_connections("tcp")
        if c.status == "LISTEN" and c.laddr.port in PORTS.values()
    ]
    if busy:
        raise SystemExit(f"ports {busy} are taken: stop the running assistant first")


def rss_by_part(root: psutil.Process) -> dict[str, float]:
    """Resident memory (MiB) of each part, children included, found by command line."""
    parts: dict[str, list[psutil.Process]] = {}
    for child in root.children(recursive=True):
        try:
            cmd = " ".join(child.cmdline())
        except psutil.Error:
            continue
        for part, marker in (("rasa", "rasa run"), ("actions", "rasa_sdk"), ("gateway", "uvicorn")):
            if marker in cmd:
                parts.setdefault(part, []).append(child)
    return {part: rss_mib(processes) for part, processes in parts.items()}


def bench_guichet(runs: int, turns: int, bookings: int, reports: int = 0) -> dict[str, Any]:
    """Cold starts of `guichet setup && guichet run` to a healthy /healthz; on the last run, FAQ
    turns, booking then report conversations through the gateway, and each process's memory."""
    starts: list[float] = []
    faq: list[float] = []
    talks: dict[str, Any] = {}
    street: dict[str, Any] = {}
    memory: dict[str, float] = {}
    for run in range(runs):
        ports_free()
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/bench.db"}
            env["RATE_LIMITS"] = "off"  # every turn comes from this machine
            began = time.monotonic()
            # What `make run` does once installed and trained, without make's own checks
            # (they could reinstall or retrain inside the timed region).
            subprocess.run([*GUICHET, "setup"], cwd=ROOT, env=env, check=True, **QUIET)
            (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
            process = spawn([*GUICHET, "run"], ROOT, env, STACK_LOG)
            try:
                wait_until(partial(_healthy, process), 300)
                starts.append(time.monotonic() - began)
                log(f"Guichet cold start {run + 1}/{runs}: {starts[-1]:.1f} s")
                if run == runs - 1:
                    faq = faq_turns(turns) if turns else []
                    if bookings:
                        log(f"{bookings} booking conversations through the gateway")
                        talks = conversations("http://127.0.0.1:8000", bookings)
                    if reports:
                        log(f"{reports} report conversations through the gateway, each way")
                        street = report_conversations("http://127.0.0.1:8000", reports)
                    memory = rss_by_part(psutil.Process(process.pid))
            finally:
                stop_group(process)
    result: dict[str, Any] = {
        "cold_start_s": {"runs": starts, "median": statistics.median(starts)},
        "rss_mib": memory,
    }
    if faq:
        result["faq_turn_ms"] = latency(faq)
    result |= {"report_conversation": street} if street else {}
    return result | ({"conversation": talks} if talks else {})


def _healthy(process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise SystemExit(f"`guichet run` stopped (exit {process.returncode}): see {STACK_LOG}")
    return health_status("http://127.0.0.1:8000") == 200


def faq_turns(turns: int) -> list[float]:
    latencies: list[float] = []
    with httpx.Client(base_url="http://127.0.0.1:8000", timeout=30) as client:
        for i in range(10):  # warm-up, not counted
            warm = {"sender": "bench-warm", "message": QUESTIONS[i]}
            client.post("/webhooks/rest/webhook", json=warm)
        for i in range(turns):
            message = QUESTIONS[i % len(QUESTIONS)]
            began = time.perf_counter()
            response = client.post(
                "/webhooks/rest/webhook", json={"sender": f"bench-{i // 20}", "message": message}
            )
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or "indisponible" in response.text:
                raise SystemExit(f"turn {i} failed: {response.status_code} {response.text[:200]}")
            if i % 100 == 99:
                log(f"{i + 1}/{turns} FAQ turns")
    return latencies


def bench_rasa_init(runs: int, workdir: Path) -> dict[str, Any]:
    """A bare `rasa init` assistant, trained once, started the same way: spawn to model loaded."""
    project = workdir / "rasa-init"
    env = {**os.environ, **QUIET_RASA}
    if not list((project / "models").glob("*.tar.gz")):
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        log("training a bare `rasa init` assistant (once; kept in var/bench)")
        subprocess.run(
            [str(RASA_BIN), "init", "--no-prompt"],
            cwd=project,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    starts: list[float] = []
    rss = 0.0
    for run in range(runs):
        ports_free()
        began = time.monotonic()
        argv = [str(RASA_BIN), "run", "--enable-api", "--auth-token", "bench"]
        process = spawn([*argv, "-i", "127.0.0.1", "-p", "5005"], project, env)
        try:
            wait_until(lambda: _rasa_model_loaded("http://127.0.0.1:5005", "bench"), 300)
            starts.append(time.monotonic() - began)
            rss = psutil.Process(process.pid).memory_info().rss / 2**20
            log(f"rasa init cold start {run + 1}/{runs}: {starts[-1]:.1f} s")
        finally:
            stop_group(process, signal.SIGTERM)
    return {"cold_start_s": {"runs": starts, "median": statistics.median(starts)}, "rss_mib": rss}


def _rasa_model_loaded(url: str, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/status?token={token}", timeout=2) as response:  # noqa: S310
            return bool(json.loads(response.read()).get("model_file"))
    except OSError:
        return False


PARTS: tuple[str, ...] = ("coldstart", "faq", "conversation", "bookings", "limits", "race")
PARTS += ("dates",)
PARTS += ("open311", "reportconv", "channels", "console", "nlu", "scale", "dialogues")
PARTS += ("understanding", "fuzz")
FULL = {"runs": 3, "turns": 300, "conversations": 60, "bookings": 300, "concurrent": 600}
FULL |= {"clients": 8, "race_runs": 20, "race_size": 50}
FULL |= {"reports": 300, "concurrent_reports": 600, "reads": 50, "report_conversations": 30}
FULL |= {"deliveries": 300, "notices": 600, "residents": 100, "page_loads": 30}
FULL |= {"folds": 5, "cv": True, "scale_conversations": 40, "scale_seconds": 120}
FULL |= {"limit_bookings": 300, "limit_runs": 5, "fuzz_seconds": 300}
QUICK = FULL | {"runs": 1, "turns": 30, "conversations": 3, "bookings": 20, "concurrent": 40}
QUICK |= {"race_runs": 3, "reports": 20, "concurrent_reports": 40, "reads": 5}
QUICK |= {"report_conversations": 3, "deliveries": 20, "notices": 60}
QUICK |= {"residents": 10, "page_loads": 5}
QUICK |= {"cv": False, "scale_conversations": 8, "scale_seconds": 20}
QUICK |= {"limit_bookings": 40, "limit_runs": 2, "fuzz_seconds": 30}
STORED = {  # report.json key of each part
    "coldstart": ["rasa_init"],
    "conversation": ["booking_conversation"],
    "bookings": ["booking_api"],
    "limits": ["booking_limits"],
    "race": ["booking_race"],
    "dates": ["dates"],
    "open311": ["open311_api"],
    "reportconv": ["report_conversation"],
    "channels": ["channels"],
    "console": ["console"],
    "nlu": ["nlu"],
    "scale": ["scale"],
    "dialogues": ["dialogues"],
    "understanding": ["understanding"],
    "fuzz": ["fuzz"],
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    add = parser.add_argument
    add("--only", default=",".join(PARTS), help=f"comma-separated parts among {','.join(PARTS)}")
    add("--quick", action="store_true", help="small counts, to check that it works")
    add("--runs", type=int, help="cold starts of each assistant (coldstart)")
    add("--turns", type=int, help="FAQ turns timed (faq)")
    add("--conversations", type=int, help="booking conversations (conversation)")
    add("--bookings", type=int, help="sequential API bookings per backend (bookings)")
    add("--concurrent", type=int, help="concurrent API bookings per backend (bookings)")
    add("--clients", type=int, help="concurrent API clients (bookings)")
    add("--limit-bookings", type=int, help="sequential bookings per run and mode (limits)")
    add("--limit-runs", type=int, help="runs with the limits on, and off, per backend (limits)")
    add("--race-runs", type=int, help="races per backend (race)")
    add("--race-size", type=int, help="concurrent POSTs for the same slot (race)")
    add("--reports", type=int, help="sequential Open311 posts per backend (open311)")
    add("--concurrent-reports", type=int, help="concurrent Open311 posts per backend (open311)")
    add("--reads", type=int, help="GET requests.json with 1000 reports present (open311)")
    add("--report-conversations", type=int, help="report conversations, each way (reportconv)")
    add("--deliveries", type=int, help="webhook deliveries per channel and mode (channels)")
    add("--notices", type=int, help="notices the outbox worker sends, per channel (channels)")
    add("--residents", type=int, help="messages timed to the live feed, per backend (console)")
    add("--page-loads", type=int, help="GETs of each page, per backend (console)")
    add("--folds", type=int, help="cross-validation folds (nlu)")
    add("--no-cv", dest="cv", action="store_false", default=None, help="held-out only (nlu)")
    add("--scale-conversations", type=int, help="conversations at once, each setup (scale)")
    add("--scale-seconds", type=float, help="seconds of load on each setup (scale)")
    add("--fuzz-seconds", type=int, help="seconds of fuzzing the public API (fuzz)")
    add(
        "--backends",
        default="sqlite,postgresql",
        help="databases: bookings limits race open311 console",
    )
    add("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS) or set(args.backends.split(",")) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown part or backend: {', '.join(sorted(unknown))}")
    args.parts = parts
    for key, value in (QUICK if args.quick else FULL).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    return args


def main() -> None:
    args = arguments()
    given = " ".join(sys.argv[1:])
    run = {
        "command": "make bench" + (f" BENCH_ARGS='{given}'" if given else ""),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
    }
    results: dict[str, Any] = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, Python {platform.python_version()}",
        **run,
    }
    parts = args.parts
    stale = [k for p in PARTS if p not in parts for k in STORED.get(p, [])]
    if not {"coldstart", "faq"} & set(parts):
        stale.append("guichet")
    results |= bench_report.carried_over(args.out, stale)
    chosen = _steps(args, parts)
    began = time.monotonic()
    for index, (label, keys, step) in enumerate(chosen, 1):
        log(f"[{index}/{len(chosen)}] {label} …")
        started = time.monotonic()
        _measure(results, run, keys, step)
        outcome = "FAILED" if any("error" in results.get(k, {}) for k in keys) else "done"
        log(
            f"[{index}/{len(chosen)}] {label}: {outcome} in {_duration(time.monotonic() - started)}"
            f" (run so far {_duration(time.monotonic() - began)})"
        )
        bench_report.write(results, args.out)  # so far, in case a later part fails
    print(bench_report.write(results, args.out))
    readme(results, args.out)
    log(f"{len(chosen)} part(s) in {_duration(time.monotonic() - began)}; report in {args.out}")


Step = tuple[str, list[str], Callable[[], dict[str, Any]]]


def _steps(args: argparse.Namespace, parts: list[str]) -> list[Step]:
    """What to run, in order: (label, report keys, figures by report key)."""
    backends = args.backends.split(",")
    chosen: list[Step] = []
    stack_parts = {"coldstart", "faq", "conversation", "reportconv"} & set(parts)
    if stack_parts:
        keys = ["guichet"] if {"coldstart", "faq"} & stack_parts else []
        keys += ["booking_conversation"] if "conversation" in stack_parts else []
        keys += ["report_conversation"] if "reportconv" in stack_parts else []
        label = f"Guichet stack: {', '.join(sorted(stack_parts))}"
        chosen.append((label, keys, partial(_stack, args, parts)))
    steps: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
        "coldstart": ("rasa_init", lambda: bench_rasa_init(args.runs, ROOT / "var" / "bench")),
        "bookings": (
            "booking_api",
            lambda: {
                "backends": {
                    b: throughput(b, args.bookings, args.concurrent, args.clients) for b in backends
                }
            },
        ),
        "limits": (
            "booking_limits",
            lambda: limits_cost(backends, args.limit_bookings, args.limit_runs),
        ),
        "race": (
            "booking_race",
            lambda: {"backends": {b: race(b, args.race_runs, args.race_size) for b in backends}},
        ),
        "dates": ("dates", bench_dates),
        "channels": ("channels", lambda: channels(args.deliveries, args.clients, args.notices)),
        "console": ("console", lambda: console(backends, args.residents, args.page_loads)),
        "open311": (
            "open311_api",
            lambda: {
                "backends": {
                    b: open311(b, args.reports, args.concurrent_reports, args.clients, args.reads)
                    for b in backends
                }
            },
        ),
        "nlu": ("nlu", partial(_nlu, args)),
        "scale": ("scale", partial(_scale, args)),
        "dialogues": ("dialogues", partial(_dialogues, args)),
        "understanding": ("understanding", _understanding),
        "fuzz": ("fuzz", partial(_fuzz, args)),
    }
    for part, (key, step) in steps.items():
        if part in parts:
            label = f"{part} ({key})" if key != part else part
            chosen.append((label, [key], partial(_keyed, key, step)))
    return chosen


def _nlu(args: argparse.Namespace) -> dict[str, Any]:
    from bench_nlu import nlu  # its own file, imported when the part runs

    return nlu(folds=args.folds, cross_validation=args.cv)


def _scale(args: argparse.Namespace) -> dict[str, Any]:
    from bench_scale import scale  # its own file, imported when the part runs

    return scale(args.scale_conversations, args.scale_seconds)


def _dialogues(args: argparse.Namespace) -> dict[str, Any]:
    from bench_dialogues import dialogues  # its own file, imported when the part runs

    return dialogues(quick=args.quick)


def _fuzz(args: argparse.Namespace) -> dict[str, Any]:
    from bench_fuzz import fuzz_part  # its own file, imported when the part runs

    return fuzz_part(args.fuzz_seconds)


def _understanding() -> dict[str, Any]:
    from bench_understanding import understanding  # its own file, imported when the part runs

    return understanding()


def readme(results: dict[str, Any], out: Path) -> None:
    """The README's table from this report, when the report is the one the README shows."""
    if out.resolve() != (ROOT / "bench").resolve():
        log(f"README table left alone (the report went to {out}, not bench/)")
        return
    picture = (out / bench_report.PICTURE).exists()
    try:
        changed = readme_table.rewrite(ROOT / "README.md", results, picture)
    except ValueError as error:
        log(f"README table not written: {error}")
        return
    log("README table " + ("rewritten from the report" if changed else "already up to date"))


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def _stack(args: argparse.Namespace, parts: list[str]) -> dict[str, Any]:
    """The figures of the running assistant, by report key."""
    guichet = bench_guichet(
        args.runs if "coldstart" in parts else 1,
        args.turns if "faq" in parts else 0,
        args.conversations if "conversation" in parts else 0,
        args.report_conversations if "reportconv" in parts else 0,
    )
    talks = guichet.pop("conversation", None)
    street = guichet.pop("report_conversation", None)
    figures = {"guichet": guichet} if {"coldstart", "faq"} & set(parts) else {}
    figures |= {"report_conversation": street} if street else {}
    return figures | ({"booking_conversation": talks} if talks else {})


def _keyed(key: str, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return {key: step()}


def _measure(
    results: dict[str, Any], run: dict[str, str], keys: list[str], step: Callable[[], Any]
) -> dict[str, Any]:
    """Run one part (figures by report key); a failure is written under its keys, not raised."""
    try:
        figures: dict[str, Any] = step()
    except (Exception, SystemExit) as error:  # the other parts still run
        log(f"FAILED: {type(error).__name__}: {error}")
        for key in keys:
            results[key] = {"run": run, "error": f"{type(error).__name__}: {error}"[:500]}
        return {}
    for key, part in figures.items():
        results[key] = {"run": run} | part
    return figures


if __name__ == "__main__":
    main()
