"""Closed days: French public holidays (Alsace-Moselle as an option) and exceptional closures."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import holidays

from bot.schema import Closures

# The holidays package's French names, as a sentence says them (« le lundi de Pâques »).
_NAMES = {
    "Jour de l'an": "jour de l’An",
    "Vendredi saint": "Vendredi saint",
    "Lundi de Pâques": "lundi de Pâques",
    "Fête du Travail": "fête du Travail",
    "Ascension": "Ascension",
    "Fête de la Victoire": "fête de la Victoire",
    "Lundi de Pentecôte": "lundi de Pentecôte",
    "Fête nationale": "fête nationale",
    "Assomption": "Assomption",
    "Toussaint": "Toussaint",
    "Armistice": "Armistice",
    "Noël": "Noël",
    "Saint Étienne": "Saint-Étienne",
}


class Why(StrEnum):
    """Why a place is closed on a day it usually opens."""

    HOLIDAY = "holiday"
    CLOSURE = "closure"


@dataclass(frozen=True)
class Closed:
    """A closed day: a public holiday (its name) or an exceptional closure (its reason)."""

    why: Why
    name: str  # « lundi de Pâques », « pont de l’Ascension »


@functools.cache
def _calendar(year: int, alsace_moselle: bool) -> dict[date, str]:
    found = holidays.country_holidays(
        "FR", subdiv="57" if alsace_moselle else None, years=year, language="fr"
    )
    return {day: _say(str(name)) for day, name in found.items()}


def _say(name: str) -> str:
    # Two holidays may share a day (1 May 2008 was Ascension too): the package joins them.
    return " et ".join(_NAMES.get(part.strip(), part.strip()) for part in name.split(";"))


def holiday(day: date, *, alsace_moselle: bool = False) -> str | None:
    """The French public holiday on `day` (« lundi de Pâques »), or None."""
    return _calendar(day.year, alsace_moselle).get(day)


def closure(
    closures: Closures, day: date, place: str, *, open_on_holidays: bool = False
) -> Closed | None:
    """Why `place` (mairie, dechetterie or a resource's short name) is closed on `day`, if it is.

    An exceptional closure wins over a holiday: it is what the commune wrote for that day.
    """
    for item in closures.exceptionnelles:
        if item.covers(day, place):
            return Closed(Why.CLOSURE, item.raison)
    name = None if open_on_holidays else holiday(day, alsace_moselle=closures.alsace_moselle)
    return None if name is None else Closed(Why.HOLIDAY, name)


def closed_days(
    closures: Closures, place: str, years: range, *, open_on_holidays: bool = False
) -> dict[date, Closed]:
    """Every closed day of `place` over `years`, and exceptional closures whatever their year."""
    found: dict[date, Closed] = {}
    if not open_on_holidays:
        for year in years:
            for day, name in _calendar(year, closures.alsace_moselle).items():
                found[day] = Closed(Why.HOLIDAY, name)
    for item in closures.exceptionnelles:
        if not item.concerne or place in item.concerne:
            day = item.du
            while day <= item.last:
                found[day] = Closed(Why.CLOSURE, item.raison)
                day = date.fromordinal(day.toordinal() + 1)
    return found
