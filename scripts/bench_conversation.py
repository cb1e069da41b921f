"""Per-turn latency of a booking conversation through the gateway's REST webhook.

Needs a running stack (Rasa, action server, gateway): scripts/bench.py starts it. Every
repetition books the association room on its own day and hours, as a new resident, so that
each one can succeed; the last reply must say "C’est réservé".
"""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

import httpx
from bench_common import first_bookable_day, latency, log

from tests.helpers.load import BOOKING_HOURS, booking_script

DONE = "C\u2019est réservé"
HORIZON_DAYS = 170  # the room books 180 days ahead at most
TURNS = ("ask", "who", "name", "phone", "confirm")


def conversations(gateway_url: str, repetitions: int) -> dict[str, Any]:
    """Repeat the scripted booking; latency per turn and over all turns, failures counted."""
    first = first_bookable_day()
    by_turn: dict[str, list[float]] = {name: [] for name in TURNS}
    failures: list[dict[str, str]] = []
    count = min(repetitions, HORIZON_DAYS * len(BOOKING_HOURS))
    with httpx.Client(base_url=gateway_url, timeout=60) as client:
        for rep in range(count):
            day = first + timedelta(days=rep // len(BOOKING_HOURS))
            sender = f"bench-booking-{uuid.uuid4().hex[:10]}"
            replies: list[dict[str, Any]] = []
            for name, message in zip(
                TURNS, booking_script(day, BOOKING_HOURS[rep % len(BOOKING_HOURS)]), strict=True
            ):
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
        "script": booking_script(first, BOOKING_HOURS[0]),
    }
