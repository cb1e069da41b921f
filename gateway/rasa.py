"""Client of the Rasa server: its REST channel for turns, its status for health."""

from __future__ import annotations

from typing import Any

import httpx


class RasaUnavailable(Exception):
    """Rasa could not answer this turn (down, too slow, or an unexpected answer)."""


class RasaClient:
    """Talks to one Rasa server over HTTP; a new connection is tried on every call."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str, timeout: float) -> None:
        self._http = http
        self._base_url = base_url
        self._token = token
        self._timeout = timeout

    async def turn(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Send one message to Rasa's REST channel and return its replies."""
        try:
            response = await self._http.post(
                f"{self._base_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
                timeout=self._timeout,
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(f"{type(error).__name__}: {error}") from error
        if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
            raise RasaUnavailable(f"unexpected answer: {str(replies)[:200]}")
        return replies

    async def model_loaded(self) -> str | None:
        """None if Rasa answers with a model loaded, otherwise why not."""
        try:
            response = await self._http.get(
                f"{self._base_url}/status", params={"token": self._token}, timeout=2.0
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
