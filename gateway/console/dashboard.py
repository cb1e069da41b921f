"""The console dashboard: activity, autonomy, topics, misses, occupancy and time to resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import console_stats as stats
from bot.catalogue import ANSWERS, REPLIES
from bot.names import Intent
from bot.typography import NBSP
from gateway.console.auth import AgentSession, page, render
from gateway.console.base import ConsoleContext

ACTIVITY_DAYS = 14
OCCUPANCY_DAYS = 30
RESOLUTION_DAYS = 90
CHANNELS = {"web": "Chat web", "sms": "SMS", "telegram": "Telegram"}
# Topics that are not an answer of the commune file.
TOPICS = {
    "reformuler": "Non compris (reformulation demandée)",
    "hors_sujet": "Hors sujet",
    "out_of_scope": "Hors sujet",
    "agent": "Demande d’un agent",
    "horaires_week_end": "Horaires du week-end",
    "horaires_midi": "Horaires du midi",
    "prix_papiers_identite": "Prix des papiers d’identité",
    "acte_naissance": "Acte de naissance",
    "listes_electorales": "Listes électorales",
    "carte_grise": "Carte grise",
    "bonjour": "Salutations",
    "merci": "Remerciements",
    "au_revoir": "Au revoir",
    "d_accord": "Oui, non, stop",
    "book": "Réservation",
    "my_bookings": "Mes réservations",
    "cancel_booking": "Annulation d’une réservation",
    "report_problem": "Signalement",
    "report_status": "Suivi d’un signalement",
    "my_reports": "Mes signalements",
    "still_broken": "Problème toujours présent",
    "request_human": "Demande d’un agent",
    "nlu_fallback": "Non compris",
}
UNITS = {"jours": "jours", "heures": "heures", "objets-jours": "objets × jours (stock)"}


@dataclass(frozen=True)
class Figures:
    """Everything the page shows, read in one database session."""

    days: list[stats.DayActivity]
    autonomy: stats.Autonomy
    topics: list[stats.TopicCount]
    misses: list[stats.Miss]
    occupancy: list[stats.Occupancy]
    resolution: stats.Resolution


def percent(share: float | None) -> str:
    """ "66,7 %" (French decimal comma, non-breaking space); "—" when there is nothing."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}".replace(".", ",").removesuffix(",0") + f"{NBSP}%"


def number(value: float) -> str:
    """ "6 000", "42,7" (French separators)."""
    return f"{value:,.1f}".replace(",", NBSP).replace(".", ",").removesuffix(",0")


def duration(span: timedelta | None) -> str:
    """ "2 j 4 h", "3 h 20 min", "12 min"; "—" when there is none."""
    if span is None:
        return "—"
    minutes = int(span.total_seconds() // 60)
    days, hours, rest = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return f"{days}{NBSP}j{NBSP}{hours}{NBSP}h"
    if hours:
        return f"{hours}{NBSP}h{NBSP}{rest:02d}{NBSP}min"
    return f"{rest}{NBSP}min"


def topic_name(topic: str, titles: dict[str, str]) -> str:
    """The French name of a topic: an intent, or the key of one of the commune's answers."""
    key = topic
    if topic in set(Intent):
        key = ANSWERS.get(Intent(topic)) or REPLIES.get(Intent(topic)) or topic
    return titles.get(key) or TOPICS.get(key) or key.replace("_", " ").capitalize()


def _figures(ctx: ConsoleContext, tz: ZoneInfo) -> Figures:
    today = ctx.desk.today()
    specs = ctx.desk.store().specs()
    fortnight = stats.Span.days(ACTIVITY_DAYS, today, tz)
    with ctx.sessions() as session:
        return Figures(
            days=stats.conversations_per_day(session, fortnight, tz),
            autonomy=stats.autonomy(session, fortnight),
            topics=stats.top_topics(session, fortnight, limit=15),
            misses=stats.unanswered(session, fortnight, limit=30),
            occupancy=stats.occupancy(
                session, specs, stats.Span.days(OCCUPANCY_DAYS, today, tz), tz
            ),
            resolution=stats.resolution(session, stats.Span.days(RESOLUTION_DAYS, today, tz)),
        )


async def dashboard(ctx: ConsoleContext, request: Request, agent: AgentSession) -> Response:
    tz = ctx.desk.tz
    figures = await run_in_threadpool(_figures, ctx, tz)
    titles = dict(ctx.commune.get().data.sujets)
    seen = {c for d in figures.days for c in d.channels}
    channels = [c for c in CHANNELS if c in seen] + sorted(seen - set(CHANNELS))
    busiest = max((d.total for d in figures.days), default=0)
    most = max((t.answers for t in figures.topics), default=0)
    return render(
        ctx,
        request,
        agent,
        "tableau.html",
        activity_days=ACTIVITY_DAYS,
        occupancy_days=OCCUPANCY_DAYS,
        resolution_days=RESOLUTION_DAYS,
        channels=[(c, CHANNELS.get(c, c)) for c in channels],
        days=[
            {
                "label": d.day.strftime("%d/%m"),
                "iso": d.day.isoformat(),
                "counts": [d.channels.get(c, 0) for c in channels],
                "total": d.total,
            }
            for d in figures.days
        ],
        busiest=busiest or 1,
        autonomy=figures.autonomy,
        autonomy_share=percent(figures.autonomy.share),
        topics=[(topic_name(t.topic, titles), t.topic, t.answers) for t in figures.topics],
        most=most or 1,
        misses=[
            (m.text, m.times, m.last_at.astimezone(tz).strftime("%d/%m à %H:%M"))
            for m in figures.misses
        ],
        occupancy=[
            {
                "name": o.name[:1].upper() + o.name[1:],
                "booked": number(o.booked),
                "available": number(o.available),
                "unit": UNITS.get(o.unit, o.unit),
                "rate": o.rate,
                "percent": percent(o.rate),
            }
            for o in figures.occupancy
        ],
        resolution=figures.resolution,
        median=duration(figures.resolution.median),
    )


def routes(ctx: ConsoleContext) -> list[Route]:
    """/console/tableau-de-bord."""

    async def handler(request: Request, agent: AgentSession) -> Response:
        return await dashboard(ctx, request, agent)

    return [Route("/console/tableau-de-bord", page(ctx, handler))]
