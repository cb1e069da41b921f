"""Request bodies, read the same way by every endpoint: the size first (streamed, never past
the limit), then the caller's signature check, then strict parsing (UTF-8, JSON nesting, lone
surrogates), every refusal a 4xx with a French message."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse

from bot.typography import french

MAX_BODY_BYTES = 64 * 1024
# Telegram's deepest updates (a reply quoting a message with a keyboard) nest about ten levels.
MAX_DEPTH = 32
JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
TOO_LARGE = "La requête est trop volumineuse."
_CACHE = "guichet.body"  # the bytes already read, in the request's scope
_FORM_CACHE = "guichet.form"
# Strings of a JSON text (an unterminated one is left to json.loads to refuse).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
# Lone surrogates reach Python only as \uD800…\uDFFF escapes: strict UTF-8 refuses raw ones.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BodyError(Exception):
    """A body we refuse: HTTP status, a stable reason and the French sentence to show."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = french(message)

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.message, "reason": self.reason}, self.status)


def invalid_utf8() -> BodyError:
    return BodyError(400, "invalid_utf8", "Le contenu de la requête doit être encodé en UTF-8.")


def invalid_json() -> BodyError:
    return BodyError(400, "invalid_json", "Le contenu de la requête n’est pas du JSON valide.")


def too_deep() -> BodyError:
    return BodyError(
        400,
        "too_deep",
        f"Le contenu de la requête est trop imbriqué ({MAX_DEPTH} niveaux au plus).",
    )


def invalid_unicode() -> BodyError:
    return BodyError(
        400,
        "invalid_unicode",
        "Le texte envoyé contient des caractères illisibles (Unicode invalide) : "
        "pouvez-vous le réécrire ?",
    )


@dataclass(frozen=True)
class Repaired:
    """A document whose unreadable characters were replaced by U+FFFD (signed deliveries)."""

    document: Any
    repaired: bool


def media_type(request: Request) -> str:
    """The request's media type, lower case, without its parameters."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read(
    request: Request,
    limit: int = MAX_BODY_BYTES,
    *,
    reason: str = "body_too_large",
    message: str = TOO_LARGE,
) -> bytes:
    """The raw body, read chunk by chunk and refused with 413 once past `limit`."""
    cached = request.scope.get(_CACHE)
    if isinstance(cached, bytes):
        return cached
    too_large = BodyError(413, reason, message)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise too_large
    except ClientDisconnect:
        raise BodyError(400, "client_disconnected", "La requête a été interrompue.") from None
    read = bytes(body)
    request.scope[_CACHE] = read
    request._body = read  # Starlette's own readers (form(), json()) then see the same bytes
    return read


def text(raw: bytes) -> str:
    """The body as text; 400 unless it is valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise invalid_utf8() from None


def document(raw: bytes) -> Any:
    """The JSON document of a body: UTF-8, at most MAX_DEPTH deep, no lone surrogate."""
    decoded = text(raw)
    loaded = _loads(decoded)
    if _has_surrogates(decoded) and _repair(loaded)[1]:
        raise invalid_unicode()
    return loaded


def repaired_document(raw: bytes) -> Repaired:
    """The JSON document of a signed delivery, its unreadable characters replaced by U+FFFD:
    the sender really wrote it, so it is kept and answered rather than refused."""
    try:
        decoded, bad_bytes = raw.decode("utf-8"), False
    except UnicodeDecodeError:
        decoded, bad_bytes = raw.decode("utf-8", errors="replace"), True
    loaded = _loads(decoded)
    if not _has_surrogates(decoded):
        return Repaired(loaded, bad_bytes)
    fixed = repair(loaded)
    return Repaired(fixed.document, bad_bytes or fixed.repaired)


def repair(value: Any) -> Repaired:
    """A parsed document (a signed delivery, a polled update) with every lone surrogate
    replaced by U+FFFD."""
    return Repaired(*_repair(value))


def fields(raw: bytes) -> dict[str, str]:
    """The fields of a form-encoded body; 400 when a field is not valid UTF-8."""
    try:
        return dict(parse_qsl(text(raw), keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError:  # a percent-escape of bytes that are no UTF-8
        raise invalid_utf8() from None


def lenient_fields(raw: bytes) -> dict[str, str]:
    """The fields as a signature checker sees them, unreadable bytes replaced (never fails)."""
    decoded = raw.decode("utf-8", errors="replace")
    return dict(parse_qsl(decoded, keep_blank_values=True, errors="replace"))


async def read_json(request: Request) -> Any:
    """The JSON document of a request: 415 for another media type, 413, 400."""
    if media_type(request) != JSON_TYPE:
        raise BodyError(
            415,
            "unsupported_media_type",
            "La requête doit être envoyée en JSON (application/json).",
        )
    return document(await read(request))


async def read_form(request: Request) -> FormData:
    """The fields of an HTML form (application/x-www-form-urlencoded), read once per request;
    empty for another media type (the console's forms send no files)."""
    cached = request.scope.get(_FORM_CACHE)
    if isinstance(cached, FormData):
        return cached
    raw = await read(request)
    form = FormData(list(fields(raw).items()) if media_type(request) == FORM_TYPE else [])
    request.scope[_FORM_CACHE] = form
    return form


def _loads(decoded: str) -> Any:
    if _depth(decoded) > MAX_DEPTH:
        raise too_deep()
    try:
        return json.loads(decoded)
    except (ValueError, RecursionError):
        raise invalid_json() from None


def _depth(decoded: str) -> int:
    """How deep the brackets of a JSON text nest, strings left out."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub('""', decoded)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        else:
            depth -= 1
    return deepest


def _has_surrogates(decoded: str) -> bool:
    return _SURROGATE_ESCAPE.search(decoded) is not None


def _repair(value: Any) -> tuple[Any, bool]:
    """The value with every lone surrogate replaced by U+FFFD, and whether there was one."""
    if isinstance(value, str):
        fixed = _SURROGATE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        items = [_repair(item) for item in value]
        return [item for item, _ in items], any(changed for _, changed in items)
    if isinstance(value, dict):
        pairs = [(_repair(key), _repair(item)) for key, item in value.items()]
        changed = any(k[1] or v[1] for k, v in pairs)
        return {k[0]: v[0] for k, v in pairs}, changed
    return value, False
