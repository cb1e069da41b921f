"""Builders for tests that run the real processes."""

from __future__ import annotations

import os
import socket
from typing import Any

import httpx
import pytest


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
