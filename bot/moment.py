"""When a resident wants a resource, read from one message in the middle of a booking: the day,
the hours, or a part of the day, relative to the day already being discussed.

« de 18h à 20h » after « le 5 janvier » is the 5th of January; « le soir » at a hall open until
23h is 18h–23h; « toute la journée » is its opening hours; « jusqu'à 20h » or « pour 2 heures »
completes a start already given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.answers import plain
from bot.dates import When, understand

# What a part of the day means for a booking (minutes since midnight, [start, end)).
PARTS = {
    "matin": (8 * 60, 12 * 60),
    "midi": (12 * 60, 14 * 60),
    "apres midi": (14 * 60, 18 * 60),
    "soir": (18 * 60, 24 * 60),
}
_WHOLE_DAY = re.compile(
    r"\b(?:toute la journee|toute la journe|toute la jounee|la journee entiere|"
    r"journee entiere|journee complete|la journee complete|toute une journee|tout le jour|"
    r"la journee|une journee|de l ouverture a la fermeture|toute la soiree|tte la journee)\b"
)
_PART_WORDS = (
    (re.compile(r"\b(?:apres midi|apres midis|aprem|aprem s|apresmidi|a m)\b"), "apres midi"),
    (re.compile(r"\b(?:soir|soiree|en soiree|le soir)\b"), "soir"),
    (re.compile(r"\b(?:matin|matinee|le matin)\b"), "matin"),
    (re.compile(r"\b(?:entre midi et deux|entre midi et 2|a l heure du dejeuner)\b"), "midi"),
)
_DURATION = re.compile(
    r"\b(?:pour|pendant|durant|sur)?\s*(\d{1,2}|une|deux|trois|quatre|cinq|six)\s*"
    r"(?:h|heures?)(?:\s*(\d{2}))?\b(?!\s*(?:du|de|le|a)\b)"
)
_NUMBERS = {"une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}


@dataclass(frozen=True)
class Said:
    """What one message says about when: any part may be missing."""

    day: date | None = None
    start: time | None = None
    end: time | None = None  # time(0) with a start: midnight at the end of the day
    part: tuple[int, int] | None = None  # a part of the day, in minutes
    whole_day: bool = False

    @property
    def hours(self) -> bool:
        return self.start is not None or self.part is not None or self.whole_day


def read(text: str, now: datetime, on: date | None = None) -> Said | None:
    """What `text` says about when, relative to local `now` and the day being discussed."""
    words = plain(text)
    whole = _WHOLE_DAY.search(words) is not None
    when = understand(text, now, on=on)
    if when is None:
        if whole:
            return Said(day=on, whole_day=True)
        return None
    day = _day(when, on)
    if whole:
        return Said(day=day, whole_day=True)
    if when.vague:  # « le soir »; « de 6h à 8h du soir » is hours
        part = _part_of(words)
        return Said(day=day, part=PARTS[part] if part else _minutes(when))
    if not when.has_time:
        return Said(day=day) if day is not None else None
    start: time | None = when.start.time().replace(second=0, microsecond=0)
    end: time | None = None
    if when.end is not None:
        end = when.end.time().replace(second=0, microsecond=0)
        if when.start.date() == when.end.date() and start == time(0) and end != time(0):
            start = None  # « jusqu'à 20h »: only an end was said
    if start is not None and start == time(0) and when.end is None and "minuit" not in words:
        return Said(day=day) if day is not None else None
    return Said(day=day, start=start, end=end)


def _day(when: When, on: date | None) -> date | None:
    """The day said, or the day being discussed when only hours were said."""
    if when.dated:
        if when.grain in ("week", "month", "year") and when.end is not None:
            return None  # « cette semaine », « en mars »: not one day yet
        return when.start.date()
    return on


def _part_of(words: str) -> str | None:
    for pattern, part in _PART_WORDS:
        if pattern.search(words):
            return part
    return None


def _minutes(when: When) -> tuple[int, int]:
    start = when.start.hour * 60 + when.start.minute
    end = (
        24 * 60
        if when.end is None or when.end.date() > when.start.date()
        else (when.end.hour * 60 + when.end.minute)
    )
    return start, end


def duration(text: str) -> timedelta | None:
    """« pour 2 heures », « 3h », « deux heures »: a length, when nothing else says an end."""
    match = _DURATION.search(plain(text))
    if match is None:
        return None
    raw = match.group(1)
    hours = int(raw) if raw.isdigit() else _NUMBERS[raw]
    minutes = int(match.group(2) or 0)
    if not 0 < hours <= 12:
        return None
    return timedelta(hours=hours, minutes=minutes)
