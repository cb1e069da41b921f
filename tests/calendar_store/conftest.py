"""Fixtures: a store on a migrated SQLite file (and on PostgreSQL), with a clock tests move."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from bot.db import make_engine, migrate
from calendar_store.store import Store
from tests.helpers.calendar import CLAIRVAL, PARIS, Clock


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Engine]:
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_store(pg_engine: Engine, clock: Clock) -> Store:
    store = Store(pg_engine, CLAIRVAL, tz=PARIS, clock=clock)
    store.sync()
    return store
