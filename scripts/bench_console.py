"""Agents' console: live feed delay and page load times over a populated database, per backend.

Each backend gets a fresh migrated database filled in bulk (SQLAlchemy core inserts): 10,000
conversations of about ten messages over 90 days, a few hundred handoffs, 5,000 street reports
of Clairval's categories and streets with their history. The real gateway (uvicorn, its own
process; Rasa is not running and not needed) serves it; an agent signs in through the form.
`pages` times sequential GETs of each console page; `feed` keeps the live feed (server-sent
events) open and times each resident's message, posted to the REST webhook of an escalated
conversation, until the feed delivers it.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from argon2 import PasswordHasher
from bench_common import COMMUNE, ROOT, at, database, first_bookable_day, gateway, latency, log
from sqlalchemy import Engine, insert, select

from bot import accounts
from bot.commune import load_commune
from bot.db import Base, make_engine, make_session_factory, utcnow
from bot.handoff import Handoffs
from bot.handoff_records import HandoffRow
from bot.models import Conversation, Message
from bot.report_records import ALPHABET, ReportChangeRow, ReportRow, SubscriberRow
from bot.transcript import ConversationRef
from gateway.console.conversations import FEED_POLL

CONVERSATIONS = 10_000
REPORTS = 5_000
HANDOFFS = 300  # a fifth of them still with the agents
PENDING_BOOKINGS = 40
LOGIN, PASSWORD = "bench", "bench-console-password"  # a throwaway local account
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # not what is timed
WARM_UP = 3
FEED_TIMEOUT = 10.0
QUESTIONS = [
    ("Bonjour, la mairie ouvre à quelle heure ?", "ask_hours"),
    ("Vous êtes ouverts le samedi matin ?", "ask_hours_weekend"),
    ("Comment refaire ma carte d'identité ?", "ask_id_documents"),
    ("Combien coûte un passeport ?", "ask_id_price"),
    ("La déchetterie est ouverte le dimanche ?", "ask_waste_centre"),
    ("Je voudrais faire enlever un vieux canapé", "ask_bulky_waste"),
    ("Je veux réserver la salle des fêtes", "book"),
    ("Il y a un lampadaire éteint dans ma rue", "report_problem"),
    ("Où en est mon signalement ?", "report_status"),
    ("est ce que je peux garer mon camping car devant chez moi", "reformuler"),
    ("quel temps fera-t-il demain", "hors_sujet"),
]
CHANNELS = [("web", 7), ("sms", 2), ("telegram", 1)]
OLD = {"resolved": 75, "rejected": 10, "in_progress": 10, "acknowledged": 5}
RECENT = {"received": 30, "acknowledged": 25, "in_progress": 20, "resolved": 20, "rejected": 5}
RESOLUTIONS = ["Réparé par les services techniques.", "Nettoyé le lendemain.", "Remplacé."]


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _bulk(engine: Engine, model: type[Base], rows: list[dict[str, Any]]) -> None:
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            connection.execute(insert(model), rows[start : start + 5000])


def _conversations(engine: Engine, rng: random.Random, now: datetime) -> dict[str, Any]:
    """Conversations with their messages, and the handoffs of some of them."""
    channels = [c for c, weight in CHANNELS for _ in range(weight)]
    weights = [1 if topic in ("reformuler", "hors_sujet") else 8 for _, topic in QUESTIONS]
    conversations: list[dict[str, Any]] = []
    messages: list[dict[str, Any]] = []
    handoffs: list[dict[str, Any]] = []
    for n in range(CONVERSATIONS):
        channel = rng.choice(channels)
        ident = f"{channel}:+336{n:08d}" if channel == "sms" else f"{channel}:bench-{n}"
        escalated = n % (CONVERSATIONS // HANDOFFS) == 0 and len(handoffs) < HANDOFFS
        live = escalated and len(handoffs) % 5 == 0  # still with the agents: recent
        ago = timedelta(days=rng.uniform(0, 2) if live else rng.uniform(0, 90))
        began, turns = now - ago - timedelta(minutes=10), rng.randint(3, 7)
        for k, (text, topic) in enumerate(rng.choices(QUESTIONS, weights, k=turns)):
            for who, said, payload in (
                ("resident", text, None),
                ("assistant", f"Réponse de l’assistant ({topic}).", {"topic": topic}),
            ):
                messages.append(
                    {"conversation_id": ident, "direction": "in" if payload is None else "out"}
                    | {"author": who, "text": said, "payload": payload}
                    | {"created_at": began + timedelta(seconds=40 * k + (payload is not None))}
                )
        last = began + timedelta(seconds=40 * turns)
        conversations.append(
            {"id": ident, "channel": channel, "external_id": ident.partition(":")[2]}
            | {"started_at": began, "last_activity_at": last}
        )
        if escalated:
            state = rng.choice(("waiting", "answered") if live else ("returned", "closed"))
            handoffs.append(
                {"conversation_id": ident, "state": state, "escalated_at": last}
                | {"reason": rng.choice(("asked", "misunderstood", "failure", "emergency"))}
                | {"updated_at": last, "closed_at": None if live else last + timedelta(hours=1)}
                | {"agent_id": None if state == "waiting" else 1, "escalations": 1}
            )
    _bulk(engine, Conversation, conversations)
    _bulk(engine, Message, messages)
    _bulk(engine, HandoffRow, handoffs)
    active = [h["conversation_id"] for h in handoffs if h["state"] in ("waiting", "answered")]
    counts = {"conversations": len(conversations), "messages": len(messages)}
    counts |= {"handoffs": len(handoffs), "active_handoffs": len(active)}
    return counts | {"ids": [c["id"] for c in conversations], "escalated": active}


def _reports(
    engine: Engine, rng: random.Random, now: datetime, owners: list[str]
) -> dict[str, Any]:
    """Reports of the commune's categories and streets, their history and who follows them."""
    territory = load_commune(COMMUNE).data.signalements
    categories = list(territory.categories)
    references = rng.sample(
        [a + b + c + d for a in ALPHABET for b in ALPHABET for c in ALPHABET for d in ALPHABET],
        REPORTS,
    )
    reports: list[dict[str, Any]] = []
    steps: dict[str, list[dict[str, Any]]] = {}
    for reference in references:
        street = rng.choice(territory.rues)
        created = now - timedelta(days=rng.uniform(0, 90))
        status = _pick(rng, OLD if now - created > timedelta(days=30) else RECENT)
        path = [("received", "bot")]
        path += [("acknowledged", "agent:marie")] if status != "received" else []
        path += [("in_progress", "agent:marie")] if status in ("in_progress", "resolved") else []
        path += [(status, "agent:paul")] if status in ("resolved", "rejected") else []
        when, history = created, []
        for k, (step, by) in enumerate(path):
            when = min(now, when + timedelta(hours=rng.uniform(1, 72))) if k else created
            comment = rng.choice(RESOLUTIONS) if step == "resolved" else None
            comment = "Ce lieu n’est pas du domaine communal." if step == "rejected" else comment
            history.append({"status": step, "by": by, "at": when, "comment": comment})
        steps["SIG-" + reference] = history
        address = f"{rng.randint(1, 60)} {street.nom}" if rng.random() < 0.5 else None
        reports.append(
            {"reference": "SIG-" + reference, "category": rng.choice(categories)}
            | {"description": "Signalé par un habitant : à vérifier sur place."}
            | {"street": street.nom, "address": address, "status": status, "photo_id": None}
            | {"lat": street.lat + rng.uniform(-4e-4, 4e-4)}
            | {"lon": street.lon + rng.uniform(-6e-4, 6e-4)}
            | {"created_at": created, "updated_at": when}
        )
    _bulk(engine, ReportRow, reports)
    with engine.connect() as connection:
        ids = dict(connection.execute(select(ReportRow.reference, ReportRow.id)).tuples().all())
    changes = [{"report_id": ids[r], **c} for r, history in steps.items() for c in history]
    followers = [
        {"report_id": ids[r["reference"]], "conversation_id": owner}
        | {"channel": owner.partition(":")[0], "created_at": r["created_at"]}
        for r, owner in zip(reports, owners, strict=False)
    ]
    _bulk(engine, ReportChangeRow, changes)
    _bulk(engine, SubscriberRow, followers)
    resolved = [r for r, history in steps.items() if len(history) == 4]
    return {"reports": len(reports), "report_changes": len(changes), "resolved": resolved}


