"""SMS through Twilio: the webhook (signature checked, delivered once), STOP/START, each turn."""

from __future__ import annotations

import logging
from typing import Any
from xml.sax.saxutils import escape

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.commune import CommuneStore
from bot.gsm import to_gsm
from bot.optouts import OptOuts
from bot.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from bot.reports import ReportStore
from bot.transcript import ConversationRef, Entry, Transcript
from channels import sms
from channels.rest import Inbound, OutgoingMessage
from channels.twilio_api import MediaError, TwilioError, TwilioSender
from gateway.body import fields, lenient_fields, read
from gateway.deliveries import Deliveries
from gateway.replies import Replies
from gateway.turns import Turns

log = logging.getLogger(__name__)
MEDIA_TIMEOUT = 10.0
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twiml(text: str | None = None) -> Response:
    """Twilio's answer: empty (replies go through the REST API) or one message."""
    body = EMPTY_TWIML
    if text:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<Response><Message>{escape(to_gsm(text))}</Message></Response>"
        )
    return Response(body, media_type="text/xml; charset=utf-8")


class TwilioHook:
    """Turns SMS into conversation turns and sends the replies back as SMS."""

    def __init__(
        self,
        *,
        auth_token: str,
        public_url: str,
        sender: TwilioSender,
        deliveries: Deliveries,
        turns: Turns,
        transcript: Transcript,
        reports: ReportStore,
        optouts: OptOuts,
        commune: CommuneStore,
        replies: Replies,
    ) -> None:
        self._token = auth_token
        self._public_url = public_url
        self._sender = sender
        self._deliveries = deliveries
        self._turns = turns
        self._transcript = transcript
        self._reports = reports
        self._optouts = optouts
        self._commune = commune
        self._replies = replies
        deliveries.register(sms.CHANNEL, self.process)

    def routes(self) -> list[Route]:
        return [Route("/webhooks/twilio", self.webhook, methods=["POST"])]

    async def webhook(self, request: Request) -> Response:
        raw = await read(request)  # too large: 413 before any signature work
        params = lenient_fields(raw)
        # Twilio signs the URL it was given: the public one, whatever proxy sits in between.
        url = self._public_url + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        if not sms.signature_valid(
            self._token, url, params, request.headers.get("X-Twilio-Signature")
        ):
            return JSONResponse(
                {"error": "Signature Twilio absente ou invalide.", "reason": "forbidden"},
                status_code=403,
            )
        try:
            inbound = sms.parse(fields(raw))  # signed, yet not UTF-8: 400
        except sms.SmsRequestError as error:
            return JSONResponse({"error": error.message, "reason": error.code}, error.status)
        ref = ConversationRef(sms.CHANNEL, inbound.sender)
        if sms.is_opt_out(inbound.text) or sms.is_opt_in(inbound.text):
            return await self._subscription(ref, inbound)
        media = [{"url": m.url, "content_type": m.content_type} for m in inbound.media]
        await self._deliveries.accept(
            sms.CHANNEL, inbound.message_sid, ref.id, {"text": inbound.text, "media": media}
        )
        return twiml()

    async def _subscription(self, ref: ConversationRef, inbound: sms.SmsInbound) -> Response:
        """STOP and START are answered at once, in the webhook's answer."""
        fresh = await self._deliveries.remember(sms.CHANNEL, inbound.message_sid, ref.id)
        if not fresh:
            return twiml()
        stop = sms.is_opt_out(inbound.text)
        if stop:
            await to_thread.run_sync(self._optouts.add, ref.external_id, "STOP reçu")
        else:
            await to_thread.run_sync(self._optouts.remove, ref.external_id)
        text = self._commune.get().message("sms_desinscrit" if stop else "sms_reinscrit")
        entries = [Entry("resident", inbound.text), Entry("system", text)]
        await to_thread.run_sync(self._transcript.record, ref, entries)
        return twiml(text)

    async def process(self, payload: dict[str, Any]) -> None:
        """One SMS, in the background: photos first, then the turn, then the replies."""
        ref = ConversationRef(sms.CHANNEL, str(payload["conversation"]).partition(":")[2])
        text = str(payload.get("text") or "").strip()
        metadata: dict[str, Any] = {}
        for media in payload.get("media") or []:
            if not str(media.get("content_type", "")).startswith("image/"):
                continue
            photo_id = await self._photo(ref, str(media["url"]))
            if photo_id is not None:
                metadata["photo"] = photo_id
                text = text or "Photo jointe"
                break
        if not text:
            return
        if await to_thread.run_sync(self._optouts.contains, ref.external_id):
            # Kept in the transcript for the agents; no answer to a number that said STOP.
            await to_thread.run_sync(self._transcript.record, ref, [Entry("resident", text)])
            return
        if await self._replies.too_long(ref, text, self.send):
            return
        offered = await to_thread.run_sync(self._transcript.offered_buttons, ref.id, 1)
        chosen = sms.choose(text, offered)  # "2" picks the second numbered choice
        replies = await self._turns.handle(Inbound(ref, chosen or text, metadata), ref.external_id)
        await self.send(ref, replies)

    async def send(self, ref: ConversationRef, replies: list[OutgoingMessage]) -> None:
        """Send a turn's replies as SMS; what cannot go now goes through the outbox."""
        if await to_thread.run_sync(self._optouts.contains, ref.external_id):
            return
        bodies = sms.render(replies)
        for index, body in enumerate(bodies):
            try:
                await to_thread.run_sync(self._sender.send, ref.external_id, body)
            except TwilioError as error:
                if error.opted_out:
                    await to_thread.run_sync(self._optouts.add, ref.external_id, "Twilio 21610")
                if error.permanent:
                    log.warning("Twilio refused a reply to %s: %s", ref.id, error)
                    return
                await self._replies.later(ref, [(b, []) for b in bodies[index:]])
                return

    async def _photo(self, ref: ConversationRef, url: str) -> str | None:
        try:
            data = await to_thread.run_sync(
                self._sender.fetch_media, url, MAX_PHOTO_BYTES, MEDIA_TIMEOUT
            )
            cleaned = await to_thread.run_sync(clean_photo, data)
        except MediaError as error:
            await self._replies.say(ref, "photo_non_recue", self.send, raison=error.message)
            return None
        except PhotoRefused as error:
            await self._replies.say(ref, "photo_non_recue", self.send, raison=error.message)
            return None
        # Owned by this conversation: only it may attach the photo to a report.
        return await to_thread.run_sync(self._reports.save_photo, cleaned, ref.id)
