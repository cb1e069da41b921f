"""Notifications that did not reach their resident (failed, in doubt, no way to reach them):
agents see why, and may send one again (an audited choice: an "uncertain" one may be a repeat)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.audit import audit
from bot.db import utcnow
from bot.labels import NOTICE_KINDS, NOTICE_STATUSES, local_time
from bot.outbox import Notification
from gateway.console.auth import AgentSession, page, render
from gateway.console.base import ConsoleContext

LIST = "/console/envois"
PER_PAGE = 50
# The statuses that need an agent's eye, in this order.
SHOWN = {s: NOTICE_STATUSES[s] for s in ("failed", "uncertain", "skipped")}
RESENDABLE = ("failed", "uncertain")
ROUTES = {"sms": "SMS", "telegram": "Telegram", "email": "e-mail", None: "—"}


@dataclass(frozen=True)
class Line:
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    route: str
    conversation: str | None
    conversation_href: str | None
    reference: str | None
    reason: str
    at: datetime
    at_label: str  # the commune's local time
    resendable: bool


class Sending:
    """/console/envois: the outbox rows that need an agent's eye."""

    def __init__(self, ctx: ConsoleContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[Route]:
        return [
            Route(LIST, page(self.ctx, self.listing)),
            Route(f"{LIST}/{{notice:int}}/renvoyer", page(self.ctx, self.resend), methods=["POST"]),
        ]

    async def listing(self, request: Request, agent: AgentSession) -> Response:
        wanted = request.query_params.get("etat", "")
        statuses = (wanted,) if wanted in SHOWN else tuple(SHOWN)
        raw_page = request.query_params.get("page", "1")
        number = int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
        tz = self.ctx.desk.tz

        def load() -> tuple[int, list[Line], dict[str, int]]:
            with self.ctx.sessions() as db:
                counts = dict(
                    db.execute(
                        select(Notification.status, func.count())
                        .where(Notification.status.in_(tuple(SHOWN)))
                        .group_by(Notification.status)
                    ).all()
                )
                rows = db.scalars(
                    select(Notification)
                    .where(Notification.status.in_(statuses))
                    .order_by(Notification.id.desc())
                    .offset((number - 1) * PER_PAGE)
                    .limit(PER_PAGE)
                ).all()
                total = sum(counts.get(s, 0) for s in statuses)
                return total, [_line(n, tz) for n in rows], counts

        total, lines, counts = await run_in_threadpool(load)
        return render(
            self.ctx,
            request,
            agent,
            "envois.html",
            lines=lines,
            total=total,
            counts={SHOWN[s]: counts.get(s, 0) for s in SHOWN},
            statuses=list(SHOWN.items()),
            wanted=wanted,
            page=number,
            pages=max(1, -(-total // PER_PAGE)),
            done=request.query_params.get("fait"),
        )

    async def resend(self, request: Request, agent: AgentSession) -> Response:
        notice = int(request.path_params["notice"])

        def requeue() -> bool:
            with self.ctx.sessions.begin() as db:
                changed = db.execute(
                    update(Notification)
                    .where(Notification.id == notice, Notification.status.in_(RESENDABLE))
                    .values(
                        status="queued",
                        send_after=utcnow(),
                        attempts=0,
                        claimed_until=None,
                        started_at=None,
                        last_error=f"renvoi demandé par {agent.login}",
                    )
                )
                done = bool(getattr(changed, "rowcount", 0))
                if done:
                    audit(db, agent.agent_id, "notification.resend", str(notice), None)
                return done

        done = await run_in_threadpool(requeue)
        return RedirectResponse(f"{LIST}?fait={'renvoi' if done else 'rien'}", status_code=303)


def _line(n: Notification, tz: ZoneInfo) -> Line:
    conversation = n.conversation_id
    return Line(
        id=n.id,
        kind=n.kind,
        kind_label=NOTICE_KINDS.get(n.kind, n.kind),
        status=n.status,
        status_label=NOTICE_STATUSES.get(n.status, n.status),
        route=ROUTES.get(n.route, n.route or "—"),
        conversation=conversation,
        conversation_href=(
            "/console/conversations/" + quote(conversation, safe="") if conversation else None
        ),
        reference=n.reference,
        reason=n.last_error or "",
        at=n.created_at,
        at_label=local_time(n.created_at, tz),
        resendable=n.status in RESENDABLE,
    )
