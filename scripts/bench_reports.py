"""Street reports: Open311 under load per backend, and report conversations through the gateway.

`open311` starts the real gateway (uvicorn, its own process, OPEN311_API_KEYS set) on a fresh
migrated database and posts distinct reports form-encoded to requests.json: each at its own
point of a grid inside the commune bounds, points more than 50 m apart, so that none joins
another as a duplicate. `reportconv` needs a running stack (scripts/bench.py starts it).
"""

from __future__ import annotations

import asyncio
import io
import os
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from bench_common import COMMUNE, database, gateway, latency, log, post_concurrently
from PIL import Image

from bot.commune import load_commune

API_KEY = "bench-open311-key"
REQUESTS = "/open311/v2/requests.json"
LISTED = 1000  # reports present when requests.json is read (its own maximum)
STEP_M = 65.0  # grid spacing, over the 50 m within which two reports are the same problem
WARM_UP = 5
CLIENTS_MAX = 64


def grid() -> list[dict[str, str]]:
    """Form bodies of distinct reports: every category at every grid point of the commune."""
    territory = load_commune(COMMUNE).data.signalements
    box = territory.limites
    lat_step = STEP_M / 111_320
    lon_step = STEP_M / 73_280  # metres per degree of longitude at 48.85° N, rounded down
    points = [
        (round(box.sud + lat_step * (i + 0.5), 6), round(box.ouest + lon_step * (j + 0.5), 6))
        for i in range(int((box.nord - box.sud) / lat_step))
        for j in range(int((box.est - box.ouest) / lon_step))
    ]
    codes = list(territory.categories)
    return [
        {
            "api_key": API_KEY,
            "service_code": code,
            "lat": str(lat),
            "long": str(lon),
            "description": f"Signalement de test {n} ({code})",
            "email": f"habitant{n}@example.org",
        }
        for n, ((lat, lon), code) in enumerate((p, c) for p in points for c in codes)
    ]


@contextmanager
def _open311_keys() -> Iterator[None]:
    """OPEN311_API_KEYS for the gateway that bench_common starts from this environment."""
    before = os.environ.get("OPEN311_API_KEYS")
    os.environ["OPEN311_API_KEYS"] = API_KEY
    try:
        yield
    finally:
        if before is None:
            del os.environ["OPEN311_API_KEYS"]
        else:
            os.environ["OPEN311_API_KEYS"] = before


Series = tuple[list[float], float, Counter[int]]


def _sequential(url: str, bodies: list[dict[str, str]]) -> Series:
    times: list[float] = []
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=url, timeout=60) as client:
        began = time.perf_counter()
        for body in bodies:
            sent = time.perf_counter()
            statuses[client.post(REQUESTS, data=body).status_code] += 1
            times.append((time.perf_counter() - sent) * 1000)
        return times, time.perf_counter() - began, statuses


def _series(times: list[float], seconds: float, statuses: Counter[int]) -> dict[str, Any]:
    return {
        "latency_ms": latency(times),
        "seconds": round(seconds, 3),
        "requests_per_s": round(len(times) / seconds, 1) if seconds else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "duplicates": statuses[200],  # joined to another report: the grid should prevent it
        "failures": sum(v for k, v in statuses.items() if k not in (200, 201)),
    }


def _reads(url: str, reads: int) -> tuple[list[float], int]:
    """GET requests.json (the last 90 days, 1000 at most) `reads` times; the last count listed."""
    times: list[float] = []
    listed = 0
    with httpx.Client(base_url=url, timeout=60) as client:
        client.get(REQUESTS)  # warm-up, not counted
        for _ in range(reads):
            sent = time.perf_counter()
            response = client.get(REQUESTS)
            times.append((time.perf_counter() - sent) * 1000)
            response.raise_for_status()
            listed = len(response.json())
    return times, listed


def open311(
    backend: str, sequential: int, concurrent: int, clients: int, reads: int
) -> dict[str, Any]:
    """N sequential then M concurrent posts of distinct reports; then requests.json read with
    1000 reports present (topped up from 8 concurrent clients, not timed)."""
    bodies = grid()
    needed = max(WARM_UP + sequential + concurrent, LISTED)
    if needed > len(bodies):
        raise SystemExit(f"at most {len(bodies) - WARM_UP} reports per backend")
    warm, first = bodies[:WARM_UP], bodies[WARM_UP : WARM_UP + sequential]
    second = bodies[WARM_UP + sequential : WARM_UP + sequential + concurrent]
    rest = bodies[WARM_UP + sequential + concurrent : LISTED]
    with (
        tempfile.TemporaryDirectory() as tmp,
        database(backend, Path(tmp), "open311") as url,
        _open311_keys(),
        gateway(url, Path(tmp) / "gateway.log") as base,
    ):
        _sequential(base, warm)  # the first reports open the store: not counted
        log(f"{backend}: {sequential} sequential Open311 posts")
        seq = _series(*_sequential(base, first))
        log(f"{backend}: {concurrent} Open311 posts from {clients} concurrent clients")
        conc = _series(
            *asyncio.run(
                post_concurrently(base, REQUESTS, second, min(clients, CLIENTS_MAX), form=True)
            )
        )
        log(f"{backend}: topping up to {LISTED} reports, then {reads} GET requests.json")
        top_up = _series(*asyncio.run(post_concurrently(base, REQUESTS, rest, 8, form=True)))
        times, listed = _reads(base, reads)
    log(
        f"{backend}: sequential p50 {seq['latency_ms']['p50']} ms, {seq['requests_per_s']}/s; "
        f"concurrent p50 {conc['latency_ms']['p50']} ms, {conc['requests_per_s']}/s; "
        f"GET p50 {latency(times)['p50']} ms for {listed} reports"
    )
    return {
        "sequential": seq,
        "concurrent": conc,
        "clients": clients,
        "list": {"latency_ms": latency(times), "reports_listed": listed},
        "top_up_failures": top_up["failures"] + top_up["duplicates"],
    }


