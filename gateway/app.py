"""The gateway's ASGI application: web chat, Rasa REST webhook, bookings, reports, health."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.commune import CommuneStore
from bot.db import make_engine, make_session_factory
from bot.handoff import Handoffs
from bot.inbox import Inbox
from bot.optouts import OptOuts
from bot.reports import ReportStore, commune_notices
from bot.settings import Settings, load_settings
from bot.transcript import Transcript
from calendar_store.store import Store
from channels import rest
from channels.senders import Senders, senders_from
from gateway import availability, health, webchat
from gateway.body import BodyError, read_json
from gateway.bookings import BookingApi, Desk
from gateway.console.routes import console_routes
from gateway.deliveries import Deliveries
from gateway.guard import Guard
from gateway.open311 import Open311
from gateway.rasa import RasaClient
from gateway.recovery import Recovery
from gateway.replies import Replies
from gateway.reports_api import ReportsApi
from gateway.telegram_hook import TelegramHook
from gateway.throttle import RateLimits, Throttle
from gateway.turns import Turns
from gateway.twilio_hook import TwilioHook

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' https: data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Adds the security headers to every response (the chat page runs no inline code)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    # One error shape for the whole gateway: the French sentence to show, and a stable code.
    return JSONResponse({"error": message, "reason": code}, status_code=status, headers=headers)


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> Starlette:
    """Build the gateway; connections open on first use, not here (tests may pass a store)."""
    settings = settings or load_settings()
    engine = make_engine(settings.database_url)
    commune = CommuneStore(settings.commune_file)
    commune.get()  # refuse to start on a malformed commune file
    # Clients are created here but connect only when a request needs them.
    http = httpx.AsyncClient()
    rasa = RasaClient(http, settings.rasa_urls, settings.rasa_token, settings.rasa_timeout)
    transcript = Transcript(make_session_factory(engine))
    handoffs = Handoffs(engine)
    desk = Desk(engine, commune, store)
    reports = ReportStore(
        engine, lambda: commune.get().data.signalements, notices=commune_notices(commune.get)
    )
    throttle = Throttle(commune, settings.rate_limit_storage)

    async def parts_up() -> bool:
        parts, _ = await health.check(rasa, http, settings.action_server_urls, engine)
        return all(state == "ok" for state in parts.values())

    recovery = Recovery(handoffs, parts_up, commune, desk.store, every=settings.recovery_seconds)
    turns = Turns(rasa, transcript, commune, handoffs, Guard(throttle, reports), recovery, reports)
    open311 = Open311(
        reports,
        commune,
        api_keys=settings.open311_api_keys,
        public_url=settings.public_url,
    )
    reports_api = ReportsApi(reports, tokens=settings.agent_api_tokens)
    channel_routes, background = _channels(settings, engine, commune, turns, transcript, reports)
    background.jobs.append(recovery.run)
    console = console_routes(engine, commune, settings, desk, reports, handoffs, transcript)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        for reason in settings.channels_off().values():
            log.warning(reason)
        stop = asyncio.Event()
        tasks = [asyncio.create_task(job(stop)) for job in background.jobs]
        yield
        stop.set()
        await background.deliveries.drain()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await background.senders.close()
        await http.aclose()
        engine.dispose()

    async def chat_page(_request: Request) -> Response:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    async def rest_webhook(request: Request) -> Response:
        try:
            inbound = rest.inbound(await read_json(request), settings.max_message_chars)
        except rest.RequestError as error:
            return _error(error.status, error.code, error.message)
        return JSONResponse(await turns.handle(inbound, inbound.ref.external_id))

    async def rest_status(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def healthz(_request: Request) -> Response:
        parts, degraded = await health.check(rasa, http, settings.action_server_urls, engine)
        down = {part: why for part, why in parts.items() if why != "ok"}
        body: dict[str, Any] = {"status": "ok" if not down else "indisponible", "parts": parts}
        if degraded:
            body["degraded"] = degraded
        return JSONResponse(body, status_code=503 if down else 200)

    async def http_error(_request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 400
        headers = exc.headers if isinstance(exc, HTTPException) else None  # e.g. Allow on 405
        messages = {404: "Adresse inconnue.", 405: "Méthode non autorisée pour cette adresse."}
        message = messages.get(status, "Requête refusée.")
        return _error(status, f"http_{status}", message, headers)

    async def body_error(_request: Request, exc: Exception) -> Response:
        # A body refused by gateway/body.py (too large, not UTF-8, too deep…), any endpoint.
        assert isinstance(exc, BodyError)
        return exc.response()

    async def server_error(_request: Request, exc: Exception) -> Response:
        log.exception("unexpected error", exc_info=exc)
        return _error(
            500, "internal_error", "Une erreur interne est survenue. Réessayez plus tard."
        )

    app = Starlette(
        routes=[
            Route("/", chat_page),
            Route("/webhooks/rest/webhook", rest_webhook, methods=["POST"]),
            Route("/webhooks/rest/", rest_status),
            *webchat.routes(transcript),
            Route("/healthz", healthz),
            *channel_routes,
            *console,
            *BookingApi(desk).routes(),
            *reports_api.routes(),
            *open311.routes(),
            availability.page_route(desk),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        lifespan=lifespan,
        exception_handlers={
            HTTPException: http_error,
            BodyError: body_error,
            500: server_error,
        },
        middleware=[Middleware(SecurityHeaders), Middleware(RateLimits, throttle=throttle)],
    )

    return app


@dataclass
class _Background:
    deliveries: Deliveries
    senders: Senders
    jobs: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]]


def _channels(
    settings: Settings,
    engine: Engine,
    commune: CommuneStore,
    turns: Turns,
    transcript: Transcript,
    reports: ReportStore,
) -> tuple[list[BaseRoute], _Background]:
    """The Telegram and SMS webhooks of the channels whose settings are complete."""
    senders = senders_from(settings)
    deliveries = Deliveries(Inbox(engine))
    replies = Replies(commune, transcript, engine, settings.max_message_chars)
    routes: list[BaseRoute] = []
    jobs: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = [deliveries.sweep]
    off = settings.channels_off()
    if senders.telegram is not None and "telegram" not in off:
        hook = TelegramHook(
            secret=settings.telegram_webhook_secret,
            sender=senders.telegram,
            deliveries=deliveries,
            turns=turns,
            transcript=transcript,
            reports=reports,
            replies=replies,
        )
        if settings.telegram_webhook_secret:
            routes += hook.routes()
        if settings.telegram_polls:
            jobs.append(hook.poll)
    if senders.sms is not None:
        routes += TwilioHook(
            auth_token=settings.twilio_auth_token,
            public_url=settings.public_url,
            sender=senders.sms,
            deliveries=deliveries,
            turns=turns,
            transcript=transcript,
            reports=reports,
            optouts=OptOuts(engine),
            commune=commune,
            replies=replies,
        ).routes()
    return routes, _Background(deliveries, senders, jobs)
