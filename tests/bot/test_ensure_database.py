"""`guichet setup` creates the PostgreSQL database it is pointed at (STORES=shared)."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import text

from bot.db import ensure_database, make_engine
from tests.helpers.stack import skip_or_fail

SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_the_database_is_created_once_and_sqlite_is_left_alone() -> None:
    assert ensure_database("sqlite:///unused.db") is False
    name = f"guichet_ensure_{secrets.token_hex(4)}"
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    admin = make_engine(SERVER).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        admin.dispose()
        skip_or_fail(f"PostgreSQL not usable at {SERVER}: {type(error).__name__}: {error}")
    try:
        assert ensure_database(url) is True
        assert ensure_database(url) is False  # already there
        with make_engine(url).connect() as connection:
            assert connection.execute(text("SELECT current_database()")).scalar_one() == name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
