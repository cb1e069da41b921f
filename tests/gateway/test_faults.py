"""Rasa or the action server down: an apology with the phone number, 503, then recovery."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from bot.stack import Stack
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack


def wait_for_health(client: httpx.Client, status: int, timeout: float = 180) -> dict[str, object]:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/healthz")
        if response.status_code == status or time.monotonic() > deadline:
            assert response.status_code == status, response.text
            body: dict[str, object] = response.json()
            return body
        time.sleep(0.5)


@pytest.mark.parametrize("part", ["actions", "rasa"])
def test_a_part_down_means_an_apology_then_recovery(
    gateway: httpx.Client, stack: Stack, part: str
) -> None:
    resident = f"test-{uuid.uuid4().hex[:12]}"
    assert "01 99 00 12 34" in text_of(say(gateway, resident, "/ask_contact"))

    stack.stop(part)
    try:
        health = wait_for_health(gateway, 503)
        parts = health["parts"]
        assert isinstance(parts, dict)
        assert parts[part] != "ok"
        assert parts["gateway"] == "ok"

        replies = say(gateway, resident, "/ask_hours")
        text = text_of(replies)
        assert "momentanément indisponible" in text
        assert "01 99 00 12 34" in text
    finally:
        stack.start(part)
    wait_for_health(gateway, 200)
    # The conversation goes on, with no restart of the gateway.
    assert "du lundi au vendredi" in text_of(say(gateway, resident, "/ask_hours"))
