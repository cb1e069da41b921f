"""The guarantee: no overlap on an exclusive resource, no stock lent twice, whatever the race."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from bot.db import make_engine, migrate
from calendar_store import checks
from calendar_store.spec import Booking, BookingRefused, BookingRequest, Refusal
from calendar_store.store import Store
from tests.helpers.calendar import CLAIRVAL, PARIS, Clock, at, days, request

TUESDAY = date(2026, 3, 10)
SLOT = request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20))


def race(store: Store, wishes: Sequence[BookingRequest]) -> tuple[list[Booking], list[Refusal]]:
    """Everyone books at the same moment, each through its own session."""
    start = threading.Barrier(len(wishes))

    def one(wish: BookingRequest) -> Booking | BookingRefused:
        start.wait()
        try:
            return store.book(wish, by="race")
        except BookingRefused as refusal:
            return refusal

    with ThreadPoolExecutor(len(wishes)) as pool:
        outcomes = list(pool.map(one, wishes))
    return (
        [o for o in outcomes if isinstance(o, Booking)],
        [o.reason for o in outcomes if isinstance(o, BookingRefused)],
    )


def live_rows(engine: Engine, resource: str) -> tuple[int, int]:
    """How many live rows the database holds for a resource, and their total quantity."""
    with engine.connect() as connection:
        count, total = connection.execute(
            text(
                "SELECT count(*), coalesce(sum(quantity), 0) FROM bookings "
                "WHERE resource = :r AND status IN ('held', 'pending', 'confirmed')"
            ),
            {"r": resource},
        ).one()
    return int(count), int(total)


def one_slot_for_fifty(store: Store, engine: Engine) -> None:
    won, lost = race(store, [SLOT] * 50)
    assert len(won) == 1
    assert lost == [Refusal.TAKEN] * 49
    assert live_rows(engine, "salle-des-associations") == (1, 1)


def two_hundred_chairs_for_fifty(store: Store, engine: Engine) -> None:
    won, lost = race(store, [days("chaises", TUESDAY, quantity=10)] * 50)
    assert len(won) == 20
    assert lost == [Refusal.TAKEN] * 30
    assert live_rows(engine, "chaises") == (20, 200)
    assert store.availability("chaises", TUESDAY, TUESDAY) == []


def test_fifty_threads_one_slot_on_sqlite(store: Store, engine: Engine) -> None:
    one_slot_for_fifty(store, engine)


def test_fifty_threads_two_hundred_chairs_on_sqlite(store: Store, engine: Engine) -> None:
    two_hundred_chairs_for_fifty(store, engine)


@pytest.mark.postgres
def test_fifty_threads_one_slot_on_postgresql(pg_store: Store, pg_engine: Engine) -> None:
    one_slot_for_fifty(pg_store, pg_engine)


@pytest.mark.postgres
def test_fifty_threads_two_hundred_chairs_on_postgresql(pg_store: Store, pg_engine: Engine) -> None:
    two_hundred_chairs_for_fifty(pg_store, pg_engine)


def book_in_a_process(database_url: str, wish: BookingRequest) -> str:
    """One process of its own, with its own engine and store, as the gateway and actions are."""
    engine = make_engine(database_url)
    try:
        return Store(engine, CLAIRVAL, tz=PARIS, clock=Clock()).book(wish, by="process").status
    except BookingRefused as refusal:
        return refusal.reason
    finally:
        engine.dispose()


def processes_race(database_url: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(4, mp_context=context) as pool:
        return sorted(pool.map(book_in_a_process, [database_url] * 8, [SLOT] * 8))


def test_processes_race_on_one_sqlite_file(store: Store, engine: Engine) -> None:
    outcomes = processes_race(engine.url.render_as_string(hide_password=False))
    assert outcomes == ["confirmed"] + ["taken"] * 7
    assert live_rows(engine, "salle-des-associations") == (1, 1)


@pytest.mark.postgres
def test_processes_race_on_postgresql(
    pg_store: Store, pg_engine: Engine, postgres_url: str
) -> None:
    assert processes_race(postgres_url) == ["confirmed"] + ["taken"] * 7
    assert live_rows(pg_engine, "salle-des-associations") == (1, 1)


def test_every_write_takes_the_sqlite_write_lock_first(store: Store, engine: Engine) -> None:
    raw = engine.raw_connection()
    try:
        # Python's sqlite3 default: it would open a DEFERRED transaction at the first write.
        assert raw.driver_connection.isolation_level == ""  # type: ignore[union-attr]
    finally:
        raw.close()
    path = str(engine.url.database)
    with store._writing("chaises"):  # private, but the lock itself is what is tested
        other = sqlite3.connect(path, timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are not blocked (WAL): the public pages stay up while someone books.
            assert other.execute("SELECT count(*) FROM bookings").fetchone() == (0,)
        finally:
            other.close()
    other = sqlite3.connect(path, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # released once the transaction ended
    other.rollback()
    other.close()


INSERT = text(
    "INSERT INTO bookings (reference, resource, starts_at, ends_at, quantity, status, exclusive,"
    " contact_name, contact_type, price, deposit, cancel_token_hash, created_at, updated_at)"
    " VALUES (:reference, :resource, :starts_at, :ends_at, :quantity, :status, :exclusive,"
    " 'X', 'resident', 0, 0, 'h', now(), now())"
)


def insert(engine: Engine, reference: str, start: int, end: int, **values: Any) -> None:
    row: dict[str, Any] = {
        "reference": reference,
        "resource": "salle-des-associations",
        "starts_at": at(TUESDAY, start),
        "ends_at": at(TUESDAY, end),
        "quantity": 1,
        "status": "confirmed",
        "exclusive": True,
    }
    with engine.begin() as connection:
        connection.execute(INSERT, row | values)


@pytest.mark.postgres
def test_postgresql_itself_refuses_two_live_overlapping_rows(
    pg_store: Store, pg_engine: Engine
) -> None:
    insert(pg_engine, "SDA-AAAA", 10, 12)
    with pytest.raises(IntegrityError, match="ex_bookings_no_overlap"):
        insert(pg_engine, "SDA-CCCC", 11, 13)
    with pytest.raises(IntegrityError, match="ex_bookings_no_overlap"):
        insert(pg_engine, "SDA-CCCC", 11, 12, status="held")
    insert(pg_engine, "SDA-DDDD", 12, 14)  # [10, 12) and [12, 14) only touch
    insert(pg_engine, "SDA-EEEE", 11, 13, status="cancelled")
    insert(pg_engine, "CHA-AAAA", 0, 23, resource="chaises", exclusive=False, quantity=150)
    insert(pg_engine, "CHA-CCCC", 0, 23, resource="chaises", exclusive=False, quantity=50)


@pytest.mark.postgres
def test_a_writer_that_skips_the_checks_still_gets_a_refusal(
    pg_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    pg_store.book(SLOT, by="first")
    monkeypatch.setattr(checks, "ensure_free", lambda *args: None)
    with pytest.raises(BookingRefused) as caught:
        pg_store.book(SLOT, by="second")
    assert caught.value.reason is Refusal.TAKEN


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_the_database_checks_ranges_and_quantities(
    backend: str, request: pytest.FixtureRequest
) -> None:
    store: Store = request.getfixturevalue("store" if backend == "sqlite" else "pg_store")
    engine: Engine = request.getfixturevalue("engine" if backend == "sqlite" else "pg_engine")
    store.sync()
    now = "CURRENT_TIMESTAMP"
    statement = INSERT.text.replace("now()", now)
    for values, constraint in (
        ({"starts_at": at(TUESDAY, 12), "ends_at": at(TUESDAY, 12)}, "ck_bookings_range"),
        ({"quantity": 0}, "ck_bookings_quantity"),
    ):
        row = {
            "reference": "SDA-AAAA",
            "resource": "salle-des-associations",
            "starts_at": at(TUESDAY, 10),
            "ends_at": at(TUESDAY, 12),
            "quantity": 1,
            "status": "cancelled",
            "exclusive": True,
        } | values
        with pytest.raises(IntegrityError, match=constraint), engine.begin() as connection:
            connection.execute(text(statement), row)


def test_migrations_create_the_calendar_on_sqlite_too(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate(url)
    migrate(url)  # idempotent
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            tables = {
                r[0]
                for r in connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type='table'")
                )
            }
    finally:
        engine.dispose()
    assert {"resources", "bookings", "booking_changes"} <= tables
