"""Turn latency and sustained throughput through the gateway: one process of each, then the
scaled-out setup (two Rasa servers, two action servers, two gateway workers), both on
PostgreSQL and Redis, with the same mixed conversations (tests/helpers/load.py).

Each setup starts its own stack on a fresh database, warms up, then `conversations`
residents talk for `seconds`, each starting a new conversation when one ends. CPU is the
CPU time each process (children included) used during the measured window, over that window.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
from bench_common import (
    COMMUNE,
    ROOT,
    database,
    first_bookable_day,
    free_port,
    latency,
    log,
    rss_mib,
)

from bot.commune import load_commune
from bot.settings import DEFAULT_REDIS_URL
from bot.stack import Stack, StackConfig
from tests.helpers.load import Script, Talk, mixed_scripts, sustained

THROUGHPUT_GOAL = 1.4  # scaled turns per second over one process's, on this 2-core machine
P95_GOAL = 1.5  # scaled p95 at most this many times one process's
WARM_UP_SECONDS = 15.0
SETUPS = {"single": 1, "scaled": 2}  # replicas of Rasa, the actions and the gateway workers
SAMPLES_KEPT = 2000  # raw latencies per setup kept for the histogram


def scale(conversations: int, seconds: float) -> dict[str, Any]:
    """Both setups in turn; their figures, the ratios and the raw latencies."""
    setups: dict[str, dict[str, Any]] = {}
    samples: dict[str, list[float]] = {}
    for name, replicas in SETUPS.items():
        log(f"{name}: {replicas} of each process, {conversations} residents for {seconds:.0f} s")
        figures, times = _setup(name, replicas, conversations, seconds)
        setups[name] = figures
        stride = max(1, len(times) // SAMPLES_KEPT)  # evenly over the whole window
        samples[name] = [round(t, 1) for t in times[::stride][:SAMPLES_KEPT]]
        log(
            f"{name}: {figures['turns_per_s']:.1f} turns/s, p50/p95 "
            f"{figures['turn_ms']['p50']:.0f}/{figures['turn_ms']['p95']:.0f} ms, "
            f"{figures['failed_turns']} failed"
        )
    single, scaled = setups["single"], setups["scaled"]
    ratio = {
        "throughput": round(scaled["turns_per_s"] / single["turns_per_s"], 2),
        "p95": round(scaled["turn_ms"]["p95"] / single["turn_ms"]["p95"], 2),
    }
    goals = {
        "throughput": {"goal": THROUGHPUT_GOAL, "met": ratio["throughput"] >= THROUGHPUT_GOAL},
        "p95": {"goal": P95_GOAL, "met": ratio["p95"] <= P95_GOAL},
    }
    return {
        "conversations": conversations,
        "seconds": seconds,
        "stores": "PostgreSQL + Redis",
        "setups": setups,
        "ratio": ratio,
        "goals": goals,
        "samples_ms": samples,
    }


def _scripts(offset: int) -> Iterator[Script]:
    streets = [s.nom.lower() for s in load_commune(COMMUNE).data.signalements.rues]
    # rivals=1: every booking asks for its own slot, so they all can succeed.
    return mixed_scripts(10**6, first_bookable_day(), streets, rivals=1, offset=offset)


def _setup(
    name: str, replicas: int, conversations: int, seconds: float
) -> tuple[dict[str, Any], list[float]]:
    with tempfile.TemporaryDirectory() as tmp, database("postgresql", Path(tmp), name) as url:
        commune = Path(tmp) / "commune.yml"
        shutil.copy(COMMUNE, commune)
        config = StackConfig(
            database_url=url,
            commune_file=commune,
            tracker_db=Path(tmp) / "unused.db",
            rasa_ports=tuple(free_port() for _ in range(replicas)),
            actions_ports=tuple(free_port() for _ in range(replicas)),
            gateway_port=free_port(),
            gateway_workers=replicas,
            stores="shared",
            redis_url=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            log_dir=ROOT / "var" / "bench" / f"scale-{name}",
            env={"RATE_LIMITS": "off"},  # every resident is simulated from this machine
        )
        stack = Stack(config)
        stack.start()
        try:
            started = stack.wait_healthy(timeout=300)
            log(f"{name}: healthy after {started:.0f} s; warming up {WARM_UP_SECONDS:.0f} s")
            prefix = f"bench-{name}-{os.getpid()}"
            asyncio.run(
                sustained(config.gateway_url, conversations, WARM_UP_SECONDS, _scripts(0), prefix)
            )
            processes = _processes(stack)
            before = {part: _cpu(procs) for part, procs in processes.items()}
            talks, elapsed = asyncio.run(
                sustained(
                    config.gateway_url, conversations, seconds, _scripts(10_000), f"{prefix}-m"
                )
            )
            cpu = {
                part: round((_cpu(procs) - before[part]) / elapsed * 100, 1)
                for part, procs in processes.items()
            }
            rss = {part: round(rss_mib(procs), 1) for part, procs in processes.items()}
        finally:
            stack.stop()
    return _figures(talks, elapsed, cpu, rss, started), _times(talks)


def _processes(stack: Stack) -> dict[str, list[psutil.Process]]:
    """Each part's processes, children included (uvicorn's workers are children)."""
    found: dict[str, list[psutil.Process]] = {}
    for name, popen in stack.processes.items():
        root = psutil.Process(popen.pid)
        found[name] = [root, *root.children(recursive=True)]
    return found


def _cpu(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _answered(texts: list[str | None]) -> bool:
    joined = " ".join(t or "" for t in texts)
    return bool(joined.strip()) and "indisponible" not in joined


def _times(talks: list[Talk]) -> list[float]:
    return [turn.ms for talk in talks for turn in talk.turns]


def _figures(
    talks: list[Talk],
    elapsed: float,
    cpu: dict[str, float],
    rss: dict[str, float],
    started: float,
) -> dict[str, Any]:
    turns = [turn for talk in talks for turn in talk.turns]
    failed = [t for t in turns if t.status != 200 or not _answered(t.texts)]
    return {
        "turns": len(turns),
        "failed_turns": len(failed),
        "conversations_started": len(talks),
        "elapsed_s": round(elapsed, 1),
        "turns_per_s": round(len(turns) / elapsed, 2),
        "turn_ms": latency([t.ms for t in turns]),
        "cpu_percent": cpu,
        "rss_mib": rss,
        "healthy_after_s": round(started, 1),
    }


def report_lines(part: dict[str, Any] | None) -> list[str]:
    """The Markdown section of bench/report.md."""
    if not part or "error" in part:
        return []
    from bench_report import _stamp, _table

    head = ["## Scale-out: one process of each vs two, through the gateway", "", _stamp(part), ""]
    intro = (
        f"{part['conversations']} residents at once for {part['seconds']:.0f} s each time "
        f"(FAQ, bookings and street reports mixed, 10 turns each), {part['stores']}. "
        "CPU: share of one core used during the measured window (200 % = both cores)."
    )
    rows = []
    for name, setup in part["setups"].items():
        turn = setup["turn_ms"]
        rows.append(
            [
                name,
                f"{setup['turns_per_s']:.1f}",
                f"{turn['p50']:.0f} / {turn['p95']:.0f} / {turn['p99']:.0f}",
                f"{setup['failed_turns']} / {setup['turns']}",
                ", ".join(f"{k} {v:.0f} %" for k, v in setup["cpu_percent"].items()),
                ", ".join(f"{k} {v:.0f}" for k, v in setup["rss_mib"].items()),
            ]
        )
    table = _table(
        ["setup", "turns/s", "p50 / p95 / p99 (ms)", "failed", "CPU", "memory (MiB)"], rows
    )
    ratio, goals = part["ratio"], part["goals"]
    verdict = {True: "met", False: "not met"}
    lines = [
        f"- Throughput, scaled / single: **{ratio['throughput']:.2f}×** "
        f"(goal ≥ {goals['throughput']['goal']}×: {verdict[goals['throughput']['met']]}).",
        f"- p95, scaled / single: **{ratio['p95']:.2f}×** "
        f"(goal ≤ {goals['p95']['goal']}×: {verdict[goals['p95']['met']]}).",
        "",
    ]
    return [*head, intro, "", *table, *lines]
