"""The booking API under load: throughput and latency, and the same-slot race, per backend.

Each part starts the real gateway (uvicorn, its own process) on a fresh migrated database
(a SQLite file, or a throwaway PostgreSQL database dropped afterwards) with Clairval's file.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from bench_common import (
    at,
    database,
    first_bookable_day,
    gateway,
    latency,
    live_rows,
    log,
    post_concurrently,
)

from bot.db import make_engine
from tests.helpers.calendar import double_bookings

RESIDENT = {"name": "Camille Martin", "type": "resident", "phone": "06 12 34 56 78"}
CLUB = {
    "name": "Sam Leroy",
    "type": "association",
    "association": "Basket Club de Clairval",
    "email": "basket@example.fr",
}
RACE_RESOURCE = "salle-des-associations"
WARM_UP = 5


def person(k: int, who: dict[str, str] = RESIDENT) -> dict[str, str]:
    """Resident (or club) number k: a person holds only a few live bookings at once."""
    if "phone" in who:
        return {**who, "phone": f"+336{k:08d}"}
    return {**who, "email": f"club{k}@example.fr"}


def free_slots() -> list[dict[str, Any]]:
    """Distinct free slots of the fresh database, mixed: room hours, gym hours, chairs; each
    booked by another resident."""
    first = first_bookable_day()
    bodies: list[dict[str, Any]] = []
    for k in range(1000):
        day = first + timedelta(days=k // 15)  # 08:00-23:00: fifteen one-hour slots a day
        start, end = at(day, 8 + k % 15), at(day, 9 + k % 15)
        bodies.append(_body("salle-des-associations", start, end, person(3 * k)))
        if k < 14 * 80:  # 08:00-22:00 one-hour slots, 90 days ahead at most
            day = first + timedelta(days=k // 14)
            start, end = at(day, 8 + k % 14), at(day, 9 + k % 14)
            bodies.append(_body("gymnase", start, end, person(3 * k + 1, CLUB)))
        day = first + timedelta(days=k // 100)  # 200 chairs a day, two at a time
        start, end = at(day, 0), at(day + timedelta(days=1), 0)
        bodies.append(_body("chaises", start, end, person(3 * k + 2), quantity=2))
    return bodies


def _body(resource: str, start: str, end: str, who: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"resource": resource, "start": start, "end": end, "requester": who, **extra}


def _sequential(url: str, bodies: list[dict[str, Any]]) -> tuple[list[float], float, Counter[int]]:
    times: list[float] = []
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        began = time.perf_counter()
        for body in bodies:
            sent = time.perf_counter()
            statuses[client.post("/api/bookings", json=body).status_code] += 1
            times.append((time.perf_counter() - sent) * 1000)
        return times, time.perf_counter() - began, statuses


def _series(times: list[float], seconds: float, statuses: Counter[int]) -> dict[str, Any]:
    return {
        "latency_ms": latency(times),
        "seconds": round(seconds, 3),
        "bookings_per_s": round(statuses[201] / seconds, 1) if seconds else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "failures": sum(v for k, v in statuses.items() if k != 201),
    }


def throughput(backend: str, sequential: int, concurrent: int, clients: int) -> dict[str, Any]:
    """N sequential then M concurrent bookings of distinct free slots on one gateway."""
    slots = free_slots()
    needed = WARM_UP + sequential + concurrent
    if needed > len(slots):
        raise SystemExit(f"at most {len(slots) - WARM_UP} bookings per backend")
    warm, first = slots[:WARM_UP], slots[WARM_UP : WARM_UP + sequential]
    second = slots[WARM_UP + sequential : needed]
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp), "api") as url:
        with gateway(url, Path(tmp) / "gateway.log") as base:
            _sequential(base, warm)  # the first bookings open the store: not counted
            log(f"{backend}: {sequential} sequential bookings")
            seq = _series(*_sequential(base, first))
            log(f"{backend}: {concurrent} bookings from {clients} concurrent clients")
            conc = _series(*asyncio.run(post_concurrently(base, "/api/bookings", second, clients)))
        engine = make_engine(url)
        try:
            doubles = double_bookings(engine)
        finally:
            engine.dispose()
    log(
        f"{backend}: sequential p50 {seq['latency_ms']['p50']} ms, "
        f"{seq['bookings_per_s']}/s; concurrent p50 {conc['latency_ms']['p50']} ms, "
        f"{conc['bookings_per_s']}/s; failures {seq['failures'] + conc['failures']}"
    )
    return {"sequential": seq, "concurrent": conc, "clients": clients, "double_bookings": doubles}


async def _rush(urls: list[str], bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        return await asyncio.gather(
            *(
                client.post(f"{urls[n % len(urls)]}/api/bookings", json=body)
                for n, body in enumerate(bodies)
            )
        )


def race(backend: str, runs: int, residents: int, gateways: int = 2) -> dict[str, Any]:
    """`residents` concurrent POSTs for one slot, `runs` times (a new slot each run)."""
    rows: list[dict[str, Any]] = []
    first = first_bookable_day()
    with tempfile.TemporaryDirectory() as tmp, database(backend, Path(tmp), "race") as url:
        engine = make_engine(url)
        try:
            with ExitStack() as stack:
                urls = [
                    stack.enter_context(gateway(url, Path(tmp) / f"gateway{n}.log"))
                    for n in range(gateways)
                ]
                for run in range(runs):
                    day = first + timedelta(days=run)
                    start, end = at(day, 14), at(day, 17)
                    bodies = [
                        _body(
                            RACE_RESOURCE,
                            start,
                            end,
                            {**person(run * residents + n), "name": f"Habitant {n}"},
                        )
                        for n in range(residents)
                    ]
                    answers = asyncio.run(_rush(urls, bodies))
                    statuses = Counter(r.status_code for r in answers)
                    taken = sum(
                        1 for r in answers if r.status_code == 409 and r.json()["reason"] == "taken"
                    )
                    live = live_rows(engine, RACE_RESOURCE, start, end)
                    rows.append(
                        {"created": statuses[201], "conflict": statuses[409], "taken": taken}
                        | {"other": residents - statuses[201] - statuses[409], "live_rows": live}
                    )
                    log(f"{backend} race {run + 1}/{runs}: {rows[-1]}")
            doubles = double_bookings(engine)
        finally:
            engine.dispose()
    expected = [
        r for r in rows if (r["created"], r["taken"], r["live_rows"]) == (1, residents - 1, 1)
    ]
    return {
        "runs": rows,
        "residents": residents,
        "gateways": gateways,
        "runs_as_expected": len(expected),
        "double_bookings": doubles,
    }
