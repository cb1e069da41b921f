"""The booking API's JSON: request bodies checked with pydantic, answers and French errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bot import wish
from calendar_store.spec import BookingRefused, Period, Refusal, Requester, ResourceSpec
from gateway import body

YEARS = (2000, 2200)  # what a date sent to the API may be, before any rule is checked
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Where a refusal of the store points in the request body.
_REFUSED_FIELD: dict[Refusal, str] = {
    Refusal.END_BEFORE_START: "end",
    Refusal.PAST: "start",
    Refusal.TOO_SOON: "start",
    Refusal.TOO_FAR: "start",
    Refusal.CLOSED: "start",
    Refusal.MISALIGNED: "start",
    Refusal.NOT_ALLOWED: "requester.type",
    Refusal.TOO_MANY: "quantity",
    Refusal.TOO_LONG: "end",
    Refusal.PERSON_LIMIT: "requester",
}


class ApiError(Exception):
    """An answer other than success: HTTP status, a stable code, a French message, extras."""

    def __init__(self, status: int, reason: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason
        self.message = message
        self.extra = extra

    def response(self) -> JSONResponse:
        body = {"error": self.message, "reason": self.reason, **self.extra}
        return JSONResponse(body, status_code=self.status)


Handler = Callable[[Request], Awaitable[Response]]


def answering(handler: Handler) -> Handler:
    """The route's handler, with every ApiError turned into its JSON answer."""

    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as error:
            return error.response()

    return endpoint


def _text(value: Any) -> Any:
    """Dates and times are accepted as ISO 8601 text only (no Unix timestamps)."""
    if not isinstance(value, str):
        raise ValueError("une date et une heure ISO 8601 (texte) sont attendues")
    return value


def _plausible(value: datetime) -> datetime:
    # Far from now, date arithmetic overflows; no booking is that far anyway.
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValueError(f"l’année doit être comprise entre {YEARS[0]} et {YEARS[1]}")
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_text), AfterValidator(_plausible)]
Name = Annotated[str, Field(min_length=1, max_length=120)]


class RequesterIn(BaseModel):
    """Who books: a name, a way to reach them, what kind of requester they are."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Name
    type: Literal["resident", "exterieur", "association"]
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=254)
    association: Name | None = None

    @field_validator("name", "association")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and _CONTROL.search(value):
            raise ValueError("caractères de contrôle refusés")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if not value:
            return None
        number = wish.normalise_phone(value)
        if number is None:
            raise ValueError("numéro de téléphone invalide (par exemple 06 12 34 56 78)")
        return number

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not wish.is_email(value):
            raise ValueError("adresse e-mail invalide (par exemple nom@exemple.fr)")
        return value

    @model_validator(mode="after")
    def _reachable(self) -> RequesterIn:
        if self.phone is None and self.email is None:
            raise ValueError("indiquez un numéro de téléphone ou une adresse e-mail")
        if self.type == "association" and not self.association:
            raise ValueError("indiquez le nom de l’association")
        return self


class BookingIn(BaseModel):
    """The body of POST /api/bookings."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resource: str = Field(min_length=1, max_length=60)
    start: Instant
    end: Instant
    quantity: int = Field(default=1, ge=1, le=10_000, strict=True)
    requester: RequesterIn


class CancelIn(BaseModel):
    """The body of POST /api/bookings/{reference}/cancel."""

    model_config = ConfigDict(extra="forbid")

    cancel_token: str = Field(min_length=1, max_length=200)


def _say(error: ErrorDetails) -> str:
    """A French message for one pydantic error."""
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        return text[:1].upper() + text[1:] + "."
    if kind == "string_too_long":
        return f"Trop long : {ctx.get('max_length')} caractères au plus."
    if kind == "greater_than_equal":
        return f"Doit valoir au moins {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"Doit valoir au plus {ctx.get('le')}."
    if kind == "literal_error":
        return "Valeur attendue : resident, exterieur ou association."
    if kind == "timezone_aware":
        return "Indiquez le décalage horaire (par exemple 2030-06-14T10:00:00+02:00)."
    if kind.startswith(("datetime_", "date_")):
        return "Date et heure ISO 8601 attendues (par exemple 2030-06-14T10:00:00+02:00)."
    if kind.startswith("int_"):
        return "Un nombre entier est attendu."
    messages = {
        "missing": "Ce champ est obligatoire.",
        "extra_forbidden": "Champ inconnu.",
        "string_type": "Du texte est attendu.",
        "string_too_short": "Ce champ ne peut pas être vide.",
        "model_type": "Un objet JSON est attendu.",
        "model_attributes_type": "Un objet JSON est attendu.",
    }
    return messages.get(kind, "Valeur invalide.")


def invalid(errors: list[ErrorDetails]) -> ApiError:
    details = [
        {"field": ".".join(str(part) for part in e["loc"]) or "body", "message": _say(e)}
        for e in errors
    ]
    return ApiError(422, "invalid", "La demande contient des erreurs.", details=details)


async def read_json(request: Request) -> Any:
    """The JSON document of a request (gateway/body.py); ApiError for another media type, a
    big or bad body."""
    try:
        return await body.read_json(request)
    except body.BodyError as error:
        raise ApiError(error.status, error.reason, error.message) from None


def number(value: Decimal) -> int | float:
    """A JSON number for an amount: 250 stays 250, 12.50 becomes 12.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def period(value: Period, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "start": value.start.astimezone(tz).isoformat(),
        "end": value.end.astimezone(tz).isoformat(),
        "left": value.left,
    }


def resource(spec: ResourceSpec) -> dict[str, Any]:
    """A resource as the API lists it; a missing price means free."""
    allowed = [r for r in Requester if r in spec.allowed]
    return {
        "slug": spec.slug,
        "name": spec.name,
        "kind": str(spec.kind),
        "unit": str(spec.unit),
        "capacity": spec.capacity,
        "stock": spec.stock,
        "prices": {str(r): number(spec.prices.get(r, Decimal(0))) for r in allowed},
        "deposit": number(spec.deposit),
        "approval": spec.approval,
        "allowed": [str(r) for r in allowed],
    }


def refused(error: BookingRefused, tz: ZoneInfo) -> ApiError:
    """The answer to a refusal of the store: 404, 409 (taken) or 422."""
    extra: dict[str, Any] = {"alternatives": [period(p, tz) for p in error.alternatives]}
    if error.left is not None:
        extra["left"] = error.left
    if error.reason is Refusal.UNKNOWN_RESOURCE:
        return ApiError(404, str(error.reason), error.message)
    if error.reason is Refusal.TAKEN:
        return ApiError(409, str(error.reason), error.message, **extra)
    field = _REFUSED_FIELD.get(error.reason, "body")
    details = [{"field": field, "message": error.message}]
    return ApiError(422, str(error.reason), error.message, details=details, **extra)
