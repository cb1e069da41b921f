"""Rasa's Redis lock store, with a waiting ticket that cannot expire while it waits.

Rasa serves one turn per conversation at a time with numbered tickets that expire, so that a
server that dies holding a conversation does not block it for ever. But a ticket also expires
while it waits: when the turn ahead belonged to a dead server, the waiting ticket, issued
just after it, often expires by the time the dead one does; the lock is then left with no
ticket and Rasa's waiting loop never sees its own number served (it spins until the client
gives up). Here a waiting ticket is renewed at each look, and put back in its place if it
was dropped, so it is served as soon as the tickets before it are done or expired.

Rasa's store also reads a lock, changes it and writes it back as separate steps: two servers
issuing tickets for one conversation at the same moment can be given the same number (and be
served together), and one server's change can undo another's. Here every change is one Redis
transaction (WATCH, then MULTI/EXEC, redone if the lock changed meanwhile).

endpoints-shared.yml names it: `lock_store: type: rasa_plugins.lock_store.PatientRedisLockStore`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore

T = TypeVar("T")
Change = Callable[[TicketLock | None], tuple[TicketLock | None, T]]


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

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket, numbered after the last one: one transaction, so never twice."""

        def issue(lock: TicketLock | None) -> tuple[TicketLock | None, int]:
            lock = lock or TicketLock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's own store reports it
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def keep_waiting(self, conversation_id: str, ticket: int) -> TicketLock:
        """The lock with expired tickets dropped, but `ticket` renewed (or put back)."""

        def renew(lock: TicketLock | None) -> tuple[TicketLock | None, TicketLock]:
            lock = lock or TicketLock(conversation_id)
            now = time.time()
            kept = [t for t in lock.tickets if t.number != ticket and not t.has_expired()]
            kept.append(Ticket(ticket, now + LOCK_LIFETIME))
            lock.tickets = deque(sorted(kept, key=lambda t: t.number))
            return lock, lock

        return self._change(conversation_id, renew)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Drop the ticket; the lock goes when nobody else holds a ticket."""

        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Rasa's cleanup in one step (its own is finish, then look, then delete)."""
        self.finish_serving(conversation_id, ticket_number)

    def _change(self, conversation_id: str, change: Change[T]) -> T:
        """Apply `change` to the stored lock in one transaction; it returns the lock to store
        (None: delete it) and a result. Redone from a fresh read if another server wrote the
        lock in between."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            stored = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(stored)) if stored else None
            changed, result = change(lock)
            pipe.multi()
            if changed is None:
                pipe.delete(key)
            else:
                pipe.set(key, changed.dumps())
            return result

        result: T = self.red.transaction(attempt, key, value_from_callable=True)
        return result
