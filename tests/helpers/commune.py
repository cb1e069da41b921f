"""Builders of commune variants: Clairval with other closures or holiday rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.commune import Commune, load_commune
from bot.schema import Closure, Closures
from bot.settings import ROOT

DEMO_COMMUNE = ROOT / "communes" / "clairval.yml"


def clairval(
    *closures: Closure, alsace_moselle: bool = False, open_on_holidays: tuple[str, ...] = ()
) -> Commune:
    """Clairval with only these exceptional closures, and these resources open on holidays."""
    demo = load_commune(DEMO_COMMUNE)
    resources = {
        slug: entry.model_copy(update={"ouvert_jours_feries": slug in open_on_holidays})
        for slug, entry in demo.data.ressources.items()
    }
    fermetures = Closures(alsace_moselle=alsace_moselle, exceptionnelles=closures)
    data = demo.data.model_copy(update={"fermetures": fermetures, "ressources": resources})
    return Commune(data, demo.path)


def closure(first: date, reason: str, last: date | None = None, **more: Any) -> Closure:
    """An exceptional closure as the commune file writes it."""
    return Closure.model_validate({"du": first, "au": last, "raison": reason, **more})
