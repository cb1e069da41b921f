"""Pacing of outbound messages: an overall rate and a minimum gap per recipient.

Telegram allows about 30 messages per second overall and one per second in a given chat; beyond
that it answers 429 with a `retry_after`, which `pause` honours for everyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable


class Pacer:
    """Hands out send times; `await wait(key)` returns when a message to `key` may go."""

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
        self._next_by_key: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, key: str) -> None:
        async with self._lock:
            # Reserve a slot under the lock; sleep outside it, so other keys are not held up.
            now = self._clock()
            at = max(now, self._next, self._next_by_key.get(key, 0.0))
            self._next = max(self._next, at) + self._gap
            self._next_by_key[key] = at + self._key_gap
            if len(self._next_by_key) > 10_000:
                self._forget(now)
        delay = at - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)

    def pause(self, seconds: float, key: str | None = None) -> None:
        """The remote end asked us to slow down (for one key, or everyone)."""
        until = self._clock() + seconds
        if key is None:
            self._next = max(self._next, until)
        else:
            self._next_by_key[key] = max(self._next_by_key.get(key, 0.0), until)

    def _forget(self, now: float) -> None:
        self._next_by_key = {k: t for k, t in self._next_by_key.items() if t > now}


async def idle(stop: asyncio.Event, seconds: float) -> None:
    """Wait `seconds`, or less if `stop` is set meanwhile (background loops use it)."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
