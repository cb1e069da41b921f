"""Rate limits on public writes, per IP address and per conversation: the commune file's
`limites.envois`, as the `limits` package parses them, counted in moving windows: in this
process's memory, or with `limits` in Redis with STORES=shared so that every gateway worker
counts together."""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol
from urllib.parse import parse_qs

import limits
from anyio import to_thread
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.commune import CommuneStore
from bot.quotas import Rates, Write
from bot.transcript import ConversationRef
from channels import rest

log = logging.getLogger(__name__)
# Every public write, by its path (POST only); Telegram and Twilio deliveries are not here:
# they come from the providers' few addresses, and are limited per conversation (guard.py).
WRITES: tuple[tuple[re.Pattern[str], Write], ...] = (
    (re.compile(r"/webhooks/rest/webhook"), Write.MESSAGE),
    (re.compile(r"/api/bookings"), Write.BOOKING),
    (re.compile(r"/api/bookings/[^/]+/cancel"), Write.CANCEL),
    (re.compile(r"/api/photos"), Write.PHOTO),
    (re.compile(r"/open311/v2/requests\.[a-z]+"), Write.REPORT),
)
_NOTICE = limits.parse("1/minute")  # how often a flooding conversation is told to wait


@functools.lru_cache(maxsize=64)
def _items(rates: Rates) -> tuple[limits.RateLimitItem, ...]:
    return tuple(limits.parse(f"{count}/{unit}") for count, unit in rates)


def client_ip(scope: Scope) -> str:
    """Who sends, as counted: the client's address (uvicorn puts the one a trusted proxy
    forwards there); an IPv6 address stands for its /64, which one home or phone holds."""
    client = scope.get("client")
    host = str(client[0]) if client else "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return host


def wait_words(seconds: int) -> str:
    """ "dans 1 minute", "dans 2 heures": when to try again, as residents read it."""
    if seconds <= 60:
        return "dans 1 minute"
    if seconds < 3600:
        return f"dans {math.ceil(seconds / 60)} minutes"
    hours = math.ceil(seconds / 3600)
    return "dans 1 heure" if hours == 1 else f"dans {hours} heures"


class Windows(Protocol):
    """Moving windows of hits: `hit` counts one unless the window is full; `wait` says how
    many seconds until a full window has room again."""

    def hit(self, item: limits.RateLimitItem, *key: str) -> bool: ...

    def wait(self, item: limits.RateLimitItem, *key: str) -> float: ...


class LocalWindows:
    """Moving windows in this process's memory. The `limits` package's memory storage starts
    a timer thread on every hit that comes after 10 ms of quiet, which cost a public write
    more than everything else the limits do; here old hits are dropped when a key is hit,
    and keys nobody hit for longer than their window are swept now and then."""

    SWEEP_EVERY = 10_000  # hits

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._hits: dict[tuple[str, ...], deque[float]] = {}
        self._longest: dict[tuple[str, ...], float] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._count = 0

    def hit(self, item: limits.RateLimitItem, *key: str) -> bool:
        span, now = item.get_expiry(), self._clock()
        name = (str(item), *key)
        with self._lock:
            self._count += 1
            if self._count % self.SWEEP_EVERY == 0:
                self._sweep(now)
            hits = self._hits.setdefault(name, deque())
            self._longest[name] = span
            while hits and hits[0] <= now - span:
                hits.popleft()
            if len(hits) >= item.amount:
                return False
            hits.append(now)
            return True

    def wait(self, item: limits.RateLimitItem, *key: str) -> float:
        with self._lock:
            hits = self._hits.get((str(item), *key))
            return hits[0] + item.get_expiry() - self._clock() if hits else 0.0

    def _sweep(self, now: float) -> None:
        for name, hits in list(self._hits.items()):
            if not hits or hits[-1] <= now - self._longest[name]:
                del self._hits[name], self._longest[name]


