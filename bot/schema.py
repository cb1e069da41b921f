"""Building blocks of the commune file's schema: strict models, weekly hours, closures."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.hours import DAYS, Range


class Strict(BaseModel):
    """Frozen, no unknown field, whitespace stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Week(Strict):
    """Opening ranges for each of the seven days."""

    lundi: tuple[Range, ...]
    mardi: tuple[Range, ...]
    mercredi: tuple[Range, ...]
    jeudi: tuple[Range, ...]
    vendredi: tuple[Range, ...]
    samedi: tuple[Range, ...]
    dimanche: tuple[Range, ...]

    @field_validator(*DAYS, mode="before")
    @classmethod
    def _ranges(cls, value: Any) -> tuple[Range, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError('une liste de plages est attendue, par exemple ["08:30-12:00"]')
        ranges = sorted(Range.parse(v) for v in value)
        for before, after in pairwise(ranges):
            if after.start < before.end:
                raise ValueError(f"les plages {before} et {after} se chevauchent")
        return tuple(ranges)

    def day(self, name: str) -> tuple[Range, ...]:
        ranges: tuple[Range, ...] = getattr(self, name)
        return ranges


# Where a closure applies, besides the resources named by their short name.
TOWN_HALL = "mairie"
WASTE_CENTRE = "dechetterie"
MAX_CLOSURE_DAYS = 366


class Closure(Strict):
    """An exceptional closure: one day (`du`) or the days `du` to `au`, with its reason."""

    du: date
    au: date | None = None
    raison: str = Field(min_length=1, max_length=200)  # « pont de l’Ascension »
    # "mairie", "dechetterie" or resource short names; none: the mairie and every resource.
    concerne: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _range(self) -> Closure:
        if self.au is not None and self.au < self.du:
            raise ValueError("la fin d’une fermeture (au) doit venir après son début (du)")
        if self.last - self.du >= timedelta(days=MAX_CLOSURE_DAYS):
            raise ValueError(f"une fermeture dure au plus {MAX_CLOSURE_DAYS} jours")
        return self

    @property
    def last(self) -> date:
        """The last closed day, included."""
        return self.au or self.du

    def covers(self, day: date, place: str) -> bool:
        """Whether this closure shuts `place` on `day`."""
        return self.du <= day <= self.last and (not self.concerne or place in self.concerne)


class Closures(Strict):
    """Public holidays (France; Alsace-Moselle adds two) and exceptional closures."""

    # Bas-Rhin, Haut-Rhin and Moselle: Good Friday and 26 December are holidays too.
    alsace_moselle: bool = False
    exceptionnelles: tuple[Closure, ...] = ()
