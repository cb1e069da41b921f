"""What anyone can send to any endpoint: too big, too deep, not UTF-8, lone surrogates. Always
a JSON 4xx in French (never a 500), and a signed Telegram update is kept and answered."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import Engine, select

from bot.db import make_engine, make_session_factory, migrate
from bot.inbox import InboundRow
from bot.models import Message
from bot.reports import ReportStore
from bot.settings import ROOT
from gateway.app import create_app
from tests.helpers.bookings import serve_in_thread
from tests.helpers.channels import SECRET, until
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import FakeTwilio, sign
from tests.helpers.reports import (
    AGENT_TOKEN,
    OPEN311_KEY,
    draft,
    reporter,
    settings_for,
    territory,
)
from tests.helpers.telegram_updates import text_update

AUTH = {"Authorization": f"Bearer {AGENT_TOKEN}"}
JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
BIG = 70_000


@dataclass
class Gateway:
    client: httpx.Client
    url: str
    engine: Engine
    telegram: FakeTelegram
    twilio: FakeTwilio
    report: str


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    """The real app with every channel on (their far ends are local fakes) and Rasa down."""
    folder = tmp_path_factory.mktemp("bad-input")
    url = f"sqlite:///{folder / 'guichet.db'}"
    migrate(url)
    engine = make_engine(url)
    report = ReportStore(engine, territory).file(draft(), reporter(), by="bot").report.reference
    with FakeTelegram() as telegram, FakeTwilio() as twilio:
        settings = settings_for(
            engine,
            PUBLIC_URL="https://mairie.example",
            TELEGRAM_BOT_TOKEN=telegram.token,
            TELEGRAM_WEBHOOK_SECRET=SECRET,
            TELEGRAM_API_BASE_URL=telegram.url,
            TELEGRAM_POLLING="off",
            TWILIO_ACCOUNT_SID=twilio.account_sid,
            TWILIO_AUTH_TOKEN=twilio.auth_token,
            TWILIO_FROM_NUMBER=twilio.from_number,
            TWILIO_API_BASE_URL=twilio.url,
        )
        with serve_in_thread(create_app(settings)) as base, httpx.Client(base_url=base) as client:
            yield Gateway(client, base, engine, telegram, twilio, report)
    engine.dispose()


def refused(response: httpx.Response, status: int, reason: str) -> str:
    """A JSON refusal in French: {"error", "reason"}, or Open311's [{"code", "description"}]."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    if isinstance(body, list):  # Open311 says no reason, only its sentence
        [error] = body
        assert error["code"] == status
        message = str(error["description"])
    else:
        assert body["reason"] == reason
        message = str(body["error"])
    assert re.search(r"[a-zé]", message), message
    return message


# -- JSON APIs: the chat, bookings, the agents' report API, Open311 ------------------------------


def json_endpoints(gateway: Gateway) -> list[tuple[str, dict[str, str]]]:
    return [
        ("/webhooks/rest/webhook", JSON),
        ("/api/bookings", JSON),
        ("/api/bookings/SDF-AAAA/cancel", JSON),
        (f"/api/reports/{gateway.report}/status", {**JSON, **AUTH}),
        ("/open311/v2/requests.json", JSON),
    ]


def chunks(data: bytes) -> Iterator[bytes]:
    """A body sent without Content-Length (chunked): the reader must stop by itself."""
    for start in range(0, len(data), 8192):
        yield data[start : start + 8192]