class RedisWindows:
    """Moving windows counted by `limits` in Redis, shared by every gateway worker."""

    def __init__(self, uri: str) -> None:
        self._limiter = MovingWindowRateLimiter(storage_from_string(uri))

    def hit(self, item: limits.RateLimitItem, *key: str) -> bool:
        return self._limiter.hit(item, *key)

    def wait(self, item: limits.RateLimitItem, *key: str) -> float:
        return self._limiter.get_window_stats(item, *key).reset_time - time.time()


class Throttle:
    """Counts public writes against the commune's rates; `storage` None: no limit at all,
    "memory://": in this process, otherwise a Redis URI."""

    def __init__(self, commune: CommuneStore, storage: str | None) -> None:
        self.commune = commune
        self._limiter: Windows | None = None
        if storage is not None:
            local = storage.startswith("memory")
            self._limiter = LocalWindows() if local else RedisWindows(storage)
        # Redis answers over the network: asked from a thread, never on the event loop.
        self._remote = storage is not None and not storage.startswith("memory")

    async def wait(self, write: Write, per: str, who: str) -> int | None:
        """Count one write by `who` ("ip" or "conversation"); None when it is allowed, else
        the seconds until it would be."""
        if self._limiter is None:
            return None
        rates = self.commune.get().data.limites.rates(write, per)
        if not rates:
            return None
        if self._remote:
            return await to_thread.run_sync(self._hit, _items(rates), write.value, per, who)
        return self._hit(_items(rates), write.value, per, who)

    async def first_notice(self, who: str) -> bool:
        """Whether a conversation that sends too much is to be told so now (once a minute:
        a flood gets silence, not one SMS per message)."""
        if self._limiter is None:
            return True
        if self._remote:
            return (
                await to_thread.run_sync(self._hit, (_NOTICE,), "notice", "conversation", who)
                is None
            )
        return self._hit((_NOTICE,), "notice", "conversation", who) is None

    def message(self, seconds: int) -> str:
        """The French sentence for a refused write."""
        return self.commune.get().message("trop_de_demandes", attente=wait_words(seconds))

    def _hit(
        self, items: tuple[limits.RateLimitItem, ...], write: str, per: str, who: str
    ) -> int | None:
        assert self._limiter is not None
        try:
            for item in items:
                if not self._limiter.hit(item, write, per, who):
                    return max(1, math.ceil(self._limiter.wait(item, write, per, who)))
        except Exception as error:
            # The database limits (per person, per resource) still hold; only rates lapse.
            log.warning("rate limit storage unavailable, write allowed: %s", error)
        return None


class RateLimits:
    """ASGI middleware: every public write counted per IP address (and a photo upload per
    conversation too) before it is read; 429 with Retry-After beyond the commune's rates."""

    def __init__(self, app: ASGIApp, throttle: Throttle) -> None:
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        write = _write(scope)
        if write is not None:
            seconds = await self.throttle.wait(write, "ip", client_ip(scope))
            sender = _query(scope, "sender")
            if seconds is None and write is Write.PHOTO and rest.valid_sender(sender):
                conversation = ConversationRef(rest.CHANNEL, sender).id
                seconds = await self.throttle.wait(write, "conversation", conversation)
            if seconds is not None:
                response = _too_many(self.throttle.message(seconds), seconds, write)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _write(scope: Scope) -> Write | None:
    if scope["type"] != "http" or scope.get("method") != "POST":
        return None
    path = str(scope.get("path", ""))
    return next((write for pattern, write in WRITES if pattern.fullmatch(path)), None)


def _query(scope: Scope, name: str) -> str:
    raw = scope.get("query_string", b"").decode("latin-1")
    values = parse_qs(raw).get(name, [])
    return values[0] if values else ""


def _too_many(message: str, seconds: int, write: Write) -> JSONResponse:
    headers = {"Retry-After": str(seconds)}
    if write is Write.REPORT:  # Open311 answers errors its own way
        return JSONResponse([{"code": 429, "description": message}], 429, headers)
    body = {"error": message, "reason": "rate_limited", "retry_after": seconds}
    return JSONResponse(body, 429, headers)
