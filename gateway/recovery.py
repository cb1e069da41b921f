"""After an outage: conversations come back to the assistant, and a lost « oui » is said plainly.

A turn that fails because Rasa or the action server is down gives the conversation to the agents
(reason "outage"). Nobody may be at the desk (3 a.m.), so once every part answers again and no
agent has replied, the conversation returns to the assistant: at once when the resident writes
again, otherwise within `every` seconds (the resident is then told on their channel). A booking
held when the outage struck is named: still held, the resident is told until when and that
« oui » confirms it; lapsed, they are told plainly that nothing was booked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from anyio import to_thread

from bot.booking import say_period, what
from bot.commune import CommuneStore
from bot.db import utcnow
from bot.handoff import Handoffs, resumable
from bot.hours import say_time
from calendar_store import Booking, Status, Store

log = logging.getLogger(__name__)


class Recovery:
    """Gives back to the assistant the conversations an outage gave to the agents."""

    def __init__(
        self,
        handoffs: Handoffs,
        parts_up: Callable[[], Awaitable[bool]],
        commune: CommuneStore,
        store: Callable[[], Store],
        every: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._handoffs = handoffs
        self._parts_up = parts_up
        self._commune = commune
        self._store = store
        self._every = every
        self._now = clock

    async def parts_up(self) -> bool:
        """Whether Rasa, the action server and the database all answer now."""
        return await self._parts_up()

    async def resume(
        self, conversation_id: str, *, push: bool, up: bool | None = None
    ) -> str | None:
        """If this conversation waits for an agent only because of an outage and every part
        answers again (`up`, when the caller just looked): back to the assistant; returns what
        the resident is told (pushed to them when `push`), or None when it stays with the
        agents."""
        row = await to_thread.run_sync(self._handoffs.state, conversation_id)
        if row is None or not resumable(row):
            return None
        if not (await self._parts_up() if up is None else up):
            return None
        notice = await to_thread.run_sync(self.notice, conversation_id, row.escalated_at)
        resumed = await to_thread.run_sync(
            lambda: self._handoffs.resume(conversation_id, notice, push=push)
        )
        if resumed:
            log.info("conversation %s back with the assistant after an outage", conversation_id)
        return notice if resumed else None

    def notice(self, conversation_id: str, since: datetime) -> str:
        """What the resident is told: the assistant is back, and what became of a booking
        held when the outage struck."""
        commune = self._commune.get()
        tz = ZoneInfo(commune.data.fuseau_horaire)
        store = self._store()
        now = self._now()
        said = [commune.message("assistant_de_retour")]
        for booking in _held_at(store.for_owner(conversation_id), since):
            spec = store.spec(booking.resource)
            values = {
                "quoi": what(spec, booking.quantity),
                "quand": say_period(spec, booking.start, booking.end, tz),
            }
            assert booking.hold_until is not None  # _held_at keeps holds only
            if booking.status is Status.HELD and booking.hold_until > now:
                until = say_time(booking.hold_until.astimezone(tz).time())
                said.append(commune.message("reservation_a_confirmer", **values, jusqua=until))
            else:
                said.append(commune.message("reservation_non_confirmee", **values))
        return "\n".join(said)

    async def run(self, stop: asyncio.Event) -> None:
        """The gateway's background job: every `every` seconds, the outages' conversations."""
        while not stop.is_set():
            try:
                waiting = await to_thread.run_sync(self._handoffs.outages)
                if waiting and await self._parts_up():
                    for conversation_id in waiting:
                        await self.resume(conversation_id, push=True, up=True)
            except Exception:  # a failed look must not end the job: the next one retries
                log.exception("outage recovery failed")
            with contextlib.suppress(TimeoutError):  # the stop, or time for the next look
                await asyncio.wait_for(stop.wait(), timeout=self._every)


def _held_at(bookings: list[Booking], since: datetime) -> list[Booking]:
    """The holds that were still alive when the outage struck (a « oui » may have been lost)."""
    return [
        b
        for b in bookings
        if b.status in (Status.HELD, Status.EXPIRED)
        and b.hold_until is not None
        and b.hold_until >= since
    ]
