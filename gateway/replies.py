"""What the gateway says by itself on SMS and Telegram, and replies kept for later sending."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from anyio import to_thread
from babel.numbers import format_decimal
from sqlalchemy import Engine

from bot.commune import CommuneStore
from bot.db import make_session_factory
from bot.outbox import REPLY, queue
from bot.transcript import ConversationRef, Entry, Transcript
from channels.rest import OutgoingMessage

Send = Callable[[ConversationRef, list[OutgoingMessage]], Awaitable[None]]


class Replies:
    """Messages from the commune file, recorded in the transcript, then sent."""

    def __init__(
        self, commune: CommuneStore, transcript: Transcript, engine: Engine, max_chars: int
    ) -> None:
        self._commune = commune
        self._transcript = transcript
        self._sessions = make_session_factory(engine)
        self.max_chars = max_chars

    async def say(self, ref: ConversationRef, key: str, send: Send, **values: Any) -> None:
        text = self._commune.get().message(key, **values)
        await to_thread.run_sync(self._transcript.record, ref, [Entry("system", text)])
        await send(ref, [{"recipient_id": ref.external_id, "text": text}])

    async def too_long(self, ref: ConversationRef, text: str, send: Send) -> bool:
        """Answer an over-long message in French instead of passing it on; True if it was."""
        if len(text) <= self.max_chars:
            return False
        await to_thread.run_sync(self._transcript.record, ref, [Entry("resident", text[:500])])
        await self.say(
            ref,
            "message_trop_long",
            send,
            longueur=format_decimal(len(text), locale="fr_FR"),
            maximum=format_decimal(self.max_chars, locale="fr_FR"),
        )
        return True

    async def later(
        self, ref: ConversationRef, pieces: Sequence[tuple[str, list[list[str]]]]
    ) -> None:
        """The channel failed for a moment: the outbox worker sends these, in order, with
        retries."""

        def store() -> None:
            with self._sessions.begin() as session:
                for text, buttons in pieces:
                    queue(
                        session,
                        REPLY,
                        {"text": text, "buttons": buttons},
                        conversation_id=ref.id,
                        channel=ref.channel,
                    )

        await to_thread.run_sync(store)
