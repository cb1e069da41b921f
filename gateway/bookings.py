"""The public booking API: resources, availability, booking, cancellation and iCalendar feeds."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from pydantic import (
    ValidationError,
)
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.clock import utcnow
from bot.commune import Commune, CommuneStore
from bot.outbox import booking_notices
from calendar_store.ical import busy_calendar, invitation
from calendar_store.spec import (
    Booking,
    BookingNotFound,
    BookingRefused,
    BookingRequest,
    Contact,
    NotPermitted,
    Period,
    Requester,
    ResourceSpec,
    WrongState,
)
from calendar_store.store import Store
from gateway import openapi
from gateway.booking_json import (
    YEARS,
    ApiError,
    BookingIn,
    CancelIn,
    answering,
    invalid,
    number,
    period,
    read_json,
    refused,
    resource,
)

MAX_RANGE_DAYS = 92  # days shown by one availability request, both ends included
DEFAULT_DAYS = 14
FEED_DAYS = 366
_REFERENCE = re.compile(r"[A-Z]{2,4}-[A-Z0-9]{2,12}")


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
                store = Store(
                    self._engine, self.commune.get().resources(), tz=self.tz, clock=utcnow
                )
                store.sync()
                self._store = store
            return self._store

    def today(self) -> date:
        """The commune's local date."""
        return utcnow().astimezone(self.tz).date()


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

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def routes(self) -> list[BaseRoute]:
        handle = answering
        return [
            Route("/api/openapi.json", handle(self.describe)),
            Route("/api/resources", handle(self.resources)),
            Route("/api/resources/{slug}/availability", handle(self.availability)),
            Route("/api/resources/{slug}/calendar.ics", handle(self.busy_feed)),
            Route("/api/bookings", handle(self.book), methods=["POST"]),
            Route("/api/bookings/{reference}/cancel", handle(self.cancel), methods=["POST"]),
            Route("/api/bookings/{reference}.ics", handle(self.booking_ics)),
        ]

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
        document = await read_json(request)
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
            return self.desk.store().book(ask, by="api", after=booking_notices(self.desk.tz))

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
        document = await read_json(request)
        try:
            token = CancelIn.model_validate(document).cancel_token
        except ValidationError as error:
            raise invalid(error.errors()) from None

        def cancel() -> None:
            self.desk.store().cancel(
                reference,
                by="api",
                token=token,
                after=booking_notices(self.desk.tz),
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
