"""Residents' goals: a booking of each kind or a street report, and the rows they must leave.

Days, hours and streets come from the planner, so that no two goals of one stack compete.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import time

from calendar_store.spec import Unit
from tests.dialogues import banks
from tests.dialogues.clocks import ClockSpec
from tests.dialogues.model import (
    BookingGoal,
    BookingOutcome,
    Hours,
    Item,
    Moment,
    ReportGoal,
    ReportOutcome,
)
from tests.dialogues.planner import SPECS, Planner
from tests.dialogues.saying import (
    ABSOLUTE,
    AFTER_TOMORROW,
    DIGITS,
    DIGITS_YEAR,
    IN_DAYS,
    IN_WEEKS,
    NEXT,
    NEXT_WEEK,
    NUMBER,
    THIS,
    TOMORROW,
    WEEKDAY_DATE,
    WEEKDAY_NUMBER,
    WITH_YEAR,
    ants_number,
    email_address,
    phone_forms,
    phone_number,
)

# How often each form of a day is preferred: real clock, then frozen clocks (more relative).
REAL_FORMS = {ABSOLUTE: 30, WEEKDAY_DATE: 14, NUMBER: 8, WEEKDAY_NUMBER: 8, NEXT: 5, THIS: 4}
REAL_FORMS |= {NEXT_WEEK: 4, IN_WEEKS: 8, IN_DAYS: 4, TOMORROW: 2, AFTER_TOMORROW: 2}
REAL_FORMS |= {DIGITS: 5, WITH_YEAR: 3, DIGITS_YEAR: 2}
FROZEN_FORMS = {TOMORROW: 8, AFTER_TOMORROW: 8, NEXT: 8, THIS: 6, IN_WEEKS: 10, IN_DAYS: 8}
FROZEN_FORMS |= {NUMBER: 10, WEEKDAY_NUMBER: 8, ABSOLUTE: 15, DIGITS: 5, NEXT_WEEK: 4}
FALLBACK = (ABSOLUTE, WEEKDAY_DATE, WITH_YEAR)
CATEGORIES = tuple(banks.DESCRIPTIONS)  # every report category of the commune file
ROOM_STARTS = (8, 9, 10, 14, 16, 18, 19, 20)
GYM_STARTS = (8, 10, 12, 14, 17, 18, 19, 20)
APPOINTMENT_STARTS = tuple(540 + 20 * n for n in range(8))  # 9:00 … 11:20
QUANTITIES = {"tables": (4, 6, 8, 10, 12), "chaises": (10, 20, 25, 30, 40, 50, 60, 80)}
QUANTITIES |= {"barnums": (1, 2), "sonorisation": (1,)}


@dataclass
class Maker:
    """Builds goals for one stack: its planner and clock, one scenario's random source."""

    planner: Planner
    clock: ClockSpec
    rng: random.Random

    def forms(self) -> list[str]:
        weights = REAL_FORMS if self.clock.start is None else FROZEN_FORMS
        forms = list(weights)
        picked: list[str] = []
        while forms and len(picked) < 3:
            form = self.rng.choices(forms, [weights[f] for f in forms])[0]
            forms.remove(form)
            picked.append(form)
        return picked + [f for f in FALLBACK if f not in picked]

    def who(self, requester: str) -> tuple[str, str, str, int]:
        """(name as written, what the booking's name must contain, contact, contact form)."""
        people = banks.ASSOCIATIONS if requester == "association" else banks.PEOPLE
        name, key = self.rng.choice(people)
        roll = self.rng.random()
        if roll < 0.3:
            return name, key, email_address(self.rng, key), 0
        number = phone_number(self.rng, overseas=roll < 0.45)
        return name, key, number, self.rng.randrange(len(phone_forms(number)))

    def requester(self, slug: str) -> str:
        allowed = sorted(r.value for r in SPECS[slug].allowed)
        if "resident" in allowed and self.rng.random() < 0.5:
            return "resident"
        return self.rng.choice(allowed)

    def booking(
        self, slug: str, moment: Moment, hours: Hours, *, items: Sequence[Item] = (), vague: int = 0
    ) -> BookingGoal:
        requester = "association" if slug == "gymnase" else self.requester(slug)
        if slug == "rdv-titres":
            requester = "resident"
        name, key, contact, form = self.who(requester)
        goal = BookingGoal(
            items=tuple(items) or (Item(slug),),
            moment=moment,
            requester=requester,
            name=name,
            name_key=key,
            contact=contact,
            contact_form=form,
            hours=hours,
            vague=vague,
        )
        if slug == "rdv-titres":
            case = self.rng.choice(sorted(banks.ID_CASES))
            goal = replace(goal, id_case=case, ants=ants_number(self.rng))
        return goal

    # -- one goal per resource -----------------------------------------------------------------

    def hall(self, moment: Moment | None = None) -> BookingGoal | None:
        moment = moment or self.planner.whole_day("salle-des-fetes", self.forms(), self.rng)
        return self.booking("salle-des-fetes", moment, Hours.NONE) if moment else None

    def room(self, hours: Hours | None = None) -> BookingGoal | None:
        roll = self.rng.random()
        hours = hours or (
            Hours.WHOLE if roll < 0.15 else Hours.VAGUE if roll < 0.3 else Hours.RANGE
        )
        slug, vague = "salle-des-associations", 0
        if hours is Hours.WHOLE:
            moment = self.planner.hours(slug, self.forms(), self.rng, (15,), (8,))
        elif hours is Hours.VAGUE:
            vague = self.rng.randrange(len(banks.VAGUE_HOURS))
            start, end = banks.VAGUE_HOURS[vague][1]
            moment = self.planner.hours(slug, self.forms(), self.rng, (end - start,), (start,))
        else:
            moment = self.planner.hours(slug, self.forms(), self.rng, (1, 2, 3, 4), ROOM_STARTS)
        return self.booking(slug, moment, hours, vague=vague) if moment else None

    def gym(self, hours: Hours | None = None) -> BookingGoal | None:
        hours = hours or (Hours.RANGE if self.rng.random() < 0.6 else Hours.SINGLE)
        lengths = (2, 3) if hours is Hours.RANGE else (1,)
        moment = self.planner.hours("gymnase", self.forms(), self.rng, lengths, GYM_STARTS)
        return self.booking("gymnase", moment, hours) if moment else None

    def equipment(self, several: bool | None = None) -> BookingGoal | None:
        several = self.rng.random() < 0.25 if several is None else several
        items: tuple[Item, ...]
        if several:
            items = (
                Item("tables", self.rng.choice(QUANTITIES["tables"])),
                Item("chaises", self.rng.choice(QUANTITIES["chaises"])),
            )
        else:
            slug = self.rng.choice(("tables", "chaises", "chaises", "barnums", "sonorisation"))
            items = (Item(slug, self.rng.choice(QUANTITIES[slug])),)
        moment = self._same_day(items)
        if moment is None:
            return None
        return self.booking(items[0].resource, moment, Hours.NONE, items=items)

    def one_of(self, kinds: Sequence[str], index: int) -> BookingGoal | None:
        """A booking of the kind `index` picks among `kinds` (room, equipment, hall, gym…)."""
        makers: dict[str, Callable[[], BookingGoal | None]] = {
            "room": self.room,
            "equipment": self.equipment,
            "hall": self.hall,
            "gym": self.gym,
            "appointment": self.appointment,
        }
        return makers[kinds[index % len(kinds)]]()

    def _same_day(self, items: Sequence[Item]) -> Moment | None:
        first = items[0]
        for form, day in self.planner.days(first.resource, self.forms(), self.rng):
            specs = [SPECS[i.resource] for i in items]
            if all(
                self.planner.fits_day(s, day, i.quantity) for s, i in zip(specs, items, strict=True)
            ):
                for spec, item in zip(specs, items, strict=True):
                    self.planner.take_day(spec, day, item.quantity)
                return Moment(day, day_form=form)
        return None

    def appointment(self, pick: Hours | None = None) -> BookingGoal | None:
        roll = self.rng.random()
        pick = pick or (Hours.FIRST if roll < 0.3 else Hours.SINGLE)
        first = pick is Hours.FIRST
        moment = self.planner.slot("rdv-titres", self.forms(), self.rng, APPOINTMENT_STARTS, first)
        return self.booking("rdv-titres", moment, pick) if moment else None

    def report(self, category: str, photo: bool) -> ReportGoal | None:
        street = self.planner.street(category, self.rng)
        if street is None:
            return None
        return ReportGoal(
            category=category,
            street=street,
            street_said=self.rng.choice(banks.STREETS[street]),
            description=self.rng.choice(banks.DESCRIPTIONS[category]),
            photo=photo,
            opening=self.rng.choice(banks.REPORT_OPENINGS),
        )


def booking_outcomes(goal: BookingGoal, status: str | None = None) -> tuple[BookingOutcome, ...]:
    """The rows the booking leaves: one per item, with its resource's status."""
    found = []
    for item in goal.items:
        spec = SPECS[item.resource]
        whole = spec.unit is Unit.DAY
        start: time | None = None if whole else goal.moment.start
        end: time | None = None if whole else goal.moment.end
        found.append(
            BookingOutcome(
                resource=item.resource,
                day=goal.moment.day,
                start=start,
                end=end,
                quantity=item.quantity,
                status=status or ("pending" if spec.approval else "confirmed"),
                name_key=goal.name_key,
                contact=goal.contact,
            )
        )
    return tuple(found)


def report_outcome(goal: ReportGoal) -> ReportOutcome:
    return ReportOutcome(goal.category, goal.street, goal.photo)
