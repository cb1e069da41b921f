"""Console reports: the filtered list, one report with its history, and agents' status changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.audit import audit
from bot.db import utcnow
from bot.labels import local_time
from bot.report_records import OPEN_VALUES, ReportRow, SubscriberRow
from bot.report_values import STATES, Report, ReportError, ReportNotFound, Status
from bot.report_wording import public_text
from bot.territory import Territory
from bot.typography import french
from gateway.body import read_form
from gateway.console.auth import AgentSession, page, render
from gateway.console.base import ConsoleContext, elapsed

LIST = "/console/signalements"
PER_PAGE = 50
OPEN = "ouverts"  # the status filter that keeps every report still to be handled
CHANNELS = {"web": "chat web", "sms": "SMS", "telegram": "Telegram"}
AUTHORS = {"api": "API des agents", "open311": "Open311", "bot": "assistant"}


@dataclass(frozen=True)
class Line:
    """One report in the list."""

    reference: str
    href: str
    category: str
    place: str
    status: str
    state: str  # the status value, for a CSS modifier
    filed: str
    age: str


@dataclass(frozen=True)
class Step:
    """One change in a report's history."""

    at: str
    status: str
    by: str
    comment: str


def age(since: datetime, now: datetime) -> str:
    """ "il y a 12 min", "il y a 5 h 05", "il y a 3 j"."""
    return f"il y a {elapsed(since, now)}"


def local(instant: datetime, tz: ZoneInfo) -> str:
    return local_time(instant, tz)


def author(by: str) -> str:
    """Who made a change, as agents read it: "agent « marie »", "habitant (SMS)"."""
    kind, _, rest = by.partition(":")
    if kind == "agent" and rest:
        return french(f"agent « {rest} »")
    if kind in CHANNELS and rest:
        return f"habitant ({CHANNELS[kind]})"
    return AUTHORS.get(by, by)


def place(street: str | None, address: str | None, located: bool) -> str:
    said = [p for p in (street, address) if p]
    if said:
        return " — ".join(said)
    return "position GPS" if located else "lieu non précisé"


