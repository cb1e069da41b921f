"""What every console page shares: the database, the commune, the calendar, the templates."""

from __future__ import annotations

from dataclasses import dataclass
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
