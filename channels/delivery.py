"""The outbox worker: sends every queued notification on the resident's channel.

Retries with backoff, respects SMS opt-outs and Telegram's rates, and never sends the same
notification twice: a send interrupted by a crash is resent only when the channel proves it did
not go out (Twilio's message list); otherwise it is marked uncertain for an agent to look at.
Run it with `python -m channels.delivery` (`guichet run` starts it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from anyio import to_thread

from bot.gsm import split, to_gsm
from bot.notices import Attachment, Notices, Rendered
from bot.optouts import OptOuts
from bot.outbox import REPLY
from bot.outbox_claims import Claims, Job
from bot.transcript import ConversationRef, Entry, Transcript
from channels.email import EmailError, message_id_for
from channels.pacing import Pacer, idle
from channels.senders import Senders
from channels.sms import MAX_SEGMENTS
from channels.telegram import TelegramReply
from channels.telegram_api import TelegramError
from channels.twilio_api import TwilioError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    """How a notification reaches its resident: a channel and their address on it."""

    kind: str  # telegram, sms, email
    address: str


def route_of(job: Job, senders: Senders) -> Route | None:
    """The resident's own channel first; e-mail or SMS for the web chat, which cannot push."""
    if job.route == "email":
        return Route("email", job.email) if job.email and senders.email else None
    channel, _, external = (job.conversation_id or "").partition(":")
    if channel == "telegram" and external and senders.telegram is not None:
        return Route("telegram", external)
    if channel == "sms" and external and senders.sms is not None:
        return Route("sms", external)
    if job.email and senders.email is not None and channel not in ("sms", "telegram"):
        return Route("email", job.email)
    if job.phone and senders.sms is not None:
        return Route("sms", job.phone)
    return None


