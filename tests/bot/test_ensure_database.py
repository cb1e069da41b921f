"""`guichet setup` creates the PostgreSQL database it is pointed at (STORES=shared)."""

from __future__ import annotations

from sqlalchemy import text

from bot.db import ensure_database, make_engine
from tests.helpers.stack import postgres_database


def test_the_database_is_created_once_and_sqlite_is_left_alone() -> None:
    assert ensure_database("sqlite:///unused.db") is False
    with postgres_database(create=False) as url:
        name = url.rsplit("/", 1)[1]
        assert ensure_database(url) is True
        assert ensure_database(url) is False  # already there
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                assert connection.execute(text("SELECT current_database()")).scalar_one() == name
        finally:
            engine.dispose()
