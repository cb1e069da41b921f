"""Telegram: the webhook (secret checked, delivered once), long polling, and each turn."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from bot.reports import ReportStore
from bot.transcript import ConversationRef, Entry, Transcript
from channels import telegram
from channels.pacing import idle
from channels.rest import Inbound, OutgoingMessage
from channels.telegram_api import TelegramError, TelegramSender
from gateway import body
from gateway.deliveries import Deliveries
from gateway.replies import Replies
from gateway.turns import Turns

log = logging.getLogger(__name__)
POLL_SECONDS = 25


class TelegramHook:
    """Turns Telegram updates into conversation turns and sends the replies back."""

    def __init__(
        self,
        *,
        secret: str,
        sender: TelegramSender,
        deliveries: Deliveries,
        turns: Turns,
        transcript: Transcript,
        reports: ReportStore,
        replies: Replies,
    ) -> None:
        self._secret = secret
        self._sender = sender
        self._deliveries = deliveries
        self._turns = turns
        self._transcript = transcript
        self._reports = reports
        self._replies = replies
        deliveries.register(telegram.CHANNEL, self.process)

    def routes(self) -> list[Route]:
        return [Route("/webhooks/telegram", self.webhook, methods=["POST"])]

    async def webhook(self, request: Request) -> Response:
        header = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        if not telegram.secret_valid(header, self._secret):
            return JSONResponse(
                {"error": "Jeton secret absent ou invalide.", "reason": "forbidden"},
                status_code=403,
            )
        # A well-signed update always gets a 2xx: anything else makes Telegram redeliver it.
        try:
            read = body.repaired_document(await body.read(request))
        except body.BodyError as error:
            log.warning("Telegram update refused: %s", error.reason)
            return JSONResponse({"ok": True, "outcome": "refused", "reason": error.reason})
        outcome = await self.take(read.document, unreadable=read.repaired)
        return JSONResponse({"ok": True, "outcome": outcome})

    async def take(self, data: object, *, unreadable: bool = False) -> str:
        """Accept one update (webhook or polling): processed, duplicate or ignored."""
        if not isinstance(data, dict):
            return "ignored"
        # Text that is no Unicode (a lone surrogate) is kept with U+FFFD in its place, and
        # the resident is asked to write again rather than left without an answer.
        fixed = body.repair(data)
        inbound = telegram.parse(fixed.document)
        if inbound is None:
            return "ignored"
        conversation = ConversationRef(telegram.CHANNEL, str(inbound.chat_id)).id
        payload: dict[str, Any] = {"update": fixed.document}
        if unreadable or fixed.repaired:
            payload["unreadable"] = True
        fresh = await self._deliveries.accept(
            telegram.CHANNEL, str(inbound.update_id), conversation, payload
        )
        return "accepted" if fresh else "duplicate"

    async def process(self, payload: dict[str, Any]) -> None:
        """One update, in the background: answer the button, read the message, reply."""
        inbound = telegram.parse(payload.get("update") or {})
        if inbound is None:
            return
        ref = ConversationRef(telegram.CHANNEL, str(inbound.chat_id))
        if inbound.callback_query_id is not None:
            await self._sender.answer_callback(inbound.callback_query_id)
        if payload.get("unreadable"):
            await self._unreadable(ref, inbound.text)
            return
        text = (inbound.text or "").strip()
        metadata: dict[str, Any] = {}
        if inbound.callback_data is not None:
            offered = await to_thread.run_sync(self._transcript.offered_buttons, ref.id, 5)
            chosen = telegram.resolve_button(inbound.callback_data, offered)
            if chosen is None:
                await self._say(ref, "choix_perime")
                return
            text = chosen
        if inbound.location is not None:
            lat, lon = inbound.location
            metadata["location"] = {"lat": lat, "lon": lon}
            text = text or "Position partagée"
        if inbound.photo is not None:
            photo_id = await self._photo(ref, inbound.photo)
            if photo_id is None:
                return
            metadata["photo"] = photo_id
            text = text or "Photo jointe"
        if not text:
            return
        if await self._replies.too_long(ref, text, self.send):
            return
        replies = await self._turns.handle(Inbound(ref, text, metadata), str(inbound.chat_id))
        await self.send(ref, replies)

    async def send(self, ref: ConversationRef, replies: list[OutgoingMessage]) -> None:
        """Send a turn's replies in order; what cannot go now goes through the outbox."""
        pieces = telegram.render(replies)
        for index, piece in enumerate(pieces):
            try:
                await self._sender.send(ref.external_id, piece)
            except TelegramError as error:
                if error.permanent:
                    log.warning("Telegram refused a reply to %s: %s", ref.id, error)
                    return
                await self._replies.later(
                    ref, [(p.text, [list(b) for b in p.buttons]) for p in pieces[index:]]
                )
                return

    async def _photo(self, ref: ConversationRef, photo: telegram.PhotoRef) -> str | None:
        try:
            data = await self._sender.download(photo.file_id, MAX_PHOTO_BYTES)
            cleaned = await to_thread.run_sync(clean_photo, data)
        except TelegramError as error:
            reason = (
                "Cette photo est trop lourde (10 Mo au plus)."
                if error.too_big
                else "La photo n’a pas pu être récupérée."
            )
            await self._say(ref, "photo_non_recue", raison=reason)
            return None
        except PhotoRefused as error:
            await self._say(ref, "photo_non_recue", raison=error.message)
            return None
        # Owned by this conversation: only it may attach the photo to a report.
        return await to_thread.run_sync(self._reports.save_photo, cleaned, ref.id)

    async def _unreadable(self, ref: ConversationRef, text: str | None) -> None:
        """Kept for the agents as received, then an apology: what was understood of it may be
        wrong, so it does not go to the assistant."""
        if text and text.strip():
            entry = Entry("resident", text.strip()[: self._replies.max_chars])
            await to_thread.run_sync(self._transcript.record, ref, [entry])
        await self._say(ref, "caracteres_illisibles")

    async def _say(self, ref: ConversationRef, key: str, **values: Any) -> None:
        await self._replies.say(ref, key, self.send, **values)

    async def poll(self, stop: asyncio.Event) -> None:
        """Long polling, for a machine Telegram cannot reach (no public https URL)."""
        offset: int | None = None
        try:
            await self._sender.delete_webhook()
        except TelegramError as error:
            log.warning("Telegram: could not remove the webhook before polling: %s", error)
        while not stop.is_set():
            try:
                updates = await self._sender.get_updates(offset, POLL_SECONDS)
            except TelegramError as error:
                log.warning("Telegram polling: %s", error)
                await idle(stop, error.retry_after or 5.0)
                continue
            for update in updates:
                update_id = telegram.update_id_of(update)
                if update_id is not None:
                    offset = update_id + 1
                await self.take(update)
