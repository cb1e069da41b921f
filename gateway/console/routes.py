"""All the console's routes, over one context built by the gateway."""

from __future__ import annotations

from sqlalchemy import Engine
from starlette.routing import BaseRoute

from bot.commune import CommuneStore
from bot.handoff import Handoffs
from bot.reports import ReportStore
from bot.settings import Settings
from bot.transcript import Transcript
from gateway.bookings import Desk
from gateway.console import auth, bookings, dashboard
from gateway.console import reports as report_pages
from gateway.console.base import ConsoleContext, environment
from gateway.console.conversations import Conversations
from gateway.console.sending import Sending


def console_routes(
    engine: Engine,
    commune: CommuneStore,
    settings: Settings,
    desk: Desk,
    reports: ReportStore,
    handoffs: Handoffs,
    transcript: Transcript,
) -> list[BaseRoute]:
    """/console: sign-in and accounts, the queue and conversations, bookings, reports, figures."""
    ctx = ConsoleContext(engine, commune, settings, desk, reports, environment())
    return [
        *auth.routes(ctx),
        *Conversations(ctx, handoffs, transcript).routes(),
        *bookings.routes(ctx),
        *report_pages.routes(ctx),
        *dashboard.routes(ctx),
        *Sending(ctx).routes(),
    ]
