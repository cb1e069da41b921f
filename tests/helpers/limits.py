"""Builders for the limits tests: Clairval's file with other rates, ID appointment bodies."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from bot.settings import ROOT
from tests.helpers.bookings import at, booking, requester, weekday

DEMO_COMMUNE = ROOT / "communes" / "clairval.yml"


def commune_with(folder: Path, **envois: dict[str, str]) -> Path:
    """A copy of Clairval's file whose rates of public writes are `envois` (the others
    unlimited), e.g. messages={"par_conversation": "2/minute"}."""
    data = yaml.safe_load(DEMO_COMMUNE.read_text(encoding="utf-8"))
    data["limites"]["envois"] = envois
    path = folder / "commune.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def appointments(count: int, **who: Any) -> list[dict[str, Any]]:
    """`count` ID appointment bodies on distinct slots (Tuesdays and Thursdays from four
    weeks ahead), each by another resident unless `who` says otherwise."""
    bodies = []
    for n in range(count):
        week, rest = divmod(n, 16)
        day = weekday(1 if rest < 8 else 3, 4 + week)
        start = at(day, 9) + timedelta(minutes=20 * (rest % 8))
        end = start + timedelta(minutes=20)
        person = requester(**{"name": f"Habitant {n}", "phone": f"+3361000{n:04d}", **who})
        bodies.append(booking("rdv-titres", start.isoformat(), end.isoformat(), requester=person))
    return bodies
