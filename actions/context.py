"""What every action shares: the commune file and the calendar, opened lazily from the settings."""

from __future__ import annotations

import threading
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.commune import Commune, CommuneStore
from bot.db import make_engine, utcnow
from bot.handoff import Handoffs
from bot.reports import ReportStore, commune_notices
from bot.settings import Settings, load_settings
from calendar_store.spec import ResourceSpec
from calendar_store.store import Store


@cache
def settings() -> Settings:
    """The settings, read once."""
    return load_settings()


@cache
def _communes() -> CommuneStore:
    return CommuneStore(settings().commune_file)


def commune() -> Commune:
    """The commune as the file says now (edits apply without a restart)."""
    return _communes().get()


def zone() -> ZoneInfo:
    """The commune's time zone."""
    return ZoneInfo(commune().data.fuseau_horaire)


def local_now() -> datetime:
    """The commune's local now, against which residents' dates are understood."""
    return utcnow().astimezone(zone())


@cache
def engine() -> Engine:
    """The application database, shared by the calendar and the reports."""
    return make_engine(settings().database_url)


@cache
def handoffs() -> Handoffs:
    """Which conversations are with the agents (shared with the gateway through the database)."""
    return Handoffs(engine())


@cache
def reports() -> ReportStore:
    """The street reports; their notices are worded by the commune file."""
    territory = lambda: commune().data.signalements  # noqa: E731  (reread at each use)
    return ReportStore(engine(), territory, notices=commune_notices(commune))


_calendar_lock = threading.Lock()
_calendar: tuple[tuple[ResourceSpec, ...], Store] | None = None


def calendar() -> Store:
    """The calendar store over the commune's resources, rebuilt when the file changes them."""
    global _calendar
    specs = commune().resources()
    with _calendar_lock:
        if _calendar is None or _calendar[0] != specs:
            store = Store(engine(), specs, tz=zone(), clock=utcnow)
            store.sync()
            _calendar = (specs, store)
        return _calendar[1]