def populate(url: str) -> dict[str, Any]:
    """Fill the database; figures of what it holds, and what the pages will open."""
    now = utcnow()
    rng = random.Random(7)  # noqa: S311 (test data, the same every run)
    engine = make_engine(url)
    try:
        talks = _conversations(engine, rng, now)
        owners = rng.sample(talks["ids"], REPORTS // 2)
        street = _reports(engine, rng, now, [*talks["escalated"][:20], *owners])
        with make_session_factory(engine).begin() as db:
            accounts.create_agent(db, LOGIN, "Agent de test", PASSWORD, hasher=FAST)
    finally:
        engine.dispose()
    return talks | street


def _bookings(url: str) -> int:
    """Requests of the hall awaiting approval, through the booking API (the list shows them)."""
    first, made = first_bookable_day(), 0
    with httpx.Client(base_url=url, timeout=30) as client:
        for k in range(PENDING_BOOKINGS):
            day = first + timedelta(days=3 * k)
            # Each by another resident: one person holds only a few bookings at once.
            who = {"name": "Camille Martin", "type": "resident", "phone": f"+3361234{k:04d}"}
            body = {"resource": "salle-des-fetes", "requester": who}
            body |= {"start": at(day, 0), "end": at(day + timedelta(days=1), 0)}
            made += client.post("/api/bookings", json=body).status_code == 201
    return made


def sign_in(url: str) -> str:
    """The session cookie, through the real form (its CSRF cookie and field first)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        form = client.get("/console/connexion")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        if csrf is None:
            raise RuntimeError(f"no CSRF field in the sign-in form ({form.status_code})")
        body = {"csrf": csrf[1], "suite": "/console/", "login": LOGIN, "password": PASSWORD}
        done = client.post("/console/connexion", data=body)
        token = client.cookies.get("guichet_console")
        if done.status_code != 303 or not token:
            raise RuntimeError(f"sign-in refused: {done.status_code}")
        return token


def pages(url: str, token: str, data: dict[str, Any], loads: int) -> list[dict[str, Any]]:
    """Sequential GETs of each console page, after a few not counted."""
    targets = [
        ("queue", "/console/"),
        ("conversation", "/console/conversations/" + quote(data["escalated"][0], safe="")),
        ("bookings", "/console/reservations"),
        ("reports", "/console/signalements"),
        ("reports, open, lighting", "/console/signalements?etat=ouverts&categorie=eclairage"),
        ("report", f"/console/signalements/{data['resolved'][0]}"),
        ("dashboard", "/console/tableau-de-bord"),
    ]
    figures = []
    with httpx.Client(base_url=url, timeout=60, cookies={"guichet_console": token}) as client:
        for label, path in targets:
            times, size = [], 0
            for n in range(WARM_UP + loads):
                began = time.perf_counter()
                response = client.get(path)
                if n >= WARM_UP:
                    times.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {path}: {response.status_code}")
                size = len(response.content)
            log(f"{label}: p50 {latency(times)['p50']} ms")
            figures.append({"page": label, "path": path, "bytes": size, "ms": latency(times)})
    return figures


async def _feed(url: str, token: str, engine: Engine, residents: int) -> dict[str, Any]:
    """Open the live feed, then, resident by resident, time a message until the feed has it."""
    arrived: dict[tuple[str, str], float] = {}
    waiting: dict[tuple[str, str], asyncio.Event] = {}
    opened = asyncio.Event()
    handoffs, rng = Handoffs(engine), random.Random(11)  # noqa: S311 (test data)
    headers = {"Cookie": f"guichet_console={token}", "Accept": "text/event-stream"}

    async def listen(client: httpx.AsyncClient) -> None:
        async with client.stream("GET", "/console/evenements", headers=headers) as stream:
            if stream.status_code != 200:
                raise RuntimeError(f"feed refused: {stream.status_code}")
            kind = ""
            async for line in stream.aiter_lines():
                opened.set()
                if line.startswith("event:"):
                    kind = line[6:].strip()
                elif line.startswith("data:") and kind == "message":
                    item = json.loads(line[5:])
                    key = (item["conversation"], item["text"])
                    arrived[key] = time.perf_counter()
                    if key in waiting:
                        waiting[key].set()
                elif not line:
                    kind = ""

    delays, posts, missed = [], [], 0
    timeout = httpx.Timeout(30, read=None)  # the feed stays open for the whole run
    async with httpx.AsyncClient(base_url=url, timeout=timeout) as client:
        listener = asyncio.create_task(listen(client))
        opening = asyncio.create_task(opened.wait())
        await asyncio.wait({listener, opening}, timeout=30, return_when="FIRST_COMPLETED")
        opening.cancel()
        for n in range(residents):
            if listener.done():
                listener.result()  # raises what closed the feed, if anything did
            if listener.done() or not opened.is_set():
                raise RuntimeError("the live feed did not open, or closed")
            sender = f"bench-feed-{n}-{rng.getrandbits(32):08x}"
            await asyncio.to_thread(handoffs.escalate, ConversationRef("web", sender), "asked")
            text = f"Bonjour, ici l’habitant {n} : quelqu’un peut-il m’aider ?"
            key = (f"web:{sender}", text)
            waiting[key] = asyncio.Event()
            began = time.perf_counter()
            answer = await client.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": text}
            )
            posts.append((time.perf_counter() - began) * 1000)
            if answer.status_code != 200 or answer.json() != []:
                raise RuntimeError(f"webhook: {answer.status_code} {answer.text[:200]}")
            try:
                await asyncio.wait_for(waiting[key].wait(), FEED_TIMEOUT)
                delays.append((arrived[key] - began) * 1000)
            except TimeoutError:
                missed += 1
            # Not in step with the feed's polling period: each message lands at a random phase.
            await asyncio.sleep(rng.uniform(0.05, 0.6))
        listener.cancel()
    figures = {"residents": residents, "missed": missed, "delay_ms": latency(delays)}
    return figures | {"webhook_ms": latency(posts)}


def backend(name: str, residents: int, loads: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, database(name, Path(tmp), "console") as url:
        log(f"{name}: filling the database")
        began = time.monotonic()
        data = populate(url)
        filled = time.monotonic() - began
        log(f"{name}: {data['conversations']} conversations, {data['reports']} reports")
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
        with gateway(url, ROOT / "var" / "bench" / f"console-{name}.log") as base:
            booked = _bookings(base)
            token = sign_in(base)
            log(f"{name}: {loads} loads of each page")
            figures = pages(base, token, data, loads)
            log(f"{name}: live feed, {residents} residents")
            engine = make_engine(url)
            try:
                feed = asyncio.run(_feed(base, token, engine, residents))
            finally:
                engine.dispose()
        held = {k: v for k, v in data.items() if isinstance(v, int)}
        held |= {"pending_bookings": booked}
        return {"data": held, "fill_s": round(filled, 1), "pages": figures, "feed": feed}


def console(backends: list[str], residents: int, loads: int) -> dict[str, Any]:
    return {
        "backends": {b: backend(b, residents, loads) for b in backends},
        "loads": loads,
        "feed_poll_s": FEED_POLL,
    }
