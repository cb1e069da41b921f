"""SMS end to end: signed Twilio webhooks into the real stack, replies and notices out to a
fake Twilio REST API that speaks Twilio's protocol."""

from __future__ import annotations

import io
import random
import re
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.dates import say_date
from bot.db import make_session_factory
from bot.gsm import is_gsm, segments
from bot.inbox import InboundRow
from bot.optouts import OptOuts
from bot.outbox import Notification
from bot.stack import Stack
from bot.transcript import Transcript
from bot.wish import normalise_phone
from tests.helpers.channels import twilio_post, until
from tests.helpers.fake_twilio import FakeTwilio, inbound_params, sign
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack
REFERENCE = re.compile(r"\b([A-Z]{3}-[A-Z0-9]{4})\b")


def phone() -> str:
    """A random French mobile number that the assistant accepts when the resident types it.

    Not every 06 number is valid: 06 39 and 06 90-94/96/97 belong to overseas numbering
    (+262, +590…), and a test that types one in is told to write it again."""
    while True:
        number = f"+336{random.randint(10_000_000, 99_999_999)}"
        if normalise_phone(number) == number:
            return number


def on(day: date) -> str:
    return f"le {day.day} {say_date(day).split()[2]}"


class Resident:
    """One phone writing to the town hall's number, reading what comes back."""

    def __init__(self, gateway: httpx.Client, stack: Stack, twilio: FakeTwilio) -> None:
        self.number = phone()
        self.gateway, self.twilio = gateway, twilio
        self.public_url = stack.config.env["PUBLIC_URL"]
        self.seen = 0

    def received(self) -> list[str]:
        return [m["body"] for m in self.twilio.messages if m["to"] == self.number]

    def send(self, body: str, **extra: Any) -> httpx.Response:
        params = inbound_params(self.number, body, to=self.twilio.from_number, **extra)
        response = twilio_post(self.gateway, self.public_url, self.twilio.auth_token, params)
        assert response.status_code == 200, response.text
        return response

    def says(self, body: str) -> str:
        """Send one SMS and wait for the whole answer (the turn runs after the webhook)."""
        self.send(body)
        return self.reply()

    def reply(self) -> str:
        until(lambda: self.received()[self.seen :], what="an SMS reply")
        # A turn may be several SMS: wait until no more arrive for a moment.
        count = len(self.received())
        while True:
            time.sleep(0.6)
            if len(self.received()) == count:
                break
            count = len(self.received())
        new = self.received()[self.seen : count]
        self.seen = count
        return "\n".join(new)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def test_a_hall_booked_entirely_by_sms_with_its_confirmation(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio, stack_engine: Engine
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    day = date.today() + timedelta(days=12)
    ack = resident.send(f"je voudrais réserver la salle des associations {on(day)} de 14h à 18h")
    assert ack.headers["content-type"].startswith("text/xml")
    assert "<Response>" in ack.text and "<Message>" not in ack.text  # replies go by REST
    asked = resident.reply()
    assert "vous-meme" in asked.lower() or "association" in asked, asked
    assert "A quel nom" in resident.says("je suis habitant de Clairval").replace("À", "A")
    # No question about a phone number: the resident writes from one.
    summary = resident.says("Marie Martin")
    national = " ".join(("0" + resident.number[3:])[i : i + 2] for i in range(0, 10, 2))
    assert f"contact : {national}" in summary, summary
    assert "Répondez 1 ou 2" in summary or "Repondez 1 ou 2" in summary, summary
    done = resident.says("1")  # the first numbered choice: yes
    found = REFERENCE.search(done)
    assert found is not None, done
    reference = found.group(1)
    # The outbox worker sends the confirmation on the same channel, as an SMS.
    confirmation = until(
        lambda: [b for b in resident.received() if reference in b and "Mairie" in b],
        what="the confirmation SMS",
    )
    assert "salle des associations" in confirmation[0]
    every = resident.received()
    assert all(is_gsm(body) and segments(body) <= 3 for body in every), every
    with Session(stack_engine) as session:
        sent = session.scalars(
            select(Notification).where(
                Notification.reference == reference, Notification.kind == "booking_confirmed"
            )
        ).all()
        assert [(n.status, n.route) for n in sent] == [("sent", "sms")]
        assert sent[0].external_id and sent[0].external_id.startswith("SM")
        reminder = session.scalars(
            select(Notification).where(
                Notification.reference == reference, Notification.kind == "booking_reminder"
            )
        ).one()
        assert reminder.status == "queued"  # a row: it survives any restart until its day


def test_twilio_redelivering_the_same_message_is_answered_once(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio, stack_engine: Engine
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    params = inbound_params(resident.number, "Quels sont les horaires de la mairie ?")
    for _ in range(3):
        response = twilio_post(gateway, resident.public_url, fake_twilio.auth_token, params)
        assert response.status_code == 200
    assert "lundi" in resident.reply().lower()
    with pytest.raises(AssertionError):
        until(lambda: len(resident.received()) > resident.seen, timeout=1.5)
    with Session(stack_engine) as session:
        stored = session.scalars(
            select(InboundRow).where(InboundRow.message_id == params["MessageSid"])
        ).all()
        assert [row.status for row in stored] == ["done"]


def test_forged_missing_or_tampered_signatures_are_refused(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    params = inbound_params(resident.number, "bonjour")
    url, token = resident.public_url, fake_twilio.auth_token
    hook = f"{url}/webhooks/twilio"
    refused = {
        "another token": twilio_post(gateway, url, "0" * 32, params),
        "tampered body": twilio_post(
            gateway,
            url,
            token,
            dict(params, Body="tout réserver"),
            signature=sign(token, hook, params),
        ),
        "another URL": twilio_post(
            gateway, url, token, params, signature=sign(token, "https://ailleurs.example/x", params)
        ),
        "no signature": gateway.post(
            "/webhooks/twilio",
            content=urlencode(params),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    }
    assert {why: r.status_code for why, r in refused.items()} == dict.fromkeys(refused, 403)
    assert refused["another token"].json()["reason"] == "forbidden"
    assert twilio_post(gateway, url, token, params).status_code == 200  # the genuine one


def test_stop_opts_out_of_everything_and_start_opts_back_in(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio, stack_engine: Engine
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    stopped = resident.send("stop merci")
    assert "<Message>" in stopped.text and "START" in stopped.text
    assert OptOuts(stack_engine).contains(resident.number)
    resident.send("Quels sont les horaires de la mairie ?")
    with pytest.raises(AssertionError):
        until(lambda: resident.received(), timeout=2.0)  # not even an answer
    transcript = Transcript(make_session_factory(stack_engine))
    texts = [m.text for m in transcript.messages(f"sms:{resident.number}")]
    assert "Quels sont les horaires de la mairie ?" in texts  # kept for the agents
    started = resident.send("START")
    assert "STOP" in started.text
    assert not OptOuts(stack_engine).contains(resident.number)
    assert "lundi" in resident.says("Quels sont les horaires de la mairie ?").lower()


def test_an_overlong_sms_gets_a_french_answer_and_emoji_only_gets_one_too(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    said = resident.says("a" * 5000)
    assert "trop long" in said and "5 000" in said.replace("\u202f", " ").replace("\u00a0", " ")
    assert resident.says("🙂🙂") != ""


def test_an_mms_photo_is_fetched_and_a_timeout_is_told(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    slow = fake_twilio.media(jpeg(), "image/jpeg", delay=15.0)
    resident.send("", media_urls=[slow])
    told = resident.reply()
    assert "photo" in told.lower() and "recuper" in told.lower().replace("é", "e")


def test_a_web_booking_is_cancelled_by_sms_from_the_phone_it_gave(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio, stack_engine: Engine
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    web = f"test-{resident.number[-8:]}"
    day = date.today() + timedelta(days=15)
    digits = "0" + resident.number[3:]
    national = " ".join(digits[i : i + 2] for i in range(0, 10, 2))  # "06 12 34 56 78"
    said = [
        text_of(say(gateway, web, text))
        for text in (
            f"je voudrais réserver la salle des associations {on(day)} de 10h à 12h",
            "je suis habitant de Clairval",
            "Camille Martin",
            national,
            "oui",
        )
    ]
    found = REFERENCE.search(said[-1])
    assert found is not None, said
    reference = found.group(1)
    # The confirmation goes by SMS to the number given (the web chat cannot be reached later).
    until(lambda: [b for b in resident.received() if reference in b], what="the SMS notice")
    resident.seen = len(resident.received())
    cancelled = resident.says(f"annuler ma réservation {reference}")
    assert "annul" in cancelled and reference in cancelled, cancelled
    with Session(stack_engine) as session:
        kinds = session.scalars(
            select(Notification.kind).where(Notification.reference == reference)
        ).all()
        assert "booking_cancelled" in kinds
