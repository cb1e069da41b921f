"""The clocks conversations run at: the real one, and frozen starts at awkward moments."""

from __future__ import annotations

import time as timer
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class ClockSpec:
    """Where every process's clock starts (GUICHET_CLOCK_START); None: the real clock."""

    key: str
    label: str
    start: datetime | None = None

    def env(self) -> dict[str, str]:
        return {} if self.start is None else {"GUICHET_CLOCK_START": self.start.isoformat()}


REAL = ClockSpec("reel", "horloge réelle")
SATURDAY_NIGHT = ClockSpec(
    "samedi-23h50", "samedi 5 décembre 2026 à 23 h 50", datetime(2026, 12, 5, 23, 50, tzinfo=PARIS)
)
NEW_YEARS_EVE = ClockSpec(
    "31-decembre-23h30", "31 décembre 2026 à 23 h 30", datetime(2026, 12, 31, 23, 30, tzinfo=PARIS)
)
# 28 March 2027: at 2 h the clocks go to 3 h (a 23-hour day); started two minutes before.
SPRING_FORWARD = ClockSpec(
    "heure-d-ete",
    "dimanche 28 mars 2027 à 1 h 58, deux minutes avant le passage à l'heure d'été",
    datetime(2027, 3, 28, 1, 58, tzinfo=PARIS),
)
# 31 October 2027: at 3 h (summer time) the clocks go back to 2 h (a 25-hour day).
FALL_BACK = ClockSpec(
    "heure-d-hiver",
    "dimanche 31 octobre 2027 à 2 h 58 (heure d'été), deux minutes avant le retour à 2 h",
    datetime(2027, 10, 31, 2, 58, tzinfo=PARIS),
)
HOLIDAY_EVE = ClockSpec(
    "veille-14-juillet",
    "mardi 13 juillet 2027 à 21 h 30",
    datetime(2027, 7, 13, 21, 30, tzinfo=PARIS),
)
FROZEN = (SATURDAY_NIGHT, NEW_YEARS_EVE, SPRING_FORWARD, FALL_BACK, HOLIDAY_EVE)
ALL = (REAL, *FROZEN)
# Days whose length is not 24 hours, that whole-day bookings should meet.
ODD_DAYS = (date(2027, 3, 28), date(2027, 10, 31))


class SimClock:
    """The resident's idea of the assistant's time: the real clock, or a frozen start plus the
    time elapsed since the stack was started (the processes start theirs within seconds)."""

    def __init__(self, spec: ClockSpec) -> None:
        self.spec = spec
        self._began = timer.monotonic()

    def restart(self) -> None:
        """Call right before the stack starts."""
        self._began = timer.monotonic()

    def now(self) -> datetime:
        if self.spec.start is None:
            return datetime.now(PARIS)
        elapsed = timedelta(seconds=timer.monotonic() - self._began)
        return (self.spec.start.astimezone(UTC) + elapsed).astimezone(PARIS)

    def today(self) -> date:
        return self.now().date()

    def near_midnight(self, minutes: int = 3) -> bool:
        """Whether "demain" may mean two days depending on who reads the clock first."""
        now = self.now()
        since = now.hour * 60 + now.minute
        return since < minutes or since >= 24 * 60 - minutes
