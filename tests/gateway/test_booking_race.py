"""Fifty residents want the same slot at once: one gets it, the others a clear 409.

The real gateway runs as `make run` starts it (uvicorn, its own processes: two of them, so
that only the database can keep the peace), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from bot.db import make_engine, migrate
from bot.settings import ROOT
from tests.helpers.bookings import (
    at,
    booking,
    live_rows,
    requester,
    saturday,
    serve_process,
    whole_day,
)

COMMUNE = ROOT / "communes" / "clairval.yml"
RESIDENTS = 50


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'race.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database of each kind (PostgreSQL skips when absent, not under CI)."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(name)
    migrate(url)
    return url


@pytest.fixture
def gateways(database_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two gateway processes on the same database."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(serve_process(database_url, COMMUNE, tmp_path / f"gw{n}.log"))
            for n in range(2)
        ]


@pytest.fixture
def database(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


async def rush(urls: list[str], bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    """Send every body at once, spread over the gateways."""
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        return await asyncio.gather(
            *(
                client.post(f"{urls[n % len(urls)]}/api/bookings", json=body)
                for n, body in enumerate(bodies)
            )
        )


def residents(resource: str, start: str, end: str, **extra: Any) -> list[dict[str, Any]]:
    """Fifty different people (each their own phone: the commune's limit per person is not
    what these races are about)."""
    return [
        booking(
            resource,
            start,
            end,
            requester=requester(
                name=f"Habitant {n}", phone=f"06 12 34 {n // 100:02d} {n % 100:02d}"
            ),
            **extra,
        )
        for n in range(RESIDENTS)
    ]


def test_fifty_residents_one_room(gateways: list[str], database: Engine) -> None:
    day = saturday(6)
    start, end = at(day, 14).isoformat(), at(day, 17).isoformat()
    responses = asyncio.run(rush(gateways, residents("salle-des-associations", start, end)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: RESIDENTS - 1}, [
        r.text for r in responses if r.status_code >= 500
    ]
    for response in responses:
        if response.status_code == 409:
            assert response.json()["reason"] == "taken"
    assert live_rows(database, "salle-des-associations") == 1


def test_fifty_residents_four_tents(gateways: list[str], database: Engine) -> None:
    responses = asyncio.run(rush(gateways, residents("barnums", *whole_day(saturday(6)))))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 4, 409: RESIDENTS - 4}, [
        r.text for r in responses if r.status_code >= 500
    ]
    assert live_rows(database, "barnums") == 4
