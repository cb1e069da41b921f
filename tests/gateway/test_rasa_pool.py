"""The gateway's client of several Rasa servers, against the real Rasa server of the stack and
addresses that fail the way a dead server does: nobody listening, or a connection dropped
after the request was read."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.stack import Stack
from gateway.rasa import RasaClient, RasaInterrupted, RasaUnavailable, home
from tests.helpers.stack import free_port

pytestmark = pytest.mark.stack


@contextlib.asynccontextmanager
async def dropping_server() -> AsyncIterator[str]:
    """Reads a request, then closes the connection without answering (a server that died)."""

    async def drop(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.transport.abort()

    server = await asyncio.start_server(drop, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


def sender_homed_on(url: str, urls: tuple[str, ...]) -> str:
    return next(
        s for s in (f"web:pool-{uuid.uuid4().hex}" for _ in range(100)) if home(s, urls) == url
    )


def test_a_conversation_keeps_its_server_and_the_servers_share_the_load() -> None:
    urls = ("http://a:1", "http://b:2", "http://c:3")
    senders = [f"web:resident-{i}" for i in range(300)]
    homes = [home(s, urls) for s in senders]
    assert homes == [home(s, urls) for s in senders]  # stable
    assert all(homes.count(u) > 60 for u in urls)  # spread


def test_a_server_nobody_listens_on_passes_the_turn_to_the_next(stack: Stack) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    urls = (dead, stack.config.rasa_url)
    sender = sender_homed_on(dead, urls)

    async def run() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        async with httpx.AsyncClient() as http:
            rasa = RasaClient(http, urls, stack.config.rasa_token, 30.0)
            first = await rasa.turn(sender, "/ask_hours", {})
            states = await rasa.model_loaded()
            assert states[dead] is not None and states[stack.config.rasa_url] is None
            return first, await rasa.turn(sender, "/ask_contact", {})

    first, second = asyncio.run(run())
    assert "lundi" in str(first)
    assert "01 99 00 12 34" in str(second)


def test_a_turn_dropped_mid_way_is_not_sent_again_but_reported_as_interrupted(
    stack: Stack,
) -> None:
    async def run() -> None:
        async with dropping_server() as dying, httpx.AsyncClient() as http:
            urls = (dying, stack.config.rasa_url)
            sender = sender_homed_on(dying, urls)
            rasa = RasaClient(http, urls, stack.config.rasa_token, 30.0)
            with pytest.raises(RasaInterrupted):
                await rasa.turn(sender, "/ask_hours", {})
            # The resident sends it again: the dropping server is left alone for a while.
            assert "lundi" in str(await rasa.turn(sender, "/ask_hours", {}))
            # Alone, the same failure is plain unavailability (the caller hands over).
            alone = RasaClient(http, (dying,), stack.config.rasa_token, 30.0)
            with pytest.raises(RasaUnavailable) as raised:
                await alone.turn(sender, "/ask_hours", {})
            assert not isinstance(raised.value, RasaInterrupted)

    asyncio.run(run())
