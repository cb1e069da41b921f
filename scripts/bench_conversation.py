"""Per-turn latency of a booking conversation through the gateway's REST webhook.

Needs a running stack (Rasa, action server, gateway): scripts/bench.py starts it. Every
repetition books the association room on its own day and hours, as a new resident, so that
each one can succeed; the last reply must say "C’est réservé".
"""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from bench_common import first_bookable_day, latency, log

from bot.dates import say_date

DONE = "C\u2019est réservé"
HOURS = ((9, 11), (14, 18), (19, 22))  # three bookings a day, none overlapping
HORIZON_DAYS = 170  # the room books 180 days ahead at most
TURNS = ("ask", "who", "name", "phone", "confirm")


def script(day: date, hours: tuple[int, int]) -> list[str]:
    """What one resident says, turn by turn."""
    return [
        f"je voudrais réserver la salle des associations le {say_date(day)} "
        f"de {hours[0]}h à {hours[1]}h",
        "je suis habitant de Clairval",
        "Marie Martin",
        "06 12 34 56 78",
        "oui",
    ]


def conversations(gateway_url: str, repetitions: int) -> dict[str, Any]:
    """Repeat the scripted booking; latency per turn and over all turns, failures counted."""
    first = first_bookable_day()
    by_turn: dict[str, list[float]] = {name: [] for name in TURNS}
    failures: list[dict[str, str]] = []
    count = min(repetitions, HORIZON_DAYS * len(HOURS))
    with httpx.Client(base_url=gateway_url, timeout=60) as client:
        for rep in range(count):
            day = first + timedelta(days=rep // len(HOURS))
            sender = f"bench-booking-{uuid.uuid4().hex[:10]}"
            replies: list[dict[str, Any]] = []
            for name, message in zip(TURNS, script(day, HOURS[rep % len(HOURS)]), strict=True):
                began = time.perf_counter()
                response = client.post(
                    "/webhooks/rest/webhook", json={"sender": sender, "message": message}
                )
                by_turn[name].append((time.perf_counter() - began) * 1000)
                replies = response.json() if response.status_code == 200 else []
            said = "\n".join(r.get("text", "") for r in replies)
            if DONE not in said:
                failures.append({"day": day.isoformat(), "last_reply": said[:300]})
            if rep % 10 == 9:
                log(f"{rep + 1}/{count} booking conversations, {len(failures)} failed")
    every = [t for times in by_turn.values() for t in times]
    return {
        "conversations": count,
        "failures": len(failures),
        "failed_examples": failures[:3],
        "turn_ms": latency(every),
        "by_turn_ms": {name: latency(times) for name, times in by_turn.items()},
        "script": script(first, HOURS[0]),
    }
