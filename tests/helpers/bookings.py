"""Builders for the booking API tests: future dates, request bodies, row counts, servers."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import uvicorn
from sqlalchemy import Engine, text
from starlette.types import ASGIApp

from tests.helpers.stack import free_port

PARIS = ZoneInfo("Europe/Paris")
TABLES = ("resources", "bookings", "booking_changes", "notifications")


def today() -> date:
    return datetime.now(PARIS).date()


def saturday(weeks_ahead: int = 4) -> date:
    """A Saturday some weeks away: past every minimum notice, inside every horizon."""
    now = today()
    return now + timedelta(days=(5 - now.weekday()) % 7 + 7 * weeks_ahead)


def weekday(day: int, weeks_ahead: int = 4) -> date:
    """The given weekday (0 = Monday) of the week of saturday(weeks_ahead)."""
    return saturday(weeks_ahead) + timedelta(days=day - 5)


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A local instant of the commune."""
    return datetime.combine(day, clock(hour, minute), PARIS)


def whole_day(day: date) -> tuple[str, str]:
    return at(day).isoformat(), at(day + timedelta(days=1)).isoformat()


def requester(**overrides: Any) -> dict[str, Any]:
    who: dict[str, Any] = {"name": "Camille Martin", "type": "resident", "phone": "06 12 34 56 78"}
    who.update(overrides)
    return {k: v for k, v in who.items() if v is not None}


def booking(resource: str, start: str, end: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"resource": resource, "start": start, "end": end}
    body["requester"] = extra.pop("requester", None) or requester()
    body.update(extra)
    return body


def counts(engine: Engine) -> dict[str, int]:
    """How many rows each calendar and outbox table holds."""
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table in TABLES
        }


def live_rows(engine: Engine, resource: str) -> int:
    """Live bookings of one resource, straight from the database."""
    with engine.connect() as connection:
        count = connection.execute(
            text(
                "SELECT count(*) FROM bookings WHERE resource = :resource "
                "AND status IN ('held', 'pending', 'confirmed')"
            ),
            {"resource": resource},
        ).scalar_one()
    return int(count)


def _wait_ready(url: str, alive: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"the gateway at {url} stopped while starting")
        try:
            if httpx.get(f"{url}/api/resources", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the gateway at {url} did not answer in {timeout} s")


@contextmanager
def serve_in_thread(app: ASGIApp) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, thread.is_alive)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_process(database_url: str, commune: Path, log: Path) -> Iterator[str]:
    """The real gateway as `make run` starts it (uvicorn --factory), in its own process."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COMMUNE_FILE": str(commune),
        "RASA_URL": "http://127.0.0.1:9",  # not needed by the booking API
        "RATE_LIMITS": "off",  # races and loads all come from this machine
    }
    command = [sys.executable, "-m", "uvicorn", "gateway.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, lambda: process.poll() is None)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
