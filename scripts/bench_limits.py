"""What the limits cost the booking API: its sequential throughput with them on and off.

"On" is Clairval's file as it is (the longest booking per resource, live bookings counted per
person and kind, every request counted per address) with the bookings' rate per address raised
so that it counts without refusing; "off" is the same file without any limit and RATE_LIMITS=off.
Runs alternate between the two (each on a fresh database and gateway); the medians are compared.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import yaml
from bench_bookings import free_slots
from bench_common import COMMUNE, database, gateway, latency, log

GOAL_PERCENT = 5.0  # the most the limits may take off the throughput
WARM_UP = 5
COUNTED_NEVER_REFUSED = "1000000/heure"


def commune_files(folder: Path) -> dict[str, Path]:
    """Clairval's file with its limits (bookings counted, never refused) and without any."""
    data = yaml.safe_load(COMMUNE.read_text(encoding="utf-8"))
    on = dict(data)
    on["limites"] = {**data["limites"], "envois": dict(data["limites"]["envois"])}
    on["limites"]["envois"]["reservations"] = {"par_ip": COUNTED_NEVER_REFUSED}
    off = {k: v for k, v in data.items() if k != "limites"}
    off["ressources"] = {
        slug: {k: v for k, v in entry.items() if not k.startswith("duree_max_")}
        for slug, entry in data["ressources"].items()
    }
    files = {}
    for mode, content in (("on", on), ("off", off)):
        files[mode] = folder / f"commune-{mode}.yml"
        files[mode].write_text(
            yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return files


def _run(backend: str, mode: str, commune: Path, bodies: list[dict[str, Any]]) -> dict[str, Any]:
    extra = {"COMMUNE_FILE": str(commune), "RATE_LIMITS": mode}
    times: list[float] = []
    statuses: Counter[int] = Counter()
    with (
        tempfile.TemporaryDirectory() as tmp,
        database(backend, Path(tmp), f"limits_{mode}") as url,
        gateway(url, Path(tmp) / "gateway.log", extra) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        for body in bodies[:WARM_UP]:  # the first bookings open the store
            client.post("/api/bookings", json=body)
        began = time.perf_counter()
        for body in bodies[WARM_UP:]:
            sent = time.perf_counter()
            statuses[client.post("/api/bookings", json=body).status_code] += 1
            times.append((time.perf_counter() - sent) * 1000)
        seconds = time.perf_counter() - began
    return {
        "bookings_per_s": round(statuses[201] / seconds, 1),
        "p50_ms": latency(times)["p50"],
        "failures": sum(v for k, v in statuses.items() if k != 201),
    }


def _backend(backend: str, files: dict[str, Path], bookings: int, runs: int) -> dict[str, Any]:
    bodies = free_slots()[: WARM_UP + bookings]
    series: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
    for run in range(runs):
        for mode in ("on", "off") if run % 2 == 0 else ("off", "on"):  # drift falls on both
            figures = _run(backend, mode, files[mode], bodies)
            series[mode].append(figures)
            log(
                f"limits {backend} run {run + 1}/{runs} {mode}: {figures['bookings_per_s']}/s, "
                f"p50 {figures['p50_ms']} ms, failures {figures['failures']}"
            )
    medians = {
        mode: statistics.median(r["bookings_per_s"] for r in runs_)
        for mode, runs_ in series.items()
    }
    ratio = medians["on"] / medians["off"] if medians["off"] else 0.0
    return {
        "on": {"runs": series["on"], "median_bookings_per_s": medians["on"]},
        "off": {"runs": series["off"], "median_bookings_per_s": medians["off"]},
        "ratio": round(ratio, 3),
        "cost_percent": round((1 - ratio) * 100, 1),
        "failures": sum(r["failures"] for done in series.values() for r in done),
    }


def limits_cost(backends: list[str], bookings: int, runs: int) -> dict[str, Any]:
    """Sequential bookings with the limits on and off, `runs` times each, per backend."""
    with tempfile.TemporaryDirectory() as tmp:
        files = commune_files(Path(tmp))
        figures = {b: _backend(b, files, bookings, runs) for b in backends}
    met = all(f["cost_percent"] < GOAL_PERCENT and not f["failures"] for f in figures.values())
    for name, f in figures.items():
        log(f"limits {name}: on/off {f['ratio']} (cost {f['cost_percent']} %)")
    return {
        "bookings": bookings,
        "runs": runs,
        "backends": figures,
        "goal_percent": GOAL_PERCENT,
        "met": met,
    }
