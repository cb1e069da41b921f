from __future__ import annotations

from typing import Any

import pytest

from channels.rest import RequestError, inbound, render


def body(**fields: object) -> dict[str, object]:
    return fields


def test_a_good_message_becomes_a_web_conversation() -> None:
    message = inbound(body(sender="abc", message="  Bonjour\x00 ", metadata={"k": 1}), 2000)
    assert message.ref.id == "web:abc"
    assert message.text == "Bonjour"
    assert message.metadata == {"k": 1}
    assert inbound(body(sender="abc", message="x"), 10).metadata == {}


@pytest.mark.parametrize(
    ("document", "status", "code"),
    [
        ([1, 2], 422, "invalid_payload"),
        (body(message="x"), 422, "missing_sender"),
        (body(sender="", message="x"), 422, "missing_sender"),
        (body(sender=12, message="x"), 422, "missing_sender"),
        (body(sender="a" * 129, message="x"), 422, "invalid_sender"),
        (body(sender="a\nb", message="x"), 422, "invalid_sender"),
        (body(sender="a"), 422, "missing_message"),
        (body(sender="a", message=["x"]), 422, "missing_message"),
        (body(sender="a", message="   "), 422, "empty_message"),
        (body(sender="a", message="x" * 20_000), 413, "message_too_long"),
        (body(sender="a", message="x", metadata=[1]), 422, "invalid_metadata"),
    ],
)
def test_bad_requests_get_a_status_a_code_and_a_french_message(
    document: object, status: int, code: str
) -> None:
    with pytest.raises(RequestError) as raised:
        inbound(document, 2000)
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
