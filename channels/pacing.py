"""Pacing of outbound messages: an overall rate and a minimum gap per recipient.

Telegram allows about 30 messages per second overall and one per second in a given chat; beyond
that it answers 429 with a `retry_after`, which `pause` honours for everyone. The gap within a
chat is counted from when the previous message really left, not from when it was planned: a
late send must not bring the next one closer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable


class Pacer:
    """`async with pacer.turn(key):` send one message to `key` inside the block."""

    def __init__(
        self,
        per_second: float,
        per_key_gap: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._gap = 1.0 / per_second
        self._key_gap = per_key_gap
        self._clock = clock
        self._next = 0.0
        self._lock = asyncio.Lock()
        self._keys: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}
        self._last: dict[str, float] = {}  # when the last message to each key really started

    @contextlib.asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """One message to `key` at a time, a gap after the previous one, within the rate."""
        lock = self._keys.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await self._until(self._last.get(key, float("-inf")) + self._key_gap)
                await self._overall()
                self._last[key] = self._clock()
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._keys[key]
            if len(self._last) > 10_000:
                horizon = self._clock() - self._key_gap
                self._last = {k: t for k, t in self._last.items() if t > horizon}

    async def _overall(self) -> None:
        async with self._lock:
            # Reserve the next overall slot under the lock; sleep outside it.
            at = max(self._clock(), self._next)
            self._next = at + self._gap
        await self._until(at)

    async def _until(self, moment: float) -> None:
        delay = moment - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float) -> None:
        """The remote end asked everyone to slow down (a 429 with retry_after)."""
        self._next = max(self._next, self._clock() + seconds)


async def idle(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stop` is set meanwhile (background loops use it)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
