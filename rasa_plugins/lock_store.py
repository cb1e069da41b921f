"""Rasa's Redis lock store, with a waiting ticket that cannot expire while it waits.

Rasa serves one turn per conversation at a time with numbered tickets that expire, so that a
server that dies holding a conversation does not block it for ever. But a ticket also expires
while it waits: when the turn ahead belonged to a dead server, the waiting ticket, issued
just after it, often expires by the time the dead one does; the lock is then left with no
ticket and Rasa's waiting loop never sees its own number served (it spins until the client
gives up). Here a waiting ticket is renewed at each look, and put back in its place if it
was dropped, so it is served as soon as the tickets before it are done or expired.

endpoints-shared.yml names it: `lock_store: type: rasa_plugins.lock_store.PatientRedisLockStore`.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, RedisLockStore


class PatientRedisLockStore(RedisLockStore):
    """RedisLockStore whose waiting tickets stay in the queue until served."""

    def __init__(self, endpoint_config: Any) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            lock = self.keep_waiting(conversation_id, ticket)
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)

    def keep_waiting(self, conversation_id: str, ticket: int) -> TicketLock:
        """The lock with expired tickets dropped, but `ticket` renewed (or put back)."""
        lock = self.get_lock(conversation_id) or TicketLock(conversation_id)
        now = time.time()
        kept = [t for t in lock.tickets if t.number != ticket and not t.has_expired()]
        kept.append(Ticket(ticket, now + LOCK_LIFETIME))
        lock.tickets = deque(sorted(kept, key=lambda t: t.number))
        self.save_lock(lock)
        return lock
