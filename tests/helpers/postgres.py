"""A throw-away PostgreSQL database, for the tests and the benchmarks alike."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from bot.db import make_engine


@contextmanager
def scratch_database(server: str, prefix: str, *, create: bool = True) -> Iterator[str]:
    """Create an empty database on the server at `server` (a URL naming any database there),
    yield its URL, and drop it afterwards even if connections are still open. With
    `create=False` the name is only reserved: the code under test creates it, and it is
    dropped afterwards all the same.

    Raises whatever the server raises when the database cannot be created (or, with
    `create=False`, when the server cannot be reached)."""
    admin = make_engine(server).execution_options(isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"' if create else "SELECT 1"))
    except BaseException:
        admin.dispose()
        raise
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
