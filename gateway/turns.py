"""One resident turn: store the message, ask Rasa, store and return the replies."""

from __future__ import annotations

import logging

from anyio import to_thread

from bot.commune import CommuneStore
from bot.transcript import Author, Entry, Transcript
from channels.rest import Inbound, OutgoingMessage, render
from gateway.rasa import RasaClient, RasaUnavailable

log = logging.getLogger(__name__)


class Turns:
    """Routes inbound messages to Rasa and never leaves a resident without an answer."""

    def __init__(self, rasa: RasaClient, transcript: Transcript, commune: CommuneStore) -> None:
        self._rasa = rasa
        self._transcript = transcript
        self._commune = commune

    async def handle(self, inbound: Inbound, recipient_id: str) -> list[OutgoingMessage]:
        ref = inbound.ref
        payload = {"metadata": inbound.metadata} if inbound.metadata else None
        # Stored before Rasa is asked, so the message is kept even if Rasa fails.
        await to_thread.run_sync(
            self._transcript.record, ref, [Entry("resident", inbound.text, payload)]
        )
        author: Author = "assistant"
        try:
            replies = render(
                await self._rasa.turn(ref.id, inbound.text, inbound.metadata), recipient_id
            )
        except RasaUnavailable as error:
            log.warning("Rasa unavailable for %s: %s", ref.id, error)
            replies = []
        if not replies:
            # An empty answer means a failed action: every intent we train gets a reply.
            replies = [
                {"recipient_id": recipient_id, "text": self._commune.get().message("indisponible")}
            ]
            author = "system"
        entries = [
            Entry(
                author,
                r.get("text"),
                {k: v for k, v in r.items() if k in ("buttons", "image")} or None,
            )
            for r in replies
        ]
        await to_thread.run_sync(self._transcript.record, ref, entries)
        return replies
