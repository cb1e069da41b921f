"""Deliveries from Telegram and Twilio: stored once, acknowledged at once, processed after.

The webhook answers as soon as the delivery is a row in the inbox (so Telegram and Twilio get
their 200 in milliseconds and redeliveries are recognised); the turn runs in the background and
its replies go out through the channel's API. A sweep takes over deliveries whose processing
died with its process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from anyio import to_thread

from bot.inbox import Delivery, Inbox
from channels.pacing import idle

log = logging.getLogger(__name__)
Processor = Callable[[dict[str, Any]], Awaitable[None]]
SWEEP_SECONDS = 30.0
# Turns run a few at a time: a burst of deliveries then queues here, and the webhooks keep
# answering in milliseconds instead of sharing the process with every turn at once.
CONCURRENT_TURNS = 4


class Deliveries:
    """Accept deliveries and process each one in the background, exactly once."""

    def __init__(self, inbox: Inbox) -> None:
        self._inbox = inbox
        self._processors: dict[str, Processor] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # One conversation's deliveries are processed in arrival order, one at a time.
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}
        self._turns = asyncio.Semaphore(CONCURRENT_TURNS)

    def register(self, channel: str, processor: Processor) -> None:
        self._processors[channel] = processor

    async def accept(
        self, channel: str, message_id: str, conversation: str, payload: dict[str, Any]
    ) -> bool:
        """Store and schedule a delivery; False when it was delivered before."""
        stored = await to_thread.run_sync(
            self._inbox.accept, channel, message_id, {"conversation": conversation, **payload}
        )
        if stored is None:
            return False
        self._spawn(stored)
        return True

    async def remember(self, channel: str, message_id: str, conversation: str) -> bool:
        """Record a delivery answered on the spot (STOP, START); False when seen before."""
        stored = await to_thread.run_sync(
            self._inbox.accept, channel, message_id, {"conversation": conversation}
        )
        if stored is None:
            return False
        await to_thread.run_sync(self._inbox.done, stored.id)
        return True

    def _spawn(self, delivery: Delivery) -> None:
        task = asyncio.create_task(self._process(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _process(self, delivery: Delivery) -> None:
        processor = self._processors.get(delivery.channel)
        if processor is None:
            log.warning("no processor for %s deliveries", delivery.channel)
            return  # left claimed: a process that knows the channel takes it after the claim
        conversation = str(delivery.payload.get("conversation", delivery.message_id))
        lock = self._locks.setdefault(conversation, asyncio.Lock())
        self._waiting[conversation] = self._waiting.get(conversation, 0) + 1
        try:
            async with lock, self._turns:
                try:
                    await processor(delivery.payload)
                except Exception:
                    # Marked done all the same: processing it again could answer the resident
                    # twice; the error is in the log and the message in the transcript.
                    log.exception("%s delivery %s failed", delivery.channel, delivery.message_id)
                await to_thread.run_sync(self._inbox.done, delivery.id)
        finally:
            # The lock is forgotten only when no delivery of that conversation still needs it.
            self._waiting[conversation] -= 1
            if not self._waiting[conversation]:
                del self._waiting[conversation], self._locks[conversation]

    async def sweep(self, stop: asyncio.Event) -> None:
        """Take over, every 30 s, deliveries whose process died before finishing them."""
        while not stop.is_set():
            try:
                for delivery in await to_thread.run_sync(self._inbox.stale):
                    log.warning("taking over %s delivery %s", delivery.channel, delivery.message_id)
                    self._spawn(delivery)
            except Exception:
                log.exception("inbox sweep failed")
            await idle(stop, SWEEP_SECONDS)

    async def drain(self, timeout: float = 10.0) -> None:
        """At shutdown: let turns under way finish (the sweep of another process would redo
        them only after their claim lapses)."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
