"""One resident turn: store the message, ask Rasa (or leave it to an agent), store the replies."""

from __future__ import annotations

import logging
from typing import Any

from anyio import to_thread

from bot.commune import CommuneStore
from bot.db import utcnow
from bot.emergency import alarm
from bot.handoff import Handoffs, alarm_text, announcement
from bot.transcript import Author, ConversationRef, Entry, Transcript
from channels.rest import Inbound, OutgoingMessage, render
from gateway.rasa import RasaClient, RasaInterrupted, RasaUnavailable

log = logging.getLogger(__name__)


class Turns:
    """Routes inbound messages to Rasa and never leaves a resident without an answer."""

    def __init__(
        self,
        rasa: RasaClient,
        transcript: Transcript,
        commune: CommuneStore,
        handoffs: Handoffs,
    ) -> None:
        self._rasa = rasa
        self._transcript = transcript
        self._commune = commune
        self._handoffs = handoffs

    async def handle(self, inbound: Inbound, recipient_id: str) -> list[OutgoingMessage]:
        ref = inbound.ref
        payload = {"metadata": inbound.metadata} if inbound.metadata else None
        # Stored before anything else, so the message is kept whatever fails next.
        await to_thread.run_sync(
            self._transcript.record, ref, [Entry("resident", inbound.text, payload)]
        )
        if await to_thread.run_sync(self._handoffs.active, ref.id):
            # With the agents: the assistant stays silent; the console shows the message.
            await to_thread.run_sync(self._handoffs.touch, ref.id)
            return []
        # Safety first: a danger or a death said in words goes before any form or intent.
        found = alarm(inbound.text, self._commune.get().data.urgences)
        if found is not None:
            first = alarm_text(self._commune.get(), found)
            reason = "emergency" if found.kind == "danger" else "grief"
            return await self._escalate(ref, recipient_id, reason, first)
        try:
            raw = await self._rasa.turn(ref.id, inbound.text, inbound.metadata)
        except RasaInterrupted as error:
            # One Rasa server went away with this turn; the others carry on. Say sorry and
            # let the resident send it again rather than leave them without an answer.
            log.warning("Rasa turn interrupted for %s: %s", ref.id, error)
            said = self._commune.get().message("interrompu")
            entry = Entry("system", said, {"interrupted": True})
            await to_thread.run_sync(self._transcript.record, ref, [entry])
            return [{"recipient_id": recipient_id, "text": said}]
        except RasaUnavailable as error:
            log.warning("Rasa unavailable for %s: %s", ref.id, error)
            raw = []
        replies = render(raw, recipient_id)
        if not replies:
            # An empty answer means a failed flow (every intent we train gets a reply): say
            # sorry, and give the conversation to the agents.
            return await self._escalate(
                ref, recipient_id, "failure", self._commune.get().message("indisponible")
            )
        author: Author = "assistant"
        topic = _topic(raw)
        entries = [
            Entry(author, r.get("text"), _kept(r, topic if index == 0 else None))
            for index, r in enumerate(replies)
        ]
        await to_thread.run_sync(self._transcript.record, ref, entries)
        return replies

    async def _escalate(
        self, ref: ConversationRef, recipient_id: str, reason: str, first: str
    ) -> list[OutgoingMessage]:
        await to_thread.run_sync(self._handoffs.escalate, ref, reason)
        said = f"{first}\n{announcement(self._commune.get(), utcnow())}"
        entry = Entry("system", said, {"handoff": reason})
        await to_thread.run_sync(self._transcript.record, ref, [entry])
        return [{"recipient_id": recipient_id, "text": said}]


def _topic(raw: list[dict[str, Any]]) -> str | None:
    """What the turn was about, as the actions tag it (the dashboard counts them)."""
    for reply in raw:
        custom = reply.get("custom")
        if isinstance(custom, dict) and isinstance(custom.get("topic"), str):
            return str(custom["topic"])
    return None


def _kept(reply: OutgoingMessage, topic: str | None) -> dict[str, Any] | None:
    kept: dict[str, Any] = {k: v for k, v in reply.items() if k in ("buttons", "image")}
    if topic:
        kept["topic"] = topic
    return kept or None
