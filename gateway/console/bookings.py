"""Console bookings: approvals with a reason to refuse, agents' cancellations, the week grid."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.audit import audit
from bot.booking import euros, say_period, what
from bot.db import utcnow
from bot.labels import BOOKING_STATUSES, local_time
from bot.outbox import booking_notices
from bot.resources import REQUESTER_NAMES
from bot.typography import french
from calendar_store.ledger import After
from calendar_store.records import booking_of
from calendar_store.spec import (
    LIVE,
    Booking,
    BookingNotFound,
    BookingRefused,
    Kind,
    ResourceSpec,
    Status,
    WrongState,
)
from calendar_store.tables import BookingRow
from calendar_store.wording import day as say_day
from calendar_store.wording import hour, span
from gateway.body import read_form
from gateway.console.auth import AgentSession, page, render
from gateway.console.base import ConsoleContext

LIST = "/console/reservations"
PER_PAGE = 50
MAX_REASON = 1000
_REFERENCE = re.compile(r"[A-Z]{2,4}-[A-Z0-9]{2,12}")
DONE = {
    "approuvee": "La réservation {ref} est approuvée : le demandeur en est informé.",
    "refusee": "La réservation {ref} est refusée : le demandeur en est informé, avec la raison.",
    "annulee": "La réservation {ref} est annulée : le demandeur en est informé.",
}
# What each form does: the audited action, and the confirmation shown after it.
ACTIONS = {
    "approuver": ("booking.approve", "approuvee"),
    "refuser": ("booking.reject", "refusee"),
    "annuler": ("booking.cancel", "annulee"),
}
UNKNOWN_RESOURCE = french(
    "Cette ressource n’existe pas (ou plus) : choisissez-en une dans la liste."
)
FAILED = {
    "introuvable": "Aucune réservation ne porte le numéro {ref}.",
    "deja_traitee": "La réservation {ref} a déjà été traitée (ou annulée) entre-temps.",
}


@dataclass(frozen=True)
class Line:
    """One booking as the list shows it."""

    reference: str
    what: str
    when: str
    name: str
    requester: str
    association: str
    phone: str
    email: str
    price: str
    deposit: str
    status: str
    asked: str


def when(instant: datetime, tz: ZoneInfo) -> str:
    """A local date and time, short: "12/03/2026 à 14:05"."""
    return local_time(instant, tz)


def line(booking: Booking, specs: dict[str, ResourceSpec], tz: ZoneInfo) -> Line:
    spec = specs.get(booking.resource)
    contact = booking.contact
    return Line(
        reference=booking.reference,
        # A resource removed from the commune file keeps its bookings: say them plainly.
        what=what(spec, booking.quantity) if spec else booking.resource,
        when=say_period(spec, booking.start, booking.end, tz)
        if spec
        else span(booking.start, booking.end, tz),
        name=contact.name,
        requester=REQUESTER_NAMES.get(contact.type, str(contact.type)),
        association=contact.association or "",
        phone=contact.phone or "",
        email=contact.email or "",
        price=euros(booking.price),
        deposit=euros(booking.deposit),
        status=BOOKING_STATUSES[booking.status],
        asked=when(booking.created_at, tz),
    )


def notifying(ctx: ConsoleContext, agent: AgentSession, action: str, **details: Any) -> After:
    """The store's `after` hook: the resident's notice, and the audit entry, in the change's
    own transaction (both are written with it or not at all)."""
    notices = booking_notices(ctx.desk.tz)

    def after(session: Session, booking: Booking) -> None:
        notices(session, booking)
        audit(session, agent.agent_id, action, booking.reference, details or None)

    return after


def _number(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 6 else 1


def _upcoming(
    ctx: ConsoleContext, specs: dict[str, ResourceSpec], number: int
) -> tuple[list[Line], int]:
    alive = (BookingRow.status == Status.CONFIRMED.value, BookingRow.ends_at > utcnow())
    with ctx.sessions() as session:
        total = int(session.scalar(select(func.count()).where(*alive)) or 0)
        rows = session.scalars(
            select(BookingRow)
            .where(*alive)
            .order_by(BookingRow.starts_at, BookingRow.id)
            .offset((number - 1) * PER_PAGE)
            .limit(PER_PAGE)
        ).all()
        bookings = [booking_of(r) for r in rows]
    return [line(b, specs, ctx.desk.tz) for b in bookings], total


class Bookings:
    """The pages under /console/reservations."""

    def __init__(self, ctx: ConsoleContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[Route]:
        ctx = self.ctx
        return [
            Route(LIST, page(ctx, self.listing)),
            Route(f"{LIST}/calendrier", page(ctx, self.calendar)),
            Route(f"{LIST}/{{reference}}/{{action}}", page(ctx, self.act), methods=["POST"]),
        ]

    async def listing(
        self, request: Request, agent: AgentSession, status: int = 200, **extra: Any
    ) -> Response:
        number = _number(request.query_params.get("page"))
        tz = self.ctx.desk.tz

        def load() -> tuple[list[Line], list[Line], int]:
            store = self.ctx.desk.store()
            specs = {s.slug: s for s in store.specs()}
            # The longest waiting first: requests are answered in the order they came.
            pending = sorted(store.pending(), key=lambda b: (b.created_at, b.reference))
            upcoming, total = _upcoming(self.ctx, specs, number)
            return [line(b, specs, tz) for b in pending], upcoming, total

        pending, upcoming, total = await run_in_threadpool(load)
        ref = request.query_params.get("ref", "")
        ref = ref if _REFERENCE.fullmatch(ref) else ""
        context: dict[str, Any] = {}
        done = DONE.get(request.query_params.get("fait", ""))
        if done and ref:
            context["flash"] = french(done.format(ref=ref))
        failed = FAILED.get(request.query_params.get("erreur", ""))
        if failed and ref:
            context["erreur"] = french(failed.format(ref=ref))
        context.update(extra)
        pages = max(1, -(-total // PER_PAGE))
        return render(
            self.ctx,
            request,
            agent,
            "reservations.html",
            status,
            pending=pending,
            upcoming=upcoming,
            total=total,
            page=min(number, pages),
            pages=pages,
            **context,
        )

    async def act(self, request: Request, agent: AgentSession) -> Response:
        reference, action = _reference(request), str(request.path_params["action"])
        if action not in ACTIONS:
            return render(self.ctx, request, agent, "erreur.html", 404, titre="Page introuvable",
                          message="Cette action n’existe pas.")  # fmt: skip
        reason = ""
        if action == "refuser":
            reason = str((await read_form(request)).get("raison") or "").strip()
            problem = None
            if not reason:
                problem = "Indiquez la raison du refus : elle sera transmise au demandeur."
            elif len(reason) > MAX_REASON:
                problem = f"La raison est trop longue ({MAX_REASON} caractères au plus)."
            if problem:
                return await self.listing(
                    request, agent, 400, erreur=french(problem), refus=reference
                )
        code, done = ACTIONS[action]
        by = f"agent:{agent.login}"

        def work() -> None:
            store = self.ctx.desk.store()
            if action == "approuver":
                store.approve(reference, by=by, after=notifying(self.ctx, agent, code))
                return
            if action == "refuser":
                after = notifying(self.ctx, agent, code, raison=reason)
                store.reject(reference, by=by, reason=reason, after=after)
                return
            store.cancel(reference, by=by, staff=True, after=notifying(self.ctx, agent, code))

        try:
            await run_in_threadpool(work)
        except BookingNotFound:
            return _back(erreur="introuvable", ref=reference)
        except WrongState:
            return _back(erreur="deja_traitee", ref=reference)
        return _back(fait=done, ref=reference)

    async def calendar(self, request: Request, agent: AgentSession) -> Response:
        tz = self.ctx.desk.tz
        monday = _monday(request.query_params.get("semaine"), self.ctx.desk.today())
        wanted = request.query_params.get("ressource", "")

        def load() -> tuple[list[ResourceSpec], ResourceSpec | None, list[Booking]]:
            store = self.ctx.desk.store()
            specs = store.specs()
            try:
                spec = store.spec(wanted) if wanted else specs[0]
            except (BookingRefused, IndexError):
                return specs, None, []
            start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
            end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=tz)
            with self.ctx.sessions() as session:
                rows = session.scalars(
                    select(BookingRow)
                    .where(
                        BookingRow.resource == spec.slug,
                        BookingRow.status.in_([s.value for s in LIVE]),
                        # A lapsed hold stays "held" until the next write on its resource.
                        or_(BookingRow.hold_until.is_(None), BookingRow.hold_until > utcnow()),
                        BookingRow.starts_at < end,
                        BookingRow.ends_at > start,
                    )
                    .order_by(BookingRow.starts_at, BookingRow.id)
                ).all()
                return specs, spec, [booking_of(r) for r in rows]

        specs, spec, bookings = await run_in_threadpool(load)
        if spec is None:
            return render(
                self.ctx, request, agent, "calendrier.html", 404, resources=specs, spec=None,
                erreur=UNKNOWN_RESOURCE,
                week=None, days=[],
            )  # fmt: skip
        days = week_grid(spec, bookings, monday, tz)
        link = f"{LIST}/calendrier?"
        return render(
            self.ctx,
            request,
            agent,
            "calendrier.html",
            resources=specs,
            spec=spec,
            week=f"semaine du {say_day(monday)} {monday.year}",
            monday=monday.isoformat(),
            previous=link + urlencode({"ressource": spec.slug, "semaine": _iso(monday, -7)}),
            following=link + urlencode({"ressource": spec.slug, "semaine": _iso(monday, 7)}),
            days=days,
        )


@dataclass(frozen=True)
class Item:
    """One booking inside one day of the week grid."""

    reference: str
    hours: str
    name: str
    what: str  # equipment: "40 chaises"; empty otherwise
    status: str
    state: str  # the status value, for a CSS modifier


@dataclass(frozen=True)
class Day:
    """One row of the week grid."""

    label: str
    iso: str
    closed: bool
    items: list[Item]
    lent: str  # equipment: how much of the stock is out that day
    why: str = ""  # a public holiday or an exceptional closure


def week_grid(spec: ResourceSpec, bookings: list[Booking], monday: date, tz: ZoneInfo) -> list[Day]:
    """Seven rows, Monday first: each day's bookings with their hours on that day."""
    open_days = {w.weekday for w in spec.windows}
    equipment = spec.kind is Kind.EQUIPMENT
    days: list[Day] = []
    for offset in range(7):
        current = monday + timedelta(days=offset)
        begin = datetime.combine(current, datetime.min.time(), tzinfo=tz)
        end = datetime.combine(current + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        items = [
            Item(
                b.reference,
                _hours(max(b.start, begin), min(b.end, end), begin, end, tz),
                b.contact.name,
                what(spec, b.quantity) if equipment else "",
                BOOKING_STATUSES[b.status],
                str(b.status),
            )
            for b in bookings
            if b.start < end and b.end > begin
        ]
        out = sum(b.quantity for b in bookings if b.start < end and b.end > begin)
        lent = f"réservation\u00a0: {out} sur {spec.stock}" if equipment and out else ""
        why = spec.closed.get(current, "")
        closed = current.weekday() not in open_days or bool(why)
        label = f"{say_day(current)} {current.year}"
        days.append(Day(label, current.isoformat(), closed, items, lent, why))
    return days


def _hours(start: datetime, end: datetime, begin: datetime, finish: datetime, tz: ZoneInfo) -> str:
    if start <= begin and end >= finish:
        return "toute la journée"
    last = "minuit" if end >= finish else hour(end.astimezone(tz))
    return f"de {hour(start.astimezone(tz))} à {last}"


def _monday(value: str | None, today: date) -> date:
    try:
        chosen = date.fromisoformat(value or "")
    except ValueError:
        chosen = today
    if not 2000 <= chosen.year <= 2100:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def _iso(monday: date, days: int) -> str:
    return (monday + timedelta(days=days)).isoformat()


def _reference(request: Request) -> str:
    return str(request.path_params["reference"]).strip().upper()[:20]


def _back(**query: str) -> RedirectResponse:
    return RedirectResponse(f"{LIST}?{urlencode(query)}", 303)


def routes(ctx: ConsoleContext) -> list[Route]:
    """/console/reservations, its actions and /console/reservations/calendrier."""
    return Bookings(ctx).routes()
