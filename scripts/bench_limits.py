"""What the limits cost the booking API: its sequential throughput with them on and off.

"On" is Clairval's file as it is (the longest booking per resource, live bookings counted per
person and kind, every request counted per address) with the bookings' rate per address raised
so that it counts without refusing; "off" is the same file without any limit and RATE_LIMITS=off.
Each run starts both (each on a fresh database) and sends them the same bookings in turn; the
medians of the runs are compared.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
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


def _pair(backend: str, files: dict[str, Path], bodies: list[dict[str, Any]]) -> dict[str, Any]:
    """One run: a gateway with the limits and one without, each on its own fresh database,
    sent the same bookings in turn (on, off, off, on…): whatever else the machine does falls
    on both alike."""
    times: dict[str, list[float]] = {"on": [], "off": []}
    statuses: dict[str, Counter[int]] = {"on": Counter(), "off": Counter()}
    with ExitStack() as stack:
        clients = {}
        for mode in ("on", "off"):
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url = stack.enter_context(database(backend, tmp, f"limits_{mode}"))
            extra = {"COMMUNE_FILE": str(files[mode]), "RATE_LIMITS": mode}
            base = stack.enter_context(gateway(url, tmp / "gateway.log", extra))
            clients[mode] = stack.enter_context(httpx.Client(base_url=base, timeout=60))
        for body in bodies[:WARM_UP]:  # the first bookings open the store
            for client in clients.values():
                client.post("/api/bookings", json=body)
        for index, body in enumerate(bodies[WARM_UP:]):
            for mode in ("on", "off") if index % 2 == 0 else ("off", "on"):
                sent = time.perf_counter()
                statuses[mode][clients[mode].post("/api/bookings", json=body).status_code] += 1
                times[mode].append((time.perf_counter() - sent) * 1000)
    return {
        mode: {
            "bookings_per_s": round(statuses[mode][201] / (sum(times[mode]) / 1000), 1),
            "p50_ms": latency(times[mode])["p50"],
            "failures": sum(v for k, v in statuses[mode].items() if k != 201),
        }
        for mode in ("on", "off")
    }


def _backend(backend: str, files: dict[str, Path], bookings: int, runs: int) -> dict[str, Any]:
    bodies = free_slots()[: WARM_UP + bookings]
    series: dict[str, list[dict[str, Any]]] = {"on": [], "off": []}
    for run in range(runs):
        pair = _pair(backend, files, bodies)
        for mode in ("on", "off"):
            series[mode].append(pair[mode])
        log(
            f"limits {backend} run {run + 1}/{runs}: on {pair['on']['bookings_per_s']}/s, "
            f"off {pair['off']['bookings_per_s']}/s"
        )
    medians = {
        mode: statistics.median(r["bookings_per_s"] for r in done) for mode, done in series.items()
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
