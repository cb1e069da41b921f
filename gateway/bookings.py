"""The public booking API: resources, availability, booking, cancellation and iCalendar feeds."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import phonenumbers
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.commune import Commune, CommuneStore
from bot.outbox import queue_booking_notice
from calendar_store.ical import busy_calendar, invitation
from calendar_store.spec import (
    Booking,
    BookingNotFound,
    BookingRefused,
    BookingRequest,
    Contact,
    NotPermitted,
    Period,
    Refusal,
    Requester,
    ResourceSpec,
    Status,
    WrongState,
)
from calendar_store.store import Store
from channels.rest import RequestError
from gateway import openapi

BodyReader = Callable[[Request], Awaitable[bytes]]
MAX_RANGE_DAYS = 92  # days shown by one availability request, both ends included
DEFAULT_DAYS = 14
FEED_DAYS = 366
YEARS = (2000, 2200)  # what a date sent to the API may be, before any rule is checked
_REFERENCE = re.compile(r"[A-Z]{2,4}-[A-Z0-9]{2,12}")
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")
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
}


class Desk:
    """The commune's resources and the calendar store, opened on first use (never at import)."""

    def __init__(self, engine: Engine, commune: CommuneStore, store: Store | None = None) -> None:
        self.commune = commune
        self._engine = engine
        self._store = store
        self._lock = threading.Lock()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.commune.get().data.fuseau_horaire)

    def store(self) -> Store:
        """The store; blocking on first use (it syncs the resources), so call it in a thread."""
        with self._lock:
            if self._store is None:
                store = Store(self._engine, self.commune.get().resources(), tz=self.tz)
                store.sync()
                self._store = store
            return self._store

    def today(self) -> date:
        """The commune's local date."""
        return datetime.now(self.tz).date()


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
        try:
            number = phonenumbers.parse(value, "FR")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValueError("numéro de téléphone invalide (par exemple 06 12 34 56 78)")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not _EMAIL.fullmatch(value):
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


async def read_json(request: Request, read_body: BodyReader) -> Any:
    """The JSON document of a request; ApiError for another media type, a big or bad body."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise ApiError(
            415,
            "unsupported_media_type",
            "La requête doit être envoyée en JSON (application/json).",
        )
    try:
        body = await read_body(request)
    except RequestError as error:
        raise ApiError(error.status, error.code, error.message) from None
    except ClientDisconnect:
        raise ApiError(400, "client_disconnected", "La requête a été interrompue.") from None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(
            400, "invalid_json", "Le contenu de la requête n’est pas du JSON valide (UTF-8)."
        ) from None


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


def _notice(session: Session, booking: Booking) -> None:
    """Queue the resident's notice in the transaction that books or cancels."""
    if booking.status is Status.CANCELLED:
        kind = "booking_cancelled"
    elif booking.status is Status.PENDING:
        kind = "booking_pending"
    else:
        kind = "booking_confirmed"
    queue_booking_notice(session, booking, kind)


def _not_found() -> ApiError:
    return ApiError(404, "booking_not_found", "Aucune réservation ne porte ce numéro.")


def _reference(request: Request) -> str:
    reference = str(request.path_params["reference"]).strip().upper()
    if not _REFERENCE.fullmatch(reference):
        raise _not_found()
    return reference


def place(commune: Commune, slug: str) -> str:
    try:
        return commune.place(slug)
    except KeyError:  # removed from the commune file since the store was opened
        return ""


def _day(value: str | None, default: date, name: str) -> date:
    if value is None:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not YEARS[0] <= day.year <= YEARS[1]:
        raise ApiError(
            400, "invalid_date", f"« {name} » doit être une date AAAA-MM-JJ (reçu : {value[:20]})."
        )
    return day