@dataclass(frozen=True)
class Filters:
    """The list's filters, each checked against the commune file ("" means all)."""

    status: str
    category: str
    street: str

    @classmethod
    def of(cls, query: Mapping[str, str], territory: Territory) -> Filters:
        status, category = query.get("etat", ""), query.get("categorie", "")
        street = query.get("rue", "")
        return cls(
            status if status == OPEN or status in set(Status) else "",
            category if category in territory.categories else "",
            street if street in {s.nom for s in territory.rues} else "",
        )

    def where(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if self.status == OPEN:
            conditions.append(ReportRow.status.in_(OPEN_VALUES))
        elif self.status:
            conditions.append(ReportRow.status == self.status)
        if self.category:
            conditions.append(ReportRow.category == self.category)
        if self.street:
            conditions.append(ReportRow.street == self.street)
        return conditions

    def link(self, number: int) -> str:
        values = {"etat": self.status, "categorie": self.category, "rue": self.street}
        values = {k: v for k, v in values.items() if v}
        if number > 1:
            values["page"] = str(number)
        return f"{LIST}?{urlencode(values)}" if values else LIST


class Reports:
    """The pages under /console/signalements."""

    def __init__(self, ctx: ConsoleContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[Route]:
        ctx = self.ctx
        return [
            Route(LIST, page(ctx, self.listing)),
            Route(f"{LIST}/{{reference}}/etat", page(ctx, self.change), methods=["POST"]),
            Route(f"{LIST}/{{reference}}/texte-public", page(ctx, self.publish), methods=["POST"]),
            Route(f"{LIST}/{{reference}}", page(ctx, self.detail)),
        ]

    def _territory(self) -> Territory:
        return self.ctx.commune.get().data.signalements

    async def listing(self, request: Request, agent: AgentSession) -> Response:
        territory = self._territory()
        filters = Filters.of(request.query_params, territory)
        raw = request.query_params.get("page", "1")
        number = int(raw) if raw.isdigit() and 0 < len(raw) < 6 and int(raw) > 0 else 1

        def load() -> tuple[int, list[Any]]:
            conditions = filters.where()
            with self.ctx.sessions() as session:
                total = session.scalar(select(func.count(ReportRow.id)).where(*conditions))
                rows = session.execute(
                    select(
                        ReportRow.reference,
                        ReportRow.category,
                        ReportRow.street,
                        ReportRow.address,
                        ReportRow.lat,
                        ReportRow.status,
                        ReportRow.created_at,
                    )
                    .where(*conditions)
                    .order_by(ReportRow.created_at.desc(), ReportRow.id.desc())
                    .offset((number - 1) * PER_PAGE)
                    .limit(PER_PAGE)
                ).all()
            return int(total or 0), list(rows)

        total, rows = await run_in_threadpool(load)
        now, tz = utcnow(), self.ctx.desk.tz
        names = {key: c.nom for key, c in territory.categories.items()}
        lines = [
            Line(
                reference=r.reference,
                href=f"{LIST}/{quote(r.reference)}",
                category=names.get(r.category, r.category),
                place=place(r.street, r.address, r.lat is not None),
                status=STATES[Status(r.status)],
                state=r.status,
                filed=local(r.created_at, tz),
                age=age(r.created_at, now),
            )
            for r in rows
        ]
        pages = max(1, -(-total // PER_PAGE))
        statuses = [(OPEN, "ouverts (à traiter)"), *((s.value, STATES[s]) for s in Status)]
        return render(
            self.ctx,
            request,
            agent,
            "signalements.html",
            lines=lines,
            total=total,
            page=number,
            pages=pages,
            previous=filters.link(number - 1) if number > 1 else None,
            following=filters.link(number + 1) if number < pages else None,
            filters=filters,
            statuses=statuses,
            categories=sorted(names.items(), key=lambda item: item[1]),
            streets=sorted(s.nom for s in territory.rues),
        )

    async def detail(
        self, request: Request, agent: AgentSession, status: int = 200, **extra: Any
    ) -> Response:
        reference = str(request.path_params["reference"])[:20]

        def load() -> tuple[Report, int]:
            report = self.ctx.reports.get(reference)
            with self.ctx.sessions() as session:
                followers = session.scalar(
                    select(func.count(SubscriberRow.id))
                    .join(ReportRow, ReportRow.id == SubscriberRow.report_id)
                    .where(ReportRow.reference == report.reference)
                )
            return report, int(followers or 0)

        try:
            report, followers = await run_in_threadpool(load)
        except ReportNotFound:
            message = french(f"Aucun signalement ne porte le numéro « {reference} ».")
            return render(
                self.ctx, request, agent, "erreur.html", 404,
                titre="Signalement introuvable", message=message,
            )  # fmt: skip
        tz = self.ctx.desk.tz
        category = self._territory().categories.get(report.category)
        history = [
            Step(local(c.at, tz), STATES[c.status], author(c.by), c.comment or "")
            for c in reversed(report.changes)
        ]
        if request.query_params.get("fait") == "etat":
            extra.setdefault("flash", french(f"État changé : « {STATES[report.status]} »."))
        if request.query_params.get("fait") == "texte":
            extra.setdefault("flash", "Texte public enregistré.")
        map_link = None
        if report.lat is not None and report.lon is not None:
            map_link = (
                f"https://www.openstreetmap.org/?mlat={report.lat:.6f}&mlon={report.lon:.6f}"
                f"#map=18/{report.lat:.6f}/{report.lon:.6f}"
            )
        return render(
            self.ctx,
            request,
            agent,
            "signalement.html",
            status,
            report=report,
            category=category.nom if category else report.category,
            # What Open311 shows instead of the resident's words (bot/report_wording.py).
            public=public_text(report, category.nom if category else report.category),
            status_name=STATES[report.status],
            place=place(report.street, report.address, report.lat is not None),
            map_link=map_link,
            photo=f"/api/photos/{report.photo_key}" if report.photo_key else None,
            filed=local(report.created_at, tz),
            age=age(report.created_at, utcnow()),
            history=history,
            followers=followers,
            choices=[(s.value, STATES[s]) for s in Status if s is not report.status],
            **extra,
        )

    async def change(self, request: Request, agent: AgentSession) -> Response:
        reference = str(request.path_params["reference"])[:20]
        form = await read_form(request)
        wanted = str(form.get("etat") or "")
        comment = str(form.get("commentaire") or "").strip()

        def change() -> Report:
            report = self.ctx.reports.change(
                reference, wanted, by=f"agent:{agent.login}", comment=comment or None
            )
            before = report.changes[-2].status.value if len(report.changes) > 1 else None
            # The store commits its own transaction (it queued the residents' notices in it):
            # the audit entry follows at once in the next one.
            with self.ctx.sessions.begin() as session:
                details = {"de": before, "vers": report.status.value, "commentaire": comment}
                audit(session, agent.agent_id, "report.status", report.reference, details)
            return report

        try:
            report = await run_in_threadpool(change)
        except ReportNotFound:
            return await self.detail(request, agent, 404)
        except ReportError as error:
            return await self.detail(
                request,
                agent,
                400,
                erreur=french(error.message),
                saisie={"etat": wanted, "c": comment},
            )
        return RedirectResponse(f"{LIST}/{quote(report.reference)}?fait=etat", 303)

    async def publish(self, request: Request, agent: AgentSession) -> Response:
        """An agent approves the text the public reads of a report (empty: the neutral one)."""
        reference = str(request.path_params["reference"])[:20]
        form = await read_form(request)
        wanted = str(form.get("texte") or "").strip()

        def publish() -> Report:
            report = self.ctx.reports.publish(reference, wanted or None)
            with self.ctx.sessions.begin() as session:
                audit(
                    session,
                    agent.agent_id,
                    "report.public_text",
                    report.reference,
                    {"texte": wanted},
                )
            return report

        try:
            report = await run_in_threadpool(publish)
        except ReportNotFound:
            return await self.detail(request, agent, 404)
        except ReportError as error:
            return await self.detail(request, agent, 400, erreur_public=french(error.message))
        return RedirectResponse(f"{LIST}/{quote(report.reference)}?fait=texte", 303)


def routes(ctx: ConsoleContext) -> list[Route]:
    """/console/signalements and /console/signalements/{reference} (with its status form)."""
    return Reports(ctx).routes()