# -- report conversations --------------------------------------------------------------------

SAYINGS = {  # what a resident says of each category, {rue} being the street
    "eclairage": "le lampadaire devant chez moi {rue} ne marche plus",
    "voirie": "il y a un gros trou dans la chaussée {rue}",
    "tags": "il y a un tag énorme sur le mur {rue}",
    "proprete": "un dépôt sauvage de déchets {rue}",
    "espaces_verts": "une grosse branche d'arbre est tombée {rue}",
    "mobilier": "le banc est cassé {rue}",
}
TURNS = ("report", "photo_answer", "confirm")
DONE = "SIG-"


def openings() -> list[str]:
    """First messages, category × street: each a new problem (same street and category within
    14 days would join the first report); the streets in lower case, as residents type."""
    streets = [s.nom.lower() for s in load_commune(COMMUNE).data.signalements.rues]
    return [SAYINGS[c].format(rue=street) for street in streets for c in SAYINGS]


def photo_jpeg(target: int = 200_000) -> bytes:
    """A JPEG of about `target` bytes: noise, so that it does not compress."""
    side = 400
    while True:
        size = (side * 4 // 3, side)
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        if out.tell() >= target * 0.9 or side > 2000:
            return out.getvalue()
        side = int(side * (target / out.tell()) ** 0.5) + 8


def _turn(client: httpx.Client, sender: str, message: str, **extra: Any) -> tuple[float, str]:
    began = time.perf_counter()
    response = client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}
    )
    took = (time.perf_counter() - began) * 1000
    replies = response.json() if response.status_code == 200 else []
    return took, "\n".join(r.get("text", "") for r in replies)


def report_conversations(gateway_url: str, repetitions: int) -> dict[str, Any]:
    """`repetitions` reports without a photo, then as many with one, each by a new resident."""
    said = openings()
    count = min(repetitions, len(said) // 2)
    photo = photo_jpeg()
    results: dict[str, Any] = {}
    with httpx.Client(base_url=gateway_url, timeout=60) as client:
        for mode in ("without_photo", "with_photo"):
            by_turn: dict[str, list[float]] = {name: [] for name in TURNS}
            uploads: list[float] = []
            failures: list[dict[str, str]] = []
            joined: list[str] = []
            for rep in range(count):
                opening = said[rep if mode == "without_photo" else count + rep]
                who = f"bench-report-{uuid.uuid4().hex[:10]}"
                took, first = _turn(client, who, opening)
                by_turn["report"].append(took)
                if mode == "without_photo":
                    took, _ = _turn(client, who, "non pas de photo")
                else:
                    began = time.perf_counter()
                    upload = client.post(
                        "/api/photos",
                        params={"sender": who},
                        content=photo,
                        headers={"content-type": "image/jpeg"},
                    )
                    uploads.append((time.perf_counter() - began) * 1000)
                    photo_id = upload.json().get("photo") if upload.status_code == 201 else None
                    took, _ = _turn(client, who, "Photo jointe", metadata={"photo": photo_id})
                by_turn["photo_answer"].append(took)
                took, last = _turn(client, who, "oui")
                by_turn["confirm"].append(took)
                if "déjà" in last:
                    joined.append(opening)
                if DONE not in last:
                    failures.append(
                        {"said": opening, "first_reply": first[:200], "last": last[:300]}
                    )
            every = [t for times in by_turn.values() for t in times]
            log(
                f"{count} report conversations {mode}: {len(failures)} failed, {len(joined)} joined"
            )
            results[mode] = {
                "conversations": count,
                "failures": len(failures),
                "failed_examples": failures[:3],
                "joined_existing": len(joined),
                "joined_examples": joined[:5],
                "turn_ms": latency(every),
                "by_turn_ms": {name: latency(times) for name, times in by_turn.items()},
            } | ({"upload_ms": latency(uploads)} if uploads else {})
    return results | {
        "photo_bytes": len(photo),
        "script": {
            "without_photo": [said[0], "non pas de photo", "oui"],
            "with_photo": [said[count], "POST /api/photos", "Photo jointe {photo}", "oui"],
        },
    }
