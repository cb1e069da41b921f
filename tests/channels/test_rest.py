from __future__ import annotations

import json
from typing import Any

import pytest

from channels.rest import RequestError, parse, render

JSON = "application/json"


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_a_good_message_becomes_a_web_conversation() -> None:
    inbound = parse(body(sender="abc", message="  Bonjour\x00 ", metadata={"k": 1}), JSON, 2000)
    assert inbound.ref.id == "web:abc"
    assert inbound.text == "Bonjour"
    assert inbound.metadata == {"k": 1}
    assert (
        parse(body(sender="abc", message="x"), "application/json; charset=utf-8", 10).metadata == {}
    )


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "code"),
    [
        (body(sender="a", message="x"), "text/plain", 415, "unsupported_media_type"),
        (body(sender="a", message="x"), None, 415, "unsupported_media_type"),
        (b'{"sender": "a", "message": "\xff\xfe"}', JSON, 400, "invalid_utf8"),
        (b'{"sender": "a", "message": ', JSON, 400, "invalid_json"),
        (b"[1, 2]", JSON, 422, "invalid_payload"),
        (body(message="x"), JSON, 422, "missing_sender"),
        (body(sender="", message="x"), JSON, 422, "missing_sender"),
        (body(sender=12, message="x"), JSON, 422, "missing_sender"),
        (body(sender="a" * 129, message="x"), JSON, 422, "invalid_sender"),
        (body(sender="a\nb", message="x"), JSON, 422, "invalid_sender"),
        (body(sender="a"), JSON, 422, "missing_message"),
        (body(sender="a", message=["x"]), JSON, 422, "missing_message"),
        (body(sender="a", message="   "), JSON, 422, "empty_message"),
        (body(sender="a", message="x" * 20_000), JSON, 413, "message_too_long"),
        (body(sender="a", message="x", metadata=[1]), JSON, 422, "invalid_metadata"),
    ],
)
def test_bad_requests_get_a_status_a_code_and_a_french_message(
    raw: bytes, content_type: str | None, status: int, code: str
) -> None:
    with pytest.raises(RequestError) as raised:
        parse(raw, content_type, 2000)
    assert (raised.value.status, raised.value.code) == (status, code)
    assert raised.value.message.endswith((".", "?", "\u202f?")), raised.value.message


def test_render_keeps_what_the_rest_format_carries() -> None:
    replies: list[dict[str, Any]] = [
        {
            "recipient_id": "web:abc",
            "text": "Bonjour",
            "buttons": [{"title": "A", "payload": "/a"}],
        },
        {"recipient_id": "web:abc", "image": "https://example.org/a.png"},
        {"recipient_id": "web:abc", "custom": {"x": 1}},
    ]
    assert render(replies, "abc") == [
        {"recipient_id": "abc", "text": "Bonjour", "buttons": [{"title": "A", "payload": "/a"}]},
        {"recipient_id": "abc", "image": "https://example.org/a.png"},
    ]