SURROGATE = json.dumps({"sender": "x", "message": "x \ud800", "status": "x \ud800"}).encode()
BAD_BODIES = {
    "too_large": (b'{"x": "' + b"a" * BIG + b'"}', 413, "body_too_large"),
    "too_deep_unclosed": (b"[" * 5000, 400, "too_deep"),
    "too_deep_closed": (b"[" * 5000 + b"]" * 5000, 400, "too_deep"),
    "lone_surrogate": (SURROGATE, 400, "invalid_unicode"),
    "invalid_utf8": (b'{"sender": "x", "message": "caf\xe9"}', 400, "invalid_utf8"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_every_json_api_refuses_bad_bodies_in_french(gateway: Gateway, kind: str) -> None:
    content, status, reason = BAD_BODIES[kind]
    for path, headers in json_endpoints(gateway):
        refused(gateway.client.post(path, content=content, headers=headers), status, reason)


def test_a_chunked_body_is_cut_at_the_limit(gateway: Gateway) -> None:
    content = b'{"x": "' + b"a" * BIG + b'"}'
    for path, headers in json_endpoints(gateway):
        response = gateway.client.post(path, content=chunks(content), headers=headers)
        refused(response, 413, "body_too_large")


def test_the_chat_still_answers_after_bad_bodies(gateway: Gateway) -> None:
    response = gateway.client.post(
        "/webhooks/rest/webhook", json={"sender": "apres", "message": "bonjour \U0001f600"}
    )
    assert response.status_code == 200, response.text  # a real emoji is no lone surrogate


# -- forms: Open311, SMS, the agents' console ---------------------------------------------------


def test_forms_refuse_big_bodies_and_bytes_that_are_no_utf8(gateway: Gateway) -> None:
    big = b"description=" + b"x" * BIG
    not_utf8 = f"api_key={OPEN311_KEY}&service_code=eclairage&description=caf%E9".encode()
    refused(gateway.client.post("/open311/v2/requests.json", content=big, headers=FORM), 413, "")
    refused(
        gateway.client.post("/open311/v2/requests.json", content=not_utf8, headers=FORM), 400, ""
    )
    for path in ("/console/connexion", "/webhooks/twilio"):
        refused(gateway.client.post(path, content=big, headers=FORM), 413, "body_too_large")
    not_utf8 = b"login=caf%E9&password=x&csrf=y"
    refused(
        gateway.client.post("/console/connexion", content=not_utf8, headers=FORM),
        400,
        "invalid_utf8",
    )


def test_a_big_sms_webhook_call_is_refused_before_its_signature_is_checked(
    gateway: Gateway,
) -> None:
    # Unsigned, yet 413: the size is checked before any work on the body.
    response = gateway.client.post("/webhooks/twilio", content=chunks(b"Body=" + b"x" * BIG))
    refused(response, 413, "body_too_large")


def test_a_signed_sms_that_is_no_utf8_is_refused(gateway: Gateway) -> None:
    params = {"MessageSid": "SM" + "0" * 32, "From": "+33612345678", "Body": "caf\ufffd"}
    signature = sign(gateway.twilio.auth_token, "https://mairie.example/webhooks/twilio", params)
    content = urlencode(params).replace("%EF%BF%BD", "%E9").encode()
    response = gateway.client.post(
        "/webhooks/twilio", content=content, headers={**FORM, "X-Twilio-Signature": signature}
    )
    refused(response, 400, "invalid_utf8")


# -- Telegram: a signed update always gets its 2xx -----------------------------------------------


def telegram_post(gateway: Gateway, content: bytes, secret: str = SECRET) -> httpx.Response:
    headers = {**JSON, "X-Telegram-Bot-Api-Secret-Token": secret}
    return gateway.client.post("/webhooks/telegram", content=content, headers=headers)


def inbox(engine: Engine) -> list[InboundRow]:
    with make_session_factory(engine)() as session:
        return list(session.scalars(select(InboundRow).where(InboundRow.channel == "telegram")))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'{"update_id": 1, "x": "' + b"a" * BIG + b'"}', "body_too_large"),
        (b'{"update_id": 1, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "too_deep"),
    ],
)
def test_a_signed_update_that_cannot_be_read_is_acknowledged_not_redelivered_forever(
    gateway: Gateway, content: bytes, reason: str
) -> None:
    before = len(inbox(gateway.engine))
    response = telegram_post(gateway, content)
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "outcome": "refused", "reason": reason}
    assert len(inbox(gateway.engine)) == before
    # Unsigned, the same body is refused before it is read.
    refused(telegram_post(gateway, content, secret="faux"), 403, "forbidden")


def test_a_signed_update_with_a_lone_surrogate_is_kept_and_answered(gateway: Gateway) -> None:
    chat = 7007
    update = text_update(9001, chat, "Bonjour, le lampadaire \ud83d est éteint")
    response = telegram_post(gateway, json.dumps(update).encode())
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "accepted"
    sent = until(lambda: [m for m in gateway.telegram.sent if m["chat_id"] == chat], what="reply")
    assert "caractères" in sent[0]["text"] and "Désolé" in sent[0]["text"]
    [row] = [r for r in inbox(gateway.engine) if r.message_id == "9001"]
    stored = row.payload["update"]["message"]["text"]
    assert stored == "Bonjour, le lampadaire \ufffd est éteint"
    with make_session_factory(gateway.engine)() as session:
        said = [
            (m.author, m.text)
            for m in session.scalars(select(Message).order_by(Message.id))
            if m.conversation_id == f"telegram:{chat}" and m.text and "lampadaire" in m.text
        ]
    assert said == [("resident", "Bonjour, le lampadaire \ufffd est éteint")]
    # Delivered again by Telegram: acknowledged, not answered twice.
    assert telegram_post(gateway, json.dumps(update).encode()).json()["outcome"] == "duplicate"


# -- one reader --------------------------------------------------------------------------------


def test_no_endpoint_reads_a_body_on_its_own() -> None:
    reading = re.compile(r"request\.(?:json|body|form|stream)\(\)")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "gateway").rglob("*.py")
        if path.name != "body.py" and reading.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
