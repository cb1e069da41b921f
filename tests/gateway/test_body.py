"""The one body reader's parsing rules, without HTTP (tests/gateway/test_bad_input.py sends them
to every endpoint)."""

from __future__ import annotations

import json

import pytest

from gateway.body import MAX_DEPTH, BodyError, document, fields, repaired_document


def refused(raw: bytes) -> str:
    with pytest.raises(BodyError) as caught:
        document(raw)
    assert caught.value.status == 400
    return caught.value.reason


def test_depth_counts_brackets_not_text() -> None:
    deep = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert document(deep.encode()) is not None
    assert refused(("[" + deep + "]").encode()) == "too_deep"
    # Brackets inside strings, escaped quotes included, are text.
    text = json.dumps({"t": '[[[{{{ \\" ' * 1000})
    assert document(text.encode()) == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"a": "\\ud800"}', "invalid_unicode"),
        (b'{"\\udfff": 1}', "invalid_unicode"),  # a key is text too
        (b'["ok", ["\\ude00\\ud83d"]]', "invalid_unicode"),  # a pair in the wrong order
        (b'{"a": "caf\xe9"}', "invalid_utf8"),
        (b"\xef\xbb\xbf{}", "invalid_json"),  # a byte order mark is no JSON
        (b"[" * 5000, "too_deep"),
        (b'{"a": ', "invalid_json"),
    ],
)
def test_what_is_refused(raw: bytes, reason: str) -> None:
    assert refused(raw) == reason


def test_what_looks_like_a_surrogate_but_is_not() -> None:
    assert document(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}  # a real pair
    assert document(b'{"a": "\\\\ud800"}') == {"a": "\\ud800"}  # a backslash, then text


def test_a_signed_delivery_is_repaired_not_refused() -> None:
    fixed = repaired_document(b'{"t": ["x \\ud800", {"k": "\\udc00"}], "n": 1}')
    assert fixed.repaired
    assert fixed.document == {"t": ["x \ufffd", {"k": "\ufffd"}], "n": 1}
    bytes_fixed = repaired_document(b'{"t": "caf\xe9"}')
    assert (bytes_fixed.document, bytes_fixed.repaired) == ({"t": "caf\ufffd"}, True)
    clean = repaired_document('{"t": "déjà \\ud83d\\ude00"}'.encode())
    assert (clean.document, clean.repaired) == ({"t": "déjà \U0001f600"}, False)


def test_form_fields_are_utf8_or_refused() -> None:
    assert fields(b"a=d%C3%A9j%C3%A0&b=&a=2") == {"a": "2", "b": ""}
    for raw in (b"a=caf%E9", b"a=\xff"):
        with pytest.raises(BodyError) as caught:
            fields(raw)
        assert caught.value.reason == "invalid_utf8"


def test_refusals_are_french() -> None:
    with pytest.raises(BodyError) as caught:
        document(b'"\\ud800"')
    assert caught.value.message.startswith("Le texte envoyé contient des caractères illisibles")
    assert "\u202f?" in caught.value.message  # French spacing before the question mark
