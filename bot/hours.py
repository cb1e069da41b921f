"""Weekly opening hours: parsed from "08:30-12:00" ranges and said in French."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import time

DAYS: tuple[str, ...] = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True, order=True)
class Range:
    """A half-open opening range [start, end) within one day."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> Range:
        """Parse "08:30-12:00"; raise ValueError with a French reason otherwise."""
        parts = text.replace(" ", "").split("-")
        if len(parts) != 2:
            raise ValueError(f"« {text} » : une plage s’écrit début-fin, par exemple 08:30-12:00")
        try:
            start, end = (time.fromisoformat(p) for p in parts)
        except ValueError:
            raise ValueError(f"« {text} » : heure illisible (format attendu HH:MM)") from None
        if end <= start:
            raise ValueError(f"« {text} » : la fin doit être après le début")
        return cls(start, end)

    def __str__(self) -> str:
        return f"de {say_time(self.start)} à {say_time(self.end)}"


def say_time(value: time) -> str:
    """8:30 -> "8h30", 12:00 -> "12h"."""
    return f"{value.hour}h{value.minute:02d}" if value.minute else f"{value.hour}h"


def say_ranges(ranges: Sequence[Range]) -> str:
    """ "de 8h30 à 12h et de 13h30 à 17h30"; "fermé" for a day without any range."""
    if not ranges:
        return "fermé"
    return _join([str(r) for r in ranges])


def say_week(week: Mapping[str, Sequence[Range]]) -> str:
    """Group days with the same hours: "du lundi au vendredi de … ; le samedi de …"."""
    groups: list[tuple[list[int], tuple[Range, ...]]] = []
    for index, day in enumerate(DAYS):
        ranges = tuple(week.get(day, ()))
        if not ranges:
            continue
        for days, same in groups:
            if same == ranges:
                days.append(index)
                break
        else:
            groups.append(([index], ranges))
    if not groups:
        return "jamais"
    return " ; ".join(f"{_say_days(days)} {say_ranges(ranges)}" for days, ranges in groups)


def _say_days(days: list[int]) -> str:
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"du {DAYS[days[0]]} au {DAYS[days[-1]]}"
    return _join([f"le {DAYS[d]}" for d in days])


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]
