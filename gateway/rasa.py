"""Client of the Rasa servers: their REST channel for turns, their status for health.

With several Rasa servers (sharing a PostgreSQL tracker store and a Redis lock store), the
conversations are spread over them by a hash of their id, and each goes to the same server
while it answers; when that server does not answer, the conversation moves on to the next.
A turn that never reached a server is sent to the next one at once; a turn that a server
dropped while working on it is not sent again (its answer may have gone out): the caller
apologises and the resident says it again.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Sequence
from typing import Any

import httpx

# A server that refused a connection or dropped a turn is left alone for this long.
REST_SECONDS = 10.0


class RasaUnavailable(Exception):
    """Rasa could not answer this turn (down, too slow, or an unexpected answer)."""


class RasaInterrupted(RasaUnavailable):
    """The server working on this turn went away, but another Rasa server is still up."""


class RasaClient:
    """Talks to one or several Rasa servers over HTTP."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_urls: Sequence[str],
        token: str,
        timeout: float,
    ) -> None:
        self._http = http
        self._urls = tuple(base_urls)
        if not self._urls:
            raise ValueError("at least one Rasa server is needed")
        self._token = token
        self._timeout = timeout
        self._resting: dict[str, float] = {}  # url -> until when it is left alone

    def _order(self, sender: str) -> list[str]:
        start = self._urls.index(home(sender, self._urls))
        ring = [*self._urls[start:], *self._urls[:start]]
        now = time.monotonic()
        awake = [url for url in ring if self._resting.get(url, 0.0) <= now]
        return awake or ring  # all resting: try them all anyway, one may be back

    def _rest(self, url: str) -> None:
        if len(self._urls) > 1:
            self._resting[url] = time.monotonic() + REST_SECONDS

    def _others_awake(self, url: str) -> bool:
        now = time.monotonic()
        return any(u != url and self._resting.get(u, 0.0) <= now for u in self._urls)

    async def turn(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Send one message to a Rasa server's REST channel and return its replies."""
        body = {"sender": sender, "message": text, "metadata": metadata}
        refused: list[str] = []
        for url in self._order(sender):
            try:
                response = await self._http.post(
                    f"{url}/webhooks/rest/webhook", json=body, timeout=self._timeout
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as error:
                # The turn never reached this server: the next one may take it safely.
                self._rest(url)
                refused.append(f"{url}: {type(error).__name__}")
                continue
            except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as error:
                # Dropped while the server had it: sending it again could answer it twice.
                self._rest(url)
                what = f"{url}: {type(error).__name__}: {error}"
                if self._others_awake(url):
                    raise RasaInterrupted(what) from error
                raise RasaUnavailable(what) from error
            except httpx.HTTPError as error:
                raise RasaUnavailable(f"{url}: {type(error).__name__}: {error}") from error
            return _replies(url, response)
        raise RasaUnavailable(f"no Rasa server reachable ({'; '.join(refused)})")

    async def active_form(self, sender: str) -> str | None:
        """The form a conversation is in the middle of (its question awaits an answer), or
        None; None too when no server says (the caller then goes on as if none)."""
        for url in self._order(sender):
            try:
                response = await self._http.get(
                    f"{url}/conversations/{sender}/tracker",
                    params={"token": self._token, "include_events": "NONE"},
                    timeout=self._timeout,
                )
                response.raise_for_status()
                loop = response.json().get("active_loop") or {}
            except (httpx.HTTPError, ValueError, AttributeError):
                continue
            name = loop.get("name") if isinstance(loop, dict) else None
            return str(name) if name else None
        return None

    async def parse(self, text: str) -> tuple[str | None, float]:
        """What one server's NLU makes of a text alone: its intent and confidence (the
        conversation is not touched)."""
        for url in self._order(text):
            try:
                response = await self._http.post(
                    f"{url}/model/parse",
                    params={"token": self._token},
                    json={"text": text},
                    timeout=self._timeout,
                )
                response.raise_for_status()
                intent = response.json().get("intent") or {}
            except (httpx.HTTPError, ValueError, AttributeError):
                continue
            return intent.get("name"), float(intent.get("confidence") or 0.0)
        raise RasaUnavailable("no Rasa server could parse the text")

    async def model_loaded(self) -> dict[str, str | None]:
        """Each server: None if it answers with a model loaded, otherwise why not."""
        states = await asyncio.gather(*(self._status(url) for url in self._urls))
        return dict(zip(self._urls, states, strict=True))

    async def _status(self, url: str) -> str | None:
        try:
            response = await self._http.get(
                f"{url}/status", params={"token": self._token}, timeout=2.0
            )
        except httpx.HTTPError as error:
            return f"injoignable ({type(error).__name__})"
        if response.status_code != 200:
            return f"répond {response.status_code}"
        try:
            model = response.json().get("model_file")
        except (ValueError, AttributeError):
            return "réponse illisible"
        return None if model else "aucun modèle chargé"


def home(sender: str, urls: Sequence[str]) -> str:
    """The server a conversation goes to while every server answers."""
    return urls[zlib.crc32(sender.encode()) % len(urls)]


def _replies(url: str, response: httpx.Response) -> list[dict[str, Any]]:
    try:
        response.raise_for_status()
        replies = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise RasaUnavailable(f"{url}: {type(error).__name__}: {error}") from error
    if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
        raise RasaUnavailable(f"{url}: unexpected answer: {str(replies)[:200]}")
    return replies
