"""Schemathesis hooks (SCHEMATHESIS_HOOKS): what no schema-driven generator sends, in one JSON
body in four — text with lone surrogates, NUL or bidi overrides in one field, or raw bytes that
are no UTF-8, 5,000 levels deep or 70 kB long. Sent as bytes: Schemathesis's own validator
cannot hold a lone surrogate."""

from __future__ import annotations

import json
import zlib
from typing import Any

import schemathesis

HOSTILE = (
    "x \ud800",  # a lone high surrogate (a truncated emoji)
    "\udc00 y",  # a lone low one
    "\ude00\ud83d",  # a pair in the wrong order
    "a\x00b",
    "\u202eetirbas\u202c",
    "\ufeffbonjour",
    "e\u0301te\u0301",
    "ligne\u2028suite",
    "A" * 70_000,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
)
RAW = (
    b"[" * 5000,
    b"[" * 5000 + b"]" * 5000,
    b'{"message": "caf\xe9", "sender": "\xff"}',
    b'{"x": "' + b"a" * 70_000 + b'"}',
)
SHARE = 4  # one body in SHARE


def _spoil(value: Any, text: str, seed: int) -> tuple[Any, bool]:
    """The value with one string leaf (or one new field) replaced by `text`."""
    if isinstance(value, str):
        return text, True
    if isinstance(value, dict):
        keys = sorted(value, key=str)
        if keys:
            key = keys[seed % len(keys)]
            spoiled, done = _spoil(value[key], text, seed // 7)
            if done:
                return {**value, key: spoiled}, True
        return {**value, text[:40]: text}, True
    if isinstance(value, list) and value:
        index = seed % len(value)
        spoiled, done = _spoil(value[index], text, seed // 7)
        return [*value[:index], spoiled, *value[index + 1 :]], done
    return value, False


@schemathesis.hook
def map_case(_context: Any, case: Any) -> Any:
    """Deterministic (a hash of the body), so that Hypothesis replays and shrinks it."""
    if case.media_type != "application/json" or not isinstance(case.body, (dict, list, str)):
        return case
    seed = zlib.crc32(repr(case.body).encode("utf-8", "surrogatepass"))
    if seed % SHARE:
        return case
    pick = (seed // SHARE) % (len(HOSTILE) + len(RAW))
    if pick >= len(HOSTILE):
        case.body = RAW[pick - len(HOSTILE)]
        return case
    spoiled, done = _spoil(case.body, HOSTILE[pick], seed // 97)
    if done:
        case.body = json.dumps(spoiled).encode("ascii")  # lone surrogates as \ud800 escapes
    return case
