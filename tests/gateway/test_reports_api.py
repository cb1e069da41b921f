"""The agents' report API and photo upload through real HTTP: auth, errors, notices queued."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator, MutableMapping
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine

from bot.reports import ReportStore
from gateway.app import create_app
from tests.helpers.bookings import serve_in_thread
from tests.helpers.reports import (
    AGENT_TOKEN,
    counts,
    draft,
    image_bytes,
    notifications,
    reporter,
    settings_for,
    territory,
)

MB = 1024 * 1024
AUTH = {"Authorization": f"Bearer {AGENT_TOKEN}"}


@pytest.fixture
def api(engine: Engine) -> Iterator[httpx.Client]:
    with (
        serve_in_thread(create_app(settings_for(engine))) as url,
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        yield client


@pytest.fixture
def reference(engine: Engine) -> str:
    store = ReportStore(engine, territory)
    first = store.file(draft(), reporter("web:alice"), by="bot").report
    store.file(draft(), reporter("telegram:42"), by="bot")
    return first.reference


def error(response: httpx.Response, status: int, reason: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["reason"] == reason
    return str(body["error"])


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer mauvais-jeton"},
        {"Authorization": f"Basic {AGENT_TOKEN}"},
        {"Authorization": "Bearer"},
        {"Authorization": f"Bearer {AGENT_TOKEN}x"},
    ],
)
def test_agents_api_needs_a_good_token(
    api: httpx.Client, engine: Engine, reference: str, headers: dict[str, str]
) -> None:
    before = counts(engine)
    error(api.get(f"/api/reports/{reference}", headers=headers), 401, "unauthorized")
    change = api.post(
        f"/api/reports/{reference}/status", json={"status": "resolved"}, headers=headers
    )
    error(change, 401, "unauthorized")
    assert counts(engine) == before
    # Residents upload photos from the web chat without a token.
    upload = api.post(
        "/api/photos",
        params={"sender": "chat-1"},
        content=image_bytes("PNG"),
        headers={"content-type": "image/png"},
    )
    assert upload.status_code == 201


def test_no_configured_token_lets_nobody_in(engine: Engine, reference: str) -> None:
    app = create_app(settings_for(engine, AGENT_API_TOKENS=""))
    with serve_in_thread(app) as url, httpx.Client(base_url=url) as client:
        error(client.get(f"/api/reports/{reference}", headers=AUTH), 401, "unauthorized")
        error(client.get(f"/api/reports/{reference}"), 401, "unauthorized")


def test_agent_reads_a_report_with_its_history(api: httpx.Client, reference: str) -> None:
    body = api.get(f"/api/reports/{reference.lower()}", headers=AUTH).json()
    assert body["reference"] == reference
    assert body["status"] == "received"
    assert body["street"] == "rue des Lilas"
    assert [h["status"] for h in body["history"]] == ["received"]
    error(api.get("/api/reports/SIG-AAAA", headers=AUTH), 404, "report_not_found")


def test_agent_resolves_and_every_subscriber_is_told(
    api: httpx.Client, engine: Engine, reference: str
) -> None:
    response = api.post(
        f"/api/reports/{reference}/status",
        json={"status": "resolved", "comment": "ampoule changée"},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "resolved"
    assert body["history"][-1]["comment"] == "ampoule changée"
    assert body["history"][-1]["by"].startswith("agent:")
    sent = notifications(engine)
    assert [(n["kind"], n["conversation_id"]) for n in sent] == [
        ("report_resolved", "web:alice"),
        ("report_resolved", "telegram:42"),
    ]
    # The commune's own wording.
    assert "le lampadaire signalé rue des Lilas a été réparé" in sent[0]["payload"]["text"]


def test_rejection_tells_the_reason(api: httpx.Client, engine: Engine, reference: str) -> None:
    response = api.post(
        f"/api/reports/{reference}/status",
        json={"status": "rejected", "comment": "il dépend du département"},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    texts = [n["payload"]["text"] for n in notifications(engine)]
    assert len(texts) == 2
    assert all("il dépend du département" in t for t in texts)


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        ({"status": "fixed"}, 422, "unknown_status"),
        ({"status": "rejected"}, 422, "reason_required"),
        ({"status": "rejected", "comment": " "}, 422, "reason_required"),
        ({"comment": "x"}, 422, "invalid"),
        ({"status": 3}, 422, "invalid"),
        ({"status": "resolved", "comment": 3}, 422, "invalid"),
        ([], 422, "invalid"),
        ({"status": "received"}, 409, "unchanged"),
    ],
)
def test_status_change_errors_write_nothing(
    api: httpx.Client,
    engine: Engine,
    reference: str,
    body: object,
    status: int,
    reason: str,
) -> None:
    before = counts(engine)
    response = api.post(f"/api/reports/{reference}/status", json=body, headers=AUTH)
    error(response, status, reason)
    assert counts(engine) == before


def test_status_change_body_errors(api: httpx.Client, engine: Engine, reference: str) -> None:
    url = f"/api/reports/{reference}/status"
    before = counts(engine)
    error(
        api.post(url, content=b"{", headers={**AUTH, "content-type": "application/json"}),
        400,
        "invalid_json",
    )
    error(
        api.post(
            url,
            content=b"status=resolved",
            headers={**AUTH, "content-type": "application/x-www-form-urlencoded"},
        ),
        415,
        "unsupported_media_type",
    )
    error(
        api.post("/api/reports/SIG-AAAA/status", json={"status": "resolved"}, headers=AUTH),
        404,
        "report_not_found",
    )
    assert counts(engine) == before


@pytest.mark.parametrize(("kind", "mime"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_photo_upload_is_cleaned_and_served(
    api: httpx.Client, engine: Engine, kind: str, mime: str
) -> None:
    original = image_bytes(kind)
    response = api.post(
        "/api/photos",
        params={"sender": "chat-1"},
        content=original,
        headers={**AUTH, "content-type": mime},
    )
    assert response.status_code == 201, response.text
    # What the chat attaches to its message: random, not a number anyone could walk through.
    assert re.fullmatch(r"[0-9a-f]{32}", response.json()["photo"])
    assert response.json()["url"] == f"/api/photos/{response.json()['photo']}"
    served = api.get(response.json()["url"])
    assert served.status_code == 200
    assert served.headers["content-type"] == mime
    image = Image.open(io.BytesIO(served.content))
    assert dict(image.getexif()) == {}
    assert counts(engine)["report_photos"] == 1


def test_photo_upload_errors(api: httpx.Client, engine: Engine) -> None:
    def upload(data: bytes, mime: str = "image/jpeg") -> httpx.Response:
        return api.post(
            "/api/photos",
            params={"sender": "chat-1"},
            content=data,
            headers={**AUTH, "content-type": mime},
        )

    error(upload(b"pas une image"), 422, "photo_refused")
    no_sender = api.post(
        "/api/photos", content=image_bytes("PNG"), headers={"content-type": "image/png"}
    )
    error(no_sender, 422, "missing_sender")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    error(upload(gif.getvalue(), "image/gif"), 415, "unsupported_media_type")
    error(upload(gif.getvalue(), "image/png"), 422, "photo_refused")
    error(upload(b"\xff" * (10 * 1024 * 1024 + 1)), 413, "photo_too_large")
    assert counts(engine)["report_photos"] == 0
    error(api.get("/api/photos/999"), 404, "photo_not_found")  # no walking by numbers
    error(api.get("/api/photos/" + "0" * 64), 404, "photo_not_found")


async def _post_photo(engine: Engine, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST /api/photos straight to the ASGI app; returns (status, 1 MB chunks consumed)."""
    app = create_app(settings_for(engine))
    consumed = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal consumed
        consumed += 1
        return {"type": "http.request", "body": b"\x00" * MB, "more_body": consumed < 200}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/photos",
        "raw_path": b"/api/photos",
        "query_string": b"sender=chat-1",
        "root_path": "",
        "headers": [
            (b"authorization", f"Bearer {AGENT_TOKEN}".encode()),
            (b"content-type", b"image/jpeg"),
            *headers,
        ],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    return status, consumed


def test_a_big_photo_is_refused_before_it_is_read(engine: Engine) -> None:
    declared = [(b"content-length", str(200 * MB).encode())]
    assert asyncio.run(_post_photo(engine, declared)) == (413, 0)
    # Without a length (chunked), reading stops just past 10 MB.
    status, consumed = asyncio.run(_post_photo(engine, []))
    assert status == 413
    assert consumed == 11
