"""Rasa or the action server down: an apology with the phone number, 503, then recovery."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from sqlalchemy import Engine

from bot.handoff import Handoffs
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
    gateway: httpx.Client, stack: Stack, part: str, stack_engine: Engine
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
        assert "agent de l’accueil" in text  # the failed turn goes to the agents
    finally:
        stack.start(part)
    wait_for_health(gateway, 200)
    # No restart of the gateway: a new conversation is answered again at once …
    assert "du lundi au vendredi" in text_of(say(gateway, f"{resident}-2", "/ask_hours"))
    # … and the one that failed waits for its agent, who can hand it back to the assistant.
    handoffs = Handoffs(stack_engine)
    assert say(gateway, resident, "/ask_hours") == []
    assert handoffs.end(f"web:{resident}", 1, "returned", "L’agent vous a remis…")
    assert "du lundi au vendredi" in text_of(say(gateway, resident, "/ask_hours"))
