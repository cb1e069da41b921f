"""The queue of escalated conversations, one conversation with its context, agents' replies,
and the live feed (server-sent events) that keeps both pages current without reloading."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from anyio import to_thread
from sqlalchemy import func, select
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from bot.audit import audit
from bot.db import utcnow
from bot.handoff import Handoffs
from bot.handoff_records import HandoffRow
from bot.labels import local_short
from bot.models import Message
from bot.transcript import Transcript
from gateway.body import read_form
from gateway.console.auth import AgentSession, api, page, render
from gateway.console.base import ConsoleContext, elapsed
from gateway.console.bookings import Line, line

REASONS = {
    "asked": "a demandé un agent",
    "misunderstood": "incompris deux fois",
    "failure": "réponse de l’assistant en échec",
    "outage": "panne de l’assistant (revient à l’assistant quand elle cesse)",
    "emergency": "urgence ou détresse",
    "grief": "deuil",
}
CHANNELS = {"web": "chat web", "sms": "SMS", "telegram": "Telegram"}
STATES = {"waiting": "en attente", "answered": "répondu", "returned": "rendu", "closed": "clos"}
MAX_REPLY = 2000
FEED_POLL = 0.5  # seconds between two looks for new messages: the ≤ 1 s goal, with margin
KEEP_ALIVE = 15.0


class Conversations:
    """The agents' side of the handoff."""

    def __init__(self, ctx: ConsoleContext, handoffs: Handoffs, transcript: Transcript) -> None:
        self.ctx = ctx
        self.handoffs = handoffs
        self.transcript = transcript

    def routes(self) -> list[Route]:
        ctx = self.ctx
        return [
            Route("/console/", page(ctx, self.queue)),
            Route(
                "/console/conversations/{conversation:path}/repondre",
                page(ctx, self.reply),
                methods=["POST"],
            ),
            Route(
                "/console/conversations/{conversation:path}/rendre",
                page(ctx, self.hand_back),
                methods=["POST"],
            ),
            Route(
                "/console/conversations/{conversation:path}/clore",
                page(ctx, self.close),
                methods=["POST"],
            ),
            Route("/console/conversations/{conversation:path}", page(ctx, self.conversation)),
            Route("/console/evenements", api(ctx, self.feed)),
        ]

    async def queue(self, request: Request, session: AgentSession) -> Response:
        items = await to_thread.run_sync(self.handoffs.waiting)
        now = utcnow()
        rows = [
            {
                "id": item.conversation_id,
                "href": "/console/conversations/" + quote(item.conversation_id, safe=""),
                "channel": CHANNELS.get(item.channel, item.channel),
                "reason": REASONS.get(item.reason, item.reason),
                "state": STATES.get(item.state, item.state),
                "waiting": elapsed(item.escalated_at, now),
                "last": (item.last_text or "")[:160],
            }
            for item in items
        ]
        template = "file_liste.html" if request.query_params.get("fragment") else "file.html"
        return render(self.ctx, request, session, template, items=rows)

    async def conversation(self, request: Request, session: AgentSession) -> Response:
        conversation = request.path_params["conversation"]
        messages = await to_thread.run_sync(self.transcript.messages, conversation)
        if not messages:
            return render(
                self.ctx,
                request,
                session,
                "erreur.html",
                status=404,
                message="Cette conversation n’existe pas.",
            )
        state = await to_thread.run_sync(self.handoffs.state, conversation)
        tz = self.ctx.desk.tz
        bookings = await to_thread.run_sync(self._bookings, conversation, tz)
        reports = await to_thread.run_sync(self.ctx.reports.for_owner, conversation)
        channel = conversation.partition(":")[0]
        return render(
            self.ctx,
            request,
            session,
            "conversation.html",
            conversation=conversation,
            quoted=quote(conversation, safe=""),
            channel=CHANNELS.get(channel, channel),
            handoff=state,
            active=state is not None and state.state in ("waiting", "answered"),
            reason=REASONS.get(state.reason, state.reason) if state else None,
            state=STATES.get(state.state, state.state) if state else None,
            messages=[
                {
                    "id": m.id,
                    "author": m.author,
                    "text": m.text or "",
                    "at": m.created_at,
                    "at_label": local_short(m.created_at, tz),
                    "attachments": _attachments(m.payload),
                }
                for m in messages
            ],
            bookings=bookings,
            reports=reports,
            last_id=messages[-1].id,
            sent=request.query_params.get("fait"),
        )

    async def reply(self, request: Request, session: AgentSession) -> Response:
        conversation = request.path_params["conversation"]
        text = str((await read_form(request)).get("texte") or "").strip()
        back = "/console/conversations/" + quote(conversation, safe="")
        if not text or len(text) > MAX_REPLY:
            return RedirectResponse(f"{back}?fait=vide", status_code=303)
        await to_thread.run_sync(
            self.handoffs.reply, conversation, session.agent_id, session.name, text
        )
        await self._audit(session, "conversation.reply", conversation, {"chars": len(text)})
        return RedirectResponse(f"{back}?fait=envoye", status_code=303)

    async def hand_back(self, request: Request, session: AgentSession) -> Response:
        return await self._end(request, session, "returned", "retour_assistant")

    async def close(self, request: Request, session: AgentSession) -> Response:
        return await self._end(request, session, "closed", "conversation_close")

    async def _end(self, request: Request, session: AgentSession, state: str, key: str) -> Response:
        conversation = request.path_params["conversation"]
        notice = self.ctx.commune.get().message(key)
        await to_thread.run_sync(self.handoffs.end, conversation, session.agent_id, state, notice)
        await self._audit(session, f"conversation.{state}", conversation, None)
        return RedirectResponse("/console/?fait=" + state, status_code=303)

    async def _audit(
        self, session: AgentSession, action: str, target: str, details: dict[str, Any] | None
    ) -> None:
        def write() -> None:
            with self.ctx.sessions.begin() as db:
                audit(db, session.agent_id, action, target, details)

        await to_thread.run_sync(write)

    async def feed(self, request: Request, _session: AgentSession) -> Response:
        """Server-sent events: every new message, and a nudge when the queue changes."""
        start = request.headers.get("last-event-id", "")
        cursor = int(start) if start.isdigit() else await to_thread.run_sync(self._last_id)

        async def events() -> AsyncIterator[str]:
            nonlocal cursor
            queue_mark = await to_thread.run_sync(self._queue_mark)
            quiet = 0.0
            yield "retry: 2000\n\n"
            while not await request.is_disconnected():
                fresh = await to_thread.run_sync(self._since, cursor)
                for item in fresh:
                    cursor = item["id"]
                    yield f"id: {cursor}\nevent: message\ndata: {json.dumps(item)}\n\n"
                mark = await to_thread.run_sync(self._queue_mark)
                if mark != queue_mark:
                    queue_mark = mark
                    yield "event: file\ndata: {}\n\n"
                quiet = 0.0 if fresh else quiet + FEED_POLL
                if quiet >= KEEP_ALIVE:
                    quiet = 0.0
                    yield ": toujours là\n\n"
                await asyncio.sleep(FEED_POLL)

        headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
        return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    def _bookings(self, conversation: str, tz: ZoneInfo) -> list[Line]:
        """The conversation's bookings as the bookings list shows them: local time, French."""
        store = self.ctx.desk.store()
        specs = {s.slug: s for s in store.specs()}
        return [line(b, specs, tz) for b in store.for_owner(conversation)]

    def _last_id(self) -> int:
        with self.ctx.sessions() as db:
            return int(db.scalar(select(func.max(Message.id))) or 0)

    def _queue_mark(self) -> str:
        with self.ctx.sessions() as db:
            latest, count = db.execute(
                select(func.max(HandoffRow.updated_at), func.count(HandoffRow.conversation_id))
            ).one()
            return f"{latest}/{count}"

    def _since(self, cursor: int) -> list[dict[str, Any]]:
        tz = self.ctx.desk.tz
        with self.ctx.sessions() as db:
            rows = db.scalars(
                select(Message).where(Message.id > cursor).order_by(Message.id).limit(200)
            ).all()
            return [
                {
                    "id": m.id,
                    "conversation": m.conversation_id,
                    "author": m.author,
                    "text": m.text or "",
                    "at": m.created_at.isoformat(),
                    "label": local_short(m.created_at, tz),  # as the page says it
                }
                for m in rows
            ]


def _attachments(payload: dict[str, Any] | None) -> list[dict[str, str]]:
    """What a message carried besides text: a photo, a position, buttons offered."""
    found: list[dict[str, str]] = []
    metadata = (payload or {}).get("metadata") or {}
    if isinstance(metadata, dict):
        if metadata.get("photo") is not None:
            found.append({"kind": "photo", "label": f"photo n° {metadata['photo']}"})
        location = metadata.get("location")
        if isinstance(location, dict) and "lat" in location and "lon" in location:
            found.append(
                {"kind": "position", "label": f"position {location['lat']}, {location['lon']}"}
            )
    for button in (payload or {}).get("buttons") or []:
        if isinstance(button, dict) and button.get("title"):
            found.append({"kind": "bouton", "label": str(button["title"])})
    return found
