"""Builders for the street-report tests: the demo territory, drafts, a clock, photos, row counts."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import uvicorn
from PIL import Image
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from starlette.types import ASGIApp

from bot.commune import load_commune
from bot.report_records import ReportRow, SubscriberRow
from bot.reports import Draft, Reporter
from bot.settings import ROOT, Settings, load_settings
from bot.territory import Territory
from tests.helpers.stack import free_port

COMMUNE = ROOT / "communes" / "clairval.yml"
TABLES = ("reports", "report_subscribers", "report_changes", "report_photos", "notifications")
LILAS = (48.8512, 2.3921)  # the point of rue des Lilas in the demo commune
AGENT_TOKEN = "jeton-agent-de-test-0123456789"
OPEN311_KEY = "cle-open311-de-test"


def territory() -> Territory:
    return load_commune(COMMUNE).data.signalements


def draft(**overrides: Any) -> Draft:
    values: dict[str, Any] = {
        "category": "eclairage",
        "description": "Le lampadaire ne s'allume plus.",
        "street": "rue des Lilas",
        "address": "devant le 12 rue des Lilas",
        "lat": None,
        "lon": None,
        "photo": None,
    }
    values.update(overrides)
    return Draft(**values)


def reporter(conversation: str | None = "web:alice", **overrides: Any) -> Reporter:
    values: dict[str, Any] = {
        "conversation_id": conversation,
        "channel": conversation.split(":")[0] if conversation else None,
    }
    values.update(overrides)
    return Reporter(**values)


def north_of(lat: float, lon: float, metres: float) -> tuple[float, float]:
    """A point some metres north of another (1° of latitude is about 111.2 km)."""
    return lat + metres / 111_195.0, lon


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def counts(engine: Engine) -> dict[str, int]:
    """How many rows each report table and the outbox hold."""
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }


def followed(engine: Engine, conversation_id: str) -> set[tuple[str, str | None]]:
    """The (category, street) of every report a conversation follows."""
    with Session(engine) as session:
        rows = session.scalars(
            select(ReportRow)
            .join(ReportRow.subscribers)
            .where(SubscriberRow.conversation_id == conversation_id)
        ).all()
        return {(row.category, row.street) for row in rows}


def notifications(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT kind, conversation_id, channel, phone, email, reference, payload, status "
                "FROM notifications ORDER BY id"
            )
        ).mappings()
        found = [dict(row) for row in rows]
    for row in found:  # SQLite hands JSON back as text
        if isinstance(row["payload"], str):
            row["payload"] = json.loads(row["payload"])
    return found


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48), gps: bool = True) -> bytes:
    """A real image made with Pillow, with EXIF (camera, GPS position) when asked."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    extra: dict[str, Any] = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Téléphone de Camille"  # Make
        exif[0x0112] = 6  # Orientation: rotate 90° to display
        exif[0x8825] = {1: "N", 2: (48.0, 51.0, 4.3), 3: "E", 4: (2.0, 23.0, 31.6)}  # GPS IFD
        extra["exif"] = exif.tobytes()
    image.save(out, kind, **extra)
    return out.getvalue()


def settings_for(engine: Engine, **env: str) -> Settings:
    url = engine.url.render_as_string(hide_password=False)
    values = {
        "DATABASE_URL": url,
        "COMMUNE_FILE": str(COMMUNE),
        "RASA_URL": "http://127.0.0.1:9",
        "AGENT_API_TOKENS": AGENT_TOKEN,
        "OPEN311_API_KEYS": OPEN311_KEY,
    }
    values.update(env)
    return load_settings(values)


@contextmanager
def serve(app_for: Callable[[str], ASGIApp]) -> Iterator[str]:
    """The app built for its own base URL, under uvicorn on a free port; yields that URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    config = uvicorn.Config(
        app_for(url), host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
