"""An agent's reply from the console reaches SMS and Telegram residents (through the outbox and
the fakes of Twilio and Telegram); handing back gives the conversation to the assistant again."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot import accounts
from bot.handoff import Handoffs
from bot.stack import Stack
from tests.helpers import fake_telegram as tg
from tests.helpers.channels import telegram_post, twilio_post, until
from tests.helpers.fake_twilio import FakeTwilio, inbound_params

pytestmark = pytest.mark.stack
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def agent(stack: Stack, stack_engine: Engine) -> Iterator[httpx.Client]:
    """An httpx client signed in to the console through its form."""
    login, password = f"agent-{secrets.token_hex(3)}", secrets.token_urlsafe(16)
    with Session(stack_engine) as db, db.begin():
        accounts.create_agent(db, login, "Nadia Benali", password)
    with httpx.Client(base_url=stack.config.gateway_url, timeout=30) as client:
        token = CSRF.search(client.get("/console/connexion").text)
        assert token is not None
        signed = client.post(
            "/console/connexion",
            data={"csrf": token.group(1), "login": login, "password": password, "suite": "/"},
        )
        assert signed.status_code == 303
        yield client


def reply(client: httpx.Client, conversation: str, text: str) -> None:
    path = "/console/conversations/" + quote(conversation, safe="")
    token = CSRF.search(client.get(path).text)
    assert token is not None
    answer = client.post(f"{path}/repondre", data={"csrf": token.group(1), "texte": text})
    assert answer.status_code == 303 and answer.headers["location"].endswith("fait=envoye")


def test_an_agent_answers_an_sms_resident_and_hands_back(
    agent: httpx.Client,
    stack: Stack,
    gateway: httpx.Client,
    fake_twilio: FakeTwilio,
    stack_engine: Engine,
) -> None:
    phone = f"+3366{secrets.randbelow(10**7):07d}"
    public = stack.config.env["PUBLIC_URL"]

    def sms(body: str) -> None:
        params = inbound_params(phone, body, to=fake_twilio.from_number)
        assert twilio_post(gateway, public, fake_twilio.auth_token, params).status_code == 200

    def received() -> list[str]:
        return [m["body"] for m in fake_twilio.messages if m["to"] == phone]

    sms("Je veux parler à une personne de la mairie")
    until(lambda: [b for b in received() if "agent" in b], what="the handoff notice")
    assert Handoffs(stack_engine).active(f"sms:{phone}")
    reply(agent, f"sms:{phone}", "Bonjour, ici Nadia, de l’accueil : que puis-je pour vous ?")
    until(lambda: [b for b in received() if "ici Nadia" in b], what="the agent's SMS")
    path = "/console/conversations/" + quote(f"sms:{phone}", safe="")
    token = CSRF.search(agent.get(path).text)
    assert token is not None
    back = agent.post(f"{path}/rendre", data={"csrf": token.group(1)})
    assert back.status_code == 303
    until(lambda: [b for b in received() if "assistant" in b.lower()], what="the hand-back SMS")
    assert not Handoffs(stack_engine).active(f"sms:{phone}")
    sms("Quels sont les horaires de la mairie ?")  # the assistant answers again
    until(lambda: [b for b in received() if "lundi" in b.lower()], what="the assistant again")


def test_an_agent_answers_a_telegram_resident(
    agent: httpx.Client, gateway: httpx.Client, fake_telegram: tg.FakeTelegram
) -> None:
    chat_id = 600_000 + secrets.randbelow(99_999)
    update = 95_000_000 + secrets.randbelow(10**6)
    assert telegram_post(gateway, tg.text_update(update, chat_id, "urgence")).status_code == 200
    told = until(lambda: [m for m in fake_telegram.sent if m["chat_id"] == chat_id], what="numbers")
    assert "112" in told[0]["text"]
    reply(agent, f"telegram:{chat_id}", "Bonjour, je suis Nadia. Êtes-vous en sécurité ?")
    until(
        lambda: [m for m in fake_telegram.sent if m["chat_id"] == chat_id and "Nadia" in m["text"]],
        what="the agent's message on Telegram",
    )


def test_no_console_page_or_feed_answers_without_a_session(gateway: httpx.Client) -> None:
    for path in (
        "/console/",
        "/console/reservations",
        "/console/signalements",
        "/console/tableau-de-bord",
        "/console/conversations/web:x",
    ):
        answer = gateway.get(path)
        assert answer.status_code == 303 and "/console/connexion" in answer.headers["location"]
    feed = gateway.get("/console/evenements")
    assert feed.status_code == 401 and feed.json()["reason"] == "not_authenticated"
    posted = gateway.post("/console/conversations/web:x/repondre", data={"texte": "x"})
    assert posted.status_code == 303  # to the sign-in page; nothing was sent
