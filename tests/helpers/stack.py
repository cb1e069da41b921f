"""Builders for tests that run the real processes."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.helpers.postgres import scratch_database


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def skip_or_fail(reason: str) -> None:
    """Skip where a service is absent; under CI=true that absence is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@contextmanager
def postgres_database(*, create: bool = True) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards (TEST_POSTGRES_URL: the server);
    with `create=False`, the URL of one that does not exist yet (see scratch_database)."""
    server = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with ExitStack() as scope:
        try:
            url = scope.enter_context(scratch_database(server, "guichet_test", create=create))
        except Exception as error:
            skip_or_fail(f"PostgreSQL not usable at {server}: {type(error).__name__}: {error}")
        yield url


def redis_answers(url: str) -> bool:
    """True if a Redis server answers PING at `url` (redis://host:port/db)."""
    parsed = urlsplit(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def say(client: httpx.Client, sender: str, message: str, **extra: Any) -> list[dict[str, Any]]:
    """One turn through the gateway's REST webhook; asserts it succeeded."""
    response = client.post(
        "/webhooks/rest/webhook", json={"sender": sender, "message": message, **extra}
    )
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()
    return replies


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text", "") for r in replies)