class Outcome(Exception):
    """How a failed send ends: retry later (after `delay`) or give up with a status."""

    def __init__(self, reason: str, status: str | None = None, delay: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # None: retry
        self.delay = delay


class Worker:
    """Claims due notifications in batches and sends them concurrently."""

    def __init__(
        self,
        claims: Claims,
        notices: Notices,
        senders: Senders,
        optouts: OptOuts,
        transcript: Transcript,
        invitation: Callable[[str], Attachment | None],
        *,
        pacer: Pacer | None = None,
        batch: int = 100,
        concurrency: int = 32,
    ) -> None:
        self._claims = claims
        self._notices = notices
        self._senders = senders
        self._optouts = optouts
        self._transcript = transcript
        self._invitation = invitation
        # Telegram: 30 messages/s overall, 1/s per chat; a margin absorbs network jitter.
        self._pacer = pacer or Pacer(per_second=28, per_key_gap=1.05)
        self._batch = batch
        self._slots = asyncio.Semaphore(concurrency)

    async def run(self, stop: asyncio.Event, poll: float) -> None:
        """Until `stop` is set: send what is due, then wait `poll` seconds when idle."""
        while not stop.is_set():
            try:
                done = await self.run_once()
            except Exception:  # a database hiccup must not kill the worker
                log.exception("outbox round failed")
                done = 0
            if done < self._batch:
                await idle(stop, poll)

    async def run_once(self) -> int:
        """Claim one batch and deliver it; the number of notifications handled."""
        jobs = await to_thread.run_sync(self._claims.claim, self._batch)
        await asyncio.gather(*(self._guarded(job) for job in jobs))
        return len(jobs)

    async def _guarded(self, job: Job) -> None:
        async with self._slots:
            try:
                await self._deliver(job)
            except Outcome as outcome:
                await self._settle(job, outcome)
            except Exception as error:  # a bug with one row must not stop the others
                log.exception("notification %s failed", job.id)
                await self._settle(job, Outcome(f"{type(error).__name__}: {error}"))

    async def _settle(self, job: Job, outcome: Outcome) -> None:
        if outcome.status is None:
            after = None if outcome.delay is None else timedelta(seconds=outcome.delay)
            await to_thread.run_sync(self._claims.retry, job, outcome.reason, after)
        else:
            await to_thread.run_sync(self._claims.finish, job.id, outcome.status, outcome.reason)

    async def _deliver(self, job: Job) -> None:
        route = route_of(job, self._senders)
        if route is None:
            raise Outcome("aucun canal pour joindre cette personne", status="skipped")
        if route.kind == "sms" and await to_thread.run_sync(self._optouts.contains, route.address):
            raise Outcome("numéro désinscrit (STOP)", status="skipped")
        if job.in_doubt and await self._went_out(job, route):
            return
        rendered, buttons = self._render(job, route)
        await to_thread.run_sync(self._claims.started, job.id, route.kind, rendered.text)
        external = await self._send(job, route, rendered, buttons)
        await to_thread.run_sync(self._claims.sent, job.id, route.kind, rendered.text, external)
        await to_thread.run_sync(self._remember, job, route, rendered.text)

    async def _went_out(self, job: Job, route: Route) -> bool:
        """A send began and was never recorded: did it reach the remote end?"""
        if route.kind != "sms" or self._senders.sms is None or job.started_at is None:
            raise Outcome("envoi interrompu : peut-être déjà parti, non renvoyé", "uncertain")
        first = split(to_gsm(job.text or ""), MAX_SEGMENTS)[0] if job.text else ""
        since = job.started_at - timedelta(minutes=1)
        try:
            sent = await to_thread.run_sync(self._senders.sms.sent_to, route.address, since)
        except TwilioError as error:
            raise Outcome(f"vérification impossible : {error}") from error
        match = next((m for m in sent if m.body == first), None)
        if match is None:
            return False
        await to_thread.run_sync(self._claims.sent, job.id, route.kind, job.text, match.sid)
        return True

    def _render(self, job: Job, route: Route) -> tuple[Rendered, tuple[tuple[str, str], ...]]:
        if job.kind == REPLY:
            text = str(job.payload.get("text") or "")
            buttons = tuple(
                (str(title), str(data)) for title, data in job.payload.get("buttons") or []
            )
            return Rendered(text=text), buttons
        attachments: Sequence[Attachment] = ()
        if route.kind == "email" and job.kind.startswith("booking_") and job.reference:
            invitation = self._invitation(job.reference)
            attachments = (invitation,) if invitation is not None else ()
        return self._notices.render(job.kind, route.kind, job.payload, attachments), ()

    async def _send(
        self, job: Job, route: Route, rendered: Rendered, buttons: tuple[tuple[str, str], ...]
    ) -> str | None:
        if route.kind == "telegram":
            return await self._telegram(route, TelegramReply(rendered.text, buttons))
        if route.kind == "sms":
            return await self._sms(route, rendered.text)
        return await self._email(job, route, rendered)

    async def _telegram(self, route: Route, reply: TelegramReply) -> str:
        assert self._senders.telegram is not None
        try:
            async with self._pacer.turn(route.address):
                return str(await self._senders.telegram.send(route.address, reply))
        except TelegramError as error:
            if error.retry_after is not None:
                self._pacer.pause(error.retry_after)
                raise Outcome(f"Telegram : {error}", delay=error.retry_after) from error
            raise Outcome(f"Telegram : {error}", "failed" if error.permanent else None) from error

    async def _sms(self, route: Route, text: str) -> str:
        sender = self._senders.sms
        assert sender is not None
        sids = []
        try:
            for piece in split(to_gsm(text), MAX_SEGMENTS):
                sids.append(await to_thread.run_sync(sender.send, route.address, piece))
        except TwilioError as error:
            if error.opted_out:
                await to_thread.run_sync(self._optouts.add, route.address, "Twilio 21610")
                raise Outcome("numéro désinscrit chez Twilio (21610)", "skipped") from error
            status = "failed" if error.permanent else None
            raise Outcome(f"Twilio : {error}", status, error.retry_after) from error
        return sids[0] if sids else ""

    async def _email(self, job: Job, route: Route, rendered: Rendered) -> str:
        sender = self._senders.email
        assert sender is not None
        message_id = message_id_for(job.id, sender.settings.sender)
        try:
            await to_thread.run_sync(sender.send, route.address, rendered, message_id)
        except EmailError as error:
            raise Outcome(f"SMTP : {error}", "failed" if error.permanent else None) from error
        return message_id

    def _remember(self, job: Job, route: Route, text: str) -> None:
        """The transcript shows what the town hall sent, for the agents' console."""
        channel, _, external = (job.conversation_id or "").partition(":")
        if job.kind == REPLY or not external:
            return  # replies are in the transcript already
        entry = Entry(
            "system", text, {"notification": job.id, "kind": job.kind, "route": route.kind}
        )
        self._transcript.record(ConversationRef(channel, external), [entry])
