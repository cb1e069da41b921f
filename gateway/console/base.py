"""What every console page shares: the database, the commune, the calendar, the templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.commune import CommuneStore
from bot.db import make_session_factory
from bot.reports import ReportStore
from bot.settings import Settings
from gateway.bookings import Desk

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "console"


def elapsed(since: datetime, now: datetime) -> str:
    """ "12 min", "5 h 05", "3 j": how long ago (waiting times, reports' age)."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}\u00a0min"
    if minutes < 24 * 60:
        return f"{minutes // 60}\u00a0h\u00a0{minutes % 60:02d}"
    return f"{minutes // (24 * 60)}\u00a0j"


def environment() -> Environment:
    """Autoescaped HTML templates: resident text is always escaped."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass
class ConsoleContext:
    """Built once by the gateway; pages read what they need from it (nothing connects here)."""

    engine: Engine
    commune: CommuneStore
    settings: Settings
    desk: Desk  # desk.store() is the calendar Store (blocking: call it in a thread)
    reports: ReportStore
    templates: Environment

    @property
    def sessions(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @property
    def secure_cookies(self) -> bool:
        return self.settings.public_url.startswith("https://")

    def globals(self) -> dict[str, Any]:
        return {"commune": self.commune.get().name}
