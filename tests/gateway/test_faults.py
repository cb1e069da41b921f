"""Rasa or the action server down: an apology with the phone number, 503, then recovery."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.handoff import Handoffs
from bot.models import Message
from bot.stack import Stack
from tests.gateway.test_booking_conversation import ahead, bookings, on, sender
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
    # … and the one that failed comes back to the assistant, as no agent answered: at its
    # next message, or before it by the gateway's look every RECOVERY_SECONDS.
    assert "du lundi au vendredi" in text_of(say(gateway, resident, "/ask_hours"))
    assert not Handoffs(stack_engine).active(f"web:{resident}")
    assert any("fonctionne de nouveau" in said for said in told(stack_engine, f"web:{resident}"))


def test_an_agent_who_answered_keeps_the_conversation_after_an_outage(
    gateway: httpx.Client, stack: Stack, stack_engine: Engine
) -> None:
    resident = f"test-{uuid.uuid4().hex[:12]}"
    stack.stop("actions")
    try:
        wait_for_health(gateway, 503)
        assert "momentanément indisponible" in text_of(say(gateway, resident, "/ask_hours"))
        handoffs = Handoffs(stack_engine)
        handoffs.reply(f"web:{resident}", 1, "Paul", "Bonjour, je m’en occupe.")
    finally:
        stack.start("actions")
    wait_for_health(gateway, 200)
    assert say(gateway, resident, "/ask_hours") == []  # Paul's conversation now
    assert handoffs.end(f"web:{resident}", 1, "returned", "L’agent vous a remis…")
    assert "du lundi au vendredi" in text_of(say(gateway, resident, "/ask_hours"))


def test_a_booking_whose_yes_was_lost_in_an_outage_is_confirmed_after_it(
    gateway: httpx.Client, stack: Stack, stack_engine: Engine
) -> None:
    who, day = sender(), ahead(26)  # a day and hours no other test of the stack books
    say(gateway, who, f"je voudrais réserver la salle des associations {on(day)} de 9h à 11h")
    say(gateway, who, "je suis habitant de Clairval")
    say(gateway, who, "Marie Martin")
    assert "Je confirme" in text_of(say(gateway, who, "06 12 34 56 78"))
    stack.stop("actions")
    try:
        wait_for_health(gateway, 503)
        assert "momentanément indisponible" in text_of(say(gateway, who, "oui"))
        (held,) = bookings(stack_engine, f"web:{who}")
        assert held.status == "held"  # the « oui » never reached the actions
    finally:
        stack.start("actions")
    wait_for_health(gateway, 200)
    deadline = time.monotonic() + 30
    while Handoffs(stack_engine).active(f"web:{who}") and time.monotonic() < deadline:
        time.sleep(0.2)  # the gateway's look, every RECOVERY_SECONDS (1 s here)
    notice = "\n".join(told(stack_engine, f"web:{who}"))
    assert "fonctionne de nouveau" in notice
    assert "n’est pas encore confirmée" in notice and "pour la confirmer" in notice
    done = text_of(say(gateway, who, "oui"))
    assert "C\u2019est réservé" in done
    (confirmed,) = bookings(stack_engine, f"web:{who}")
    assert confirmed.status == "confirmed"


def told(engine: Engine, conversation_id: str) -> list[str]:
    """What the conversation was told, pushed or answered."""
    with Session(engine) as session:
        return [
            m.text or ""
            for m in session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.direction == "out")
                .order_by(Message.id)
            )
        ]
