"""Days, hours and streets for the scenarios of one stack, so that no two of them compete.

Each choice respects the resource's notice, reach, weekdays and opening hours (from the
commune file); equipment stays well under its stock. On the stack the rest of the test session
shares, the days, hours and streets other tests use are left alone.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.commune import load_commune
from bot.settings import ROOT
from calendar_store.spec import ResourceSpec, Unit
from tests.dialogues.clocks import PARIS
from tests.dialogues.model import Moment
from tests.dialogues.saying import day_forms

COMMUNE = load_commune(ROOT / "communes" / "clairval.yml")
SPECS: dict[str, ResourceSpec] = {s.slug: s for s in COMMUNE.resources()}
TERRITORY = COMMUNE.data.signalements
MARGIN = timedelta(hours=3)  # conversations run minutes after they are planned
# What the other stack tests book or report (tests/gateway): left alone on the shared stack.
SHARED_REPORTS = frozenset(
    {
        ("eclairage", "rue des Lilas"),
        ("voirie", "rue des Lilas"),
        ("voirie", "place de l'Église"),  # 56 m from the position a test shares
        ("tags", "rue du Moulin"),
        ("tags", "rue des Écoles"),
        ("autre", "rue du Moulin"),
    }
)


@dataclass
class Planner:
    """What the scenarios of one stack have taken so far."""

    now: datetime  # local time of the stack's clock when the scenarios are made
    shared: bool = False
    booked: dict[tuple[str, date], list[tuple[int, int]]] = field(default_factory=dict)
    lent: dict[tuple[str, date], int] = field(default_factory=dict)
    reported: set[tuple[str, str]] = field(default_factory=set)

    @property
    def today(self) -> date:
        return self.now.date()

    def days(self, slug: str, forms: Sequence[str], rng: random.Random) -> list[tuple[str, date]]:
        """(form, day) pairs the resource may be booked on, in the forms' order, days shuffled."""
        spec = SPECS[slug]
        last = (spec.max_ahead - timedelta(days=2)).days
        found: list[tuple[str, date]] = []
        for form in forms:
            days = [self.today + timedelta(days=n) for n in range(1, last + 1)]
            days = [d for d in days if form in day_forms(d, self.today) and self._open(spec, d)]
            rng.shuffle(days)
            found += [(form, d) for d in days]
        return found

    def whole_day(
        self, slug: str, forms: Sequence[str], rng: random.Random, quantity: int = 1
    ) -> Moment | None:
        spec = SPECS[slug]
        for form, day in self.days(slug, forms, rng):
            if self.fits_day(spec, day, quantity):
                self.take_day(spec, day, quantity)
                return Moment(day, day_form=form)
        return None

    def on_day(self, slug: str, day: date, form: str, quantity: int = 1) -> Moment | None:
        """That very day (a clock-change day, a holiday), if it can be had."""
        spec = SPECS[slug]
        if form not in day_forms(day, self.today) or not self._open(spec, day):
            return None
        if not self.fits_day(spec, day, quantity):
            return None
        self.take_day(spec, day, quantity)
        return Moment(day, day_form=form)

    def fits_day(self, spec: ResourceSpec, day: date, quantity: int) -> bool:
        if not self._notice(spec, day, time(0)):
            return False
        if spec.kind.value == "equipment":
            return self.lent.get((spec.slug, day), 0) + quantity <= max(1, spec.stock // 2)
        return not self.booked.get((spec.slug, day)) and not self._shared_day(spec, day)

    def take_day(self, spec: ResourceSpec, day: date, quantity: int) -> None:
        if spec.kind.value == "equipment":
            self.lent[(spec.slug, day)] = self.lent.get((spec.slug, day), 0) + quantity
        else:
            self.booked.setdefault((spec.slug, day), []).append((0, 24 * 60))

    def hours(
        self,
        slug: str,
        forms: Sequence[str],
        rng: random.Random,
        lengths: Sequence[int],
        starts: Sequence[int],
    ) -> Moment | None:
        """A free range of whole hours: one of `lengths` hours from one of `starts`."""
        spec = SPECS[slug]
        for form, day in self.days(slug, forms, rng):
            options = [(s, n) for s in starts for n in lengths]
            rng.shuffle(options)
            for start, length in options:
                if self.free(spec, day, start * 60, (start + length) * 60):
                    self.take(spec, day, start * 60, (start + length) * 60)
                    return Moment(day, time(start), time(start + length), form)
        return None

    def slot(
        self,
        slug: str,
        forms: Sequence[str],
        rng: random.Random,
        starts: Sequence[int],
        first: bool,
    ) -> Moment | None:
        """One slot (in minutes since midnight); `first`: the earliest of a day nobody else has."""
        spec = SPECS[slug]
        for form, day in self.days(slug, forms, rng):
            if first and self.booked.get((slug, day)):
                continue
            chosen = [s for s in starts if self._in_windows(spec, day, s, s + spec.slot_minutes)]
            chosen = chosen[:1] if first else rng.sample(chosen, len(chosen))
            for start in chosen:
                end = start + spec.slot_minutes
                if self.free(spec, day, start, end):
                    self.take(spec, day, start, end)
                    return Moment(day, _clock(start), _clock(end), form)
        return None

    def free(self, spec: ResourceSpec, day: date, start: int, end: int) -> bool:
        if not self._in_windows(spec, day, start, end) or not self._notice(
            spec, day, _clock(start)
        ):
            return False
        if self.shared and self._shared_hours(spec, day, start, end):
            return False
        taken = self.booked.get((spec.slug, day), [])
        return all(end <= s or e <= start for s, e in taken)

    def take(self, spec: ResourceSpec, day: date, start: int, end: int) -> None:
        self.booked.setdefault((spec.slug, day), []).append((start, end))

    def street(self, category: str, rng: random.Random) -> str | None:
        """A street where this category was not reported yet on this stack."""
        streets = [s.nom for s in TERRITORY.rues]
        rng.shuffle(streets)
        for street in streets:
            pair = (category, street)
            if pair in self.reported or (self.shared and pair in SHARED_REPORTS):
                continue
            self.reported.add(pair)
            return street
        return None

    # -- rules -------------------------------------------------------------------------------

    def _open(self, spec: ResourceSpec, day: date) -> bool:
        # A public holiday or an exceptional closure has no window, whatever the weekday.
        return day not in spec.closed and any(w.weekday == day.weekday() for w in spec.windows)

    def _in_windows(self, spec: ResourceSpec, day: date, start: int, end: int) -> bool:
        if spec.unit is Unit.DAY or not self._open(spec, day):
            return self._open(spec, day)
        windows = [w for w in spec.windows if w.weekday == day.weekday()]
        return any(w.start <= start and end <= w.end for w in windows)

    def _notice(self, spec: ResourceSpec, day: date, at: time) -> bool:
        begins = datetime(day.year, day.month, day.day, at.hour, at.minute, tzinfo=PARIS)
        return begins - self.now >= spec.min_notice + MARGIN

    def _shared_day(self, spec: ResourceSpec, day: date) -> bool:
        ahead = (day - self.today).days
        return self.shared and spec.slug == "salle-des-fetes" and ahead in (6, 19, 20, 21, 40, 41)

    def _shared_hours(self, spec: ResourceSpec, day: date, start: int, end: int) -> bool:
        """tests/gateway books the association room between 10 h and 18 h in the next weeks and
        an ID appointment two weeks ahead."""
        ahead = (day - self.today).days
        if spec.slug == "salle-des-associations" and ahead <= 45:
            return start < 18 * 60 and end > 10 * 60
        if spec.slug == "rdv-titres":
            return 13 <= ahead <= 22
        return False


def _clock(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)