class BookingApi:
    """The handlers of /api; every failure is a JSON answer with a French message."""

    def __init__(self, desk: Desk, read_body: BodyReader) -> None:
        self.desk = desk
        self.read_body = read_body

    def routes(self) -> list[BaseRoute]:
        handle = self._handle
        return [
            Route("/api/openapi.json", handle(self.describe)),
            Route("/api/resources", handle(self.resources)),
            Route("/api/resources/{slug}/availability", handle(self.availability)),
            Route("/api/resources/{slug}/calendar.ics", handle(self.busy_feed)),
            Route("/api/bookings", handle(self.book), methods=["POST"]),
            Route("/api/bookings/{reference}/cancel", handle(self.cancel), methods=["POST"]),
            Route("/api/bookings/{reference}.ics", handle(self.booking_ics)),
        ]

    @staticmethod
    def _handle(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except ApiError as error:
                return error.response()

        return endpoint

    async def describe(self, _request: Request) -> Response:
        return JSONResponse(openapi.SPEC)

    async def resources(self, _request: Request) -> Response:
        store = await run_in_threadpool(self.desk.store)
        return JSONResponse([resource(spec) for spec in store.specs()])

    def _spec(self, store: Store, slug: str) -> ResourceSpec:
        try:
            return store.spec(slug)
        except BookingRefused as error:
            raise refused(error, self.desk.tz) from None

    async def availability(self, request: Request) -> Response:
        today = self.desk.today()
        first = _day(request.query_params.get("from"), today, "from")
        last = _day(request.query_params.get("to"), first + timedelta(days=DEFAULT_DAYS - 1), "to")
        if last < first:
            raise ApiError(400, "invalid_range", "« to » doit être après « from ».")
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise ApiError(
                400, "range_too_long", f"Demandez au plus {MAX_RANGE_DAYS} jours à la fois."
            )
        slug = request.path_params["slug"]

        def free() -> list[Period]:
            store = self.desk.store()
            self._spec(store, slug)
            return store.availability(slug, first, last)

        periods = await run_in_threadpool(free)
        tz = self.desk.tz
        return JSONResponse(
            {
                "resource": slug,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "free": [period(p, tz) for p in periods],
            }
        )

    async def busy_feed(self, request: Request) -> Response:
        slug = request.path_params["slug"]
        first = self.desk.today()
        tz = self.desk.tz

        def feed() -> bytes:
            store = self.desk.store()
            spec = self._spec(store, slug)
            busy = store.busy(slug, first, first + timedelta(days=FEED_DAYS - 1))
            return busy_calendar(spec, busy, tz)

        return Response(
            await run_in_threadpool(feed),
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{slug}.ics"'},
        )

    async def book(self, request: Request) -> Response:
        document = await read_json(request, self.read_body)
        try:
            wish = BookingIn.model_validate(document)
        except ValidationError as error:
            raise invalid(error.errors()) from None
        who = wish.requester
        contact = Contact(
            name=who.name,
            type=Requester(who.type),
            phone=who.phone,
            email=who.email,
            association=who.association,
        )
        ask = BookingRequest(wish.resource, wish.start, wish.end, contact, quantity=wish.quantity)
        tz = self.desk.tz

        def book() -> Booking:
            return self.desk.store().book(ask, by="api", after=_notice)

        try:
            booking = await run_in_threadpool(book)
        except BookingRefused as error:
            raise refused(error, tz) from None
        body = {
            "reference": booking.reference,
            "status": str(booking.status),
            "cancel_token": booking.cancel_token,
            "resource": booking.resource,
            "start": booking.start.astimezone(tz).isoformat(),
            "end": booking.end.astimezone(tz).isoformat(),
            "quantity": booking.quantity,
            "price": number(booking.price),
            "deposit": number(booking.deposit),
            "ics": f"/api/bookings/{booking.reference}.ics",
        }
        return JSONResponse(body, status_code=201)

    async def cancel(self, request: Request) -> Response:
        reference = _reference(request)
        document = await read_json(request, self.read_body)
        try:
            token = CancelIn.model_validate(document).cancel_token
        except ValidationError as error:
            raise invalid(error.errors()) from None

        def cancel() -> None:
            self.desk.store().cancel(
                reference,
                by="api",
                token=token,
                after=_notice,
            )

        try:
            await run_in_threadpool(cancel)
        except BookingNotFound:
            raise _not_found() from None
        except NotPermitted:
            raise ApiError(403, "wrong_token", "Ce jeton d’annulation ne correspond pas.") from None
        except WrongState:
            raise ApiError(
                409, "wrong_state", "Cette réservation est déjà annulée ou terminée."
            ) from None
        return JSONResponse({"reference": reference, "status": "cancelled"})

    async def booking_ics(self, request: Request) -> Response:
        reference = _reference(request)
        commune = self.desk.commune.get()
        tz = self.desk.tz

        def render() -> bytes:
            store = self.desk.store()
            booking = store.get(reference)
            spec = store.spec(booking.resource)
            return invitation(booking, spec, location=place(commune, spec.slug), tz=tz)

        try:
            ics = await run_in_threadpool(render)
        except BookingNotFound:
            raise _not_found() from None
        return Response(
            ics,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{reference}.ics"'},
        )
