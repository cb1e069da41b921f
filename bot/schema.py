"""Building blocks of the commune file's schema: strict models and weekly opening hours."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

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
