"""Deliveries: stored once, processed in arrival order per conversation, never two at once."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import Engine

from bot.inbox import Inbox
from gateway.deliveries import Deliveries


def test_one_conversation_is_processed_in_order_and_redeliveries_are_ignored(
    engine: Engine,
) -> None:
    seen: list[tuple[str, str]] = []
    running: dict[str, int] = {}
    overlaps: list[str] = []

    async def process(payload: dict[str, Any]) -> None:
        who = payload["conversation"]
        running[who] = running.get(who, 0) + 1
        if running[who] > 1:
            overlaps.append(who)
        await asyncio.sleep(0.01)
        seen.append((who, payload["text"]))
        running[who] -= 1

    async def run() -> Deliveries:
        deliveries = Deliveries(Inbox(engine))
        deliveries.register("sms", process)
        for n in range(6):
            who = f"sms:+3361234567{n % 2}"
            assert await deliveries.accept("sms", f"SM{n}", who, {"text": f"message {n}"})
        assert not await deliveries.accept("sms", "SM3", "sms:+33612345671", {"text": "again"})
        await deliveries.drain()
        return deliveries

    deliveries = asyncio.run(run())
    assert overlaps == []
    for who in ("sms:+33612345670", "sms:+33612345671"):
        texts = [text for conversation, text in seen if conversation == who]
        assert texts == sorted(texts) and len(texts) == 3
    assert "again" not in [text for _, text in seen]
    assert deliveries._locks == {} and deliveries._waiting == {}  # nothing kept for idle chats
