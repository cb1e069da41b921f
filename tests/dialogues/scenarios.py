"""A seeded generator of conversations over every category, each with its expected outcome."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from tests.dialogues import banks
from tests.dialogues.clocks import ODD_DAYS, REAL, ClockSpec
from tests.dialogues.errands import (
    CATEGORIES,
    QUANTITIES,
    Maker,
    booking_outcomes,
    report_outcome,
)
from tests.dialogues.model import (
    DONE,
    BookingGoal,
    Category,
    Do,
    Hours,
    Item,
    Moment,
    Outcome,
    ReportGoal,
    Scenario,
    Step,
)
from tests.dialogues.personas import Persona
from tests.dialogues.planner import SPECS, Planner
from tests.dialogues.reading import Ask
from tests.dialogues.saying import ABSOLUTE, WEEKDAY_DATE, WEEKDAY_NUMBER, day_forms

SEED = 2027
C = Category
FULL_REAL: dict[Category, int] = {C.HALL: 16, C.ROOM: 24, C.GYM: 16, C.EQUIPMENT: 22}
FULL_REAL |= {C.APPOINTMENT: 18, C.REPORT: 40, C.FOLLOW_UP: 14, C.CORRECTION: 16}
FULL_REAL |= {C.TOPIC_SWITCH: 10, C.FAQ_MID: 10, C.QUESTION_FIRST: 8, C.ABANDON: 14}
FULL_FROZEN: dict[Category, int] = dict.fromkeys(Category, 2) | {C.ROOM: 3, C.REPORT: 4}
FULL_FROZEN |= {C.TOPIC_SWITCH: 1, C.FAQ_MID: 1, C.QUESTION_FIRST: 1}
FAST_REAL: dict[Category, int] = {C.HALL: 4, C.ROOM: 5, C.GYM: 4, C.EQUIPMENT: 5}
FAST_REAL |= {C.APPOINTMENT: 4, C.REPORT: 8, C.FOLLOW_UP: 4, C.CORRECTION: 4}
FAST_REAL |= {C.TOPIC_SWITCH: 3, C.FAQ_MID: 3, C.QUESTION_FIRST: 3, C.ABANDON: 4}
FAST_FROZEN: dict[Category, int] = {C.ROOM: 1, C.HALL: 1, C.EQUIPMENT: 1, C.REPORT: 1}
FAST_FROZEN |= {C.APPOINTMENT: 1, C.CORRECTION: 1, C.ABANDON: 1, C.FOLLOW_UP: 1}
PERSONAS = tuple(Persona)


class Draft:
    """One scenario being made: its random source, goal maker, persona and key."""

    def __init__(self, planner: Planner, clock: ClockSpec, category: Category, index: int) -> None:
        self.rng = random.Random(f"{SEED}:{clock.key}:{category}:{index}")
        self.make = Maker(planner, clock, self.rng)
        self.clock, self.category, self.index = clock, category, index
        self.persona = PERSONAS[(index + list(Category).index(category)) % len(PERSONAS)]

    def scenario(self, goal: BookingGoal | ReportGoal | None, **more: object) -> Scenario:
        expected: tuple[Outcome, ...] = ()
        if isinstance(goal, BookingGoal):
            expected = booking_outcomes(goal)
        elif isinstance(goal, ReportGoal):
            expected = (report_outcome(goal),)
        fields: dict[str, object] = {"expected": expected, **more}
        return Scenario(
            key=f"{self.clock.key}-{self.category}-{self.index:03d}",
            category=self.category,
            clock=self.clock.key,
            persona=self.persona,
            seed=self.rng.randrange(2**31),
            goal=goal,
            **fields,  # type: ignore[arg-type]
        )

    def opened(self, goal: BookingGoal, *, day: float = 0.7, hours: float = 0.25) -> BookingGoal:
        """The first message: what, perhaps the day, rarely the hours or who it is for."""
        facts = set()
        if self.rng.random() < day:
            facts.add("day")
            if goal.hours in (Hours.RANGE, Hours.SINGLE) and self.rng.random() < hours:
                facts.add("hours")
        if goal.requester == "association" and self.rng.random() < 0.3:
            facts.add("requester")
        if goal.resource in banks.NOUNS and self.rng.random() < 0.6:
            facts.add("quantity")
        if goal.resource == "rdv-titres":
            template = self.rng.choice(banks.APPOINTMENT_OPENINGS)
        elif goal.resource in banks.NOUNS:
            template = self.rng.choice(banks.BORROW_OPENINGS)
        else:
            template = self.rng.choice(banks.BOOK_OPENINGS)
        parts = [template] + [f"{{{f}}}" for f in ("day", "hours") if f in facts]
        text = " ".join(parts) + (", {requester}" if "requester" in facts else "")
        return replace(goal, opening=text, in_opening=frozenset(facts))

    def presses(self, *asks: Ask, chance: float = 0.3) -> frozenset[str]:
        return frozenset(a.value for a in asks if self.rng.random() < chance)


# -- the categories ---------------------------------------------------------------------------


def hall(d: Draft) -> Scenario | None:
    moment = None
    if d.clock is REAL and d.index < len(ODD_DAYS):  # a 23-hour and a 25-hour day
        day = ODD_DAYS[d.index]
        moment = d.make.planner.on_day("salle-des-fetes", day, ABSOLUTE)
    goal = d.make.hall(moment)
    if goal is None:
        return None
    return d.scenario(d.opened(goal), presses=d.presses(Ask.REQUESTER, Ask.CONFIRM_BOOKING))


def room(d: Draft) -> Scenario | None:
    goal = d.make.room()
    return d.scenario(d.opened(goal), presses=d.presses(Ask.REQUESTER)) if goal else None


def gym(d: Draft) -> Scenario | None:
    goal = d.make.gym()
    if goal is None:
        return None
    presses = d.presses(Ask.SLOT, chance=0.5) if goal.hours is Hours.SINGLE else frozenset()
    return d.scenario(d.opened(goal, hours=0.35), presses=presses)


def equipment(d: Draft) -> Scenario | None:
    goal = None
    if d.clock is REAL and d.index == 0:
        moment = d.make.planner.on_day("chaises", ODD_DAYS[0], WEEKDAY_DATE, 40)
        if moment is not None:
            goal = d.make.booking("chaises", moment, Hours.NONE, items=(Item("chaises", 40),))
    goal = goal or d.make.equipment(several=d.index % 4 == 1)
    return d.scenario(d.opened(goal), presses=d.presses(Ask.REQUESTER)) if goal else None


def appointment(d: Draft) -> Scenario | None:
    goal = d.make.appointment()
    if goal is None:
        return None
    presses = d.presses(Ask.SLOT, Ask.ID_CASE, chance=0.4)
    return d.scenario(d.opened(goal, day=0.2), presses=presses)


def report(d: Draft) -> Scenario | None:
    category = CATEGORIES[d.index % len(CATEGORIES)]
    goal = d.make.report(category, photo=d.index % 2 == 0)
    if goal is None:
        return None
    style = d.index // 2 % 5
    steps: tuple[Step, ...] = ()
    if style == 3:  # only what: the assistant asks where
        goal = replace(goal, opening="{description}", in_opening=frozenset({"what"}))
    elif style == 4:  # only that there is a problem: it asks what, where, and a description
        opening = d.rng.choice(banks.VAGUE_REPORT)
        goal = replace(goal, opening=opening, in_opening=frozenset())
        if d.index % 3 == 0:
            steps = (Step(Do.DONT_KNOW, Ask.CATEGORY),)
    presses = d.presses(Ask.CATEGORY, chance=0.5) | d.presses(Ask.PHOTO, chance=0.2)
    return d.scenario(goal, steps=steps, presses=presses)


def follow_up(d: Draft) -> Scenario | None:
    kind = d.index % 4
    if kind == 3:
        goal = d.make.report(CATEGORIES[d.index % len(CATEGORIES)], photo=False)
        if goal is None:
            return None
        with_ref = d.rng.choice(banks.REPORT_STATUS)
        steps = (
            Step(Do.REPORT_STATUS, DONE, with_ref, r"SIG-|recu|pris en compte|en cours"),
            Step(Do.MY_REPORTS, DONE, d.rng.choice(banks.MY_REPORTS), r"SIG-"),
        )
        return d.scenario(goal, steps=steps)
    booking = d.make.one_of(("room", "equipment", "hall"), kind)
    if booking is None:
        return None
    listing = Step(Do.MY_BOOKINGS, DONE, d.rng.choice(banks.MY_BOOKINGS), r"[A-Z]{3}-[A-Z0-9]{4}")
    if kind == 2:  # the hall: listed, awaiting an agent
        return d.scenario(d.opened(booking), steps=(listing,))
    cancel = (
        Step(Do.CANCEL_REFERENCE, DONE, d.rng.choice(banks.CANCEL_REFERENCE))
        if kind == 0
        else Step(Do.CANCEL_LAST, DONE, d.rng.choice(banks.CANCEL_LAST))
    )
    scenario = d.scenario(d.opened(booking), steps=(listing, cancel))
    expected = booking_outcomes(booking, "cancelled")
    return replace(scenario, expected=expected)


def correction(d: Draft) -> Scenario | None:
    kind = d.index % 4
    found = [_next_day, _restated, _other_hour, _other_quantity][kind](d)
    if found is None:
        return None
    first, step, final = found
    scenario = d.scenario(first, steps=(step,))
    return replace(scenario, expected=booking_outcomes(final))


def topic_switch(d: Draft) -> Scenario | None:
    other = CATEGORIES[d.index % len(CATEGORIES)]
    if d.index % 2 == 0:
        booking = d.make.one_of(("room", "equipment", "hall"), d.index // 2)
        street = d.make.report(other, photo=False)
        if booking is None or street is None:
            return None
        at = d.rng.choice((Ask.NAME, Ask.CONTACT, Ask.REQUESTER))
        text = d.rng.choice(banks.SWITCH_TO_REPORT)
        steps = (Step(Do.SWITCH, at, text, goal=street),)
        scenario = d.scenario(d.opened(booking, day=1.0), steps=steps)
        return replace(scenario, expected=(*booking_outcomes(booking), report_outcome(street)))
    street = d.make.report(other, photo=False)
    booking = d.make.equipment(several=False)
    if booking is None or street is None:
        return None
    booking = replace(d.opened(booking, day=1.0), opening=banks.SWITCH_TO_BOOKING[0])
    booking = replace(booking, in_opening=booking.in_opening | {"day", "quantity"})
    at = d.rng.choice((Ask.PHOTO, Ask.CONFIRM_REPORT))
    steps = (Step(Do.SWITCH, at, "", goal=booking),)
    scenario = d.scenario(street, steps=steps)
    return replace(scenario, expected=(report_outcome(street), *booking_outcomes(booking)))


def faq_mid(d: Draft) -> Scenario | None:
    question, expect = banks.FAQ_MID[d.index % len(banks.FAQ_MID)]
    if d.index % 3 == 2:
        goal: BookingGoal | ReportGoal | None = d.make.report(
            CATEGORIES[d.index % len(CATEGORIES)], photo=False
        )
        at = d.rng.choice((Ask.PHOTO, Ask.CONFIRM_REPORT))
    else:
        booking = d.make.one_of(("room", "equipment", "hall", "gym"), d.index)
        goal = d.opened(booking) if booking else None
        at = d.rng.choice((Ask.NAME, Ask.CONTACT, Ask.REQUESTER, Ask.DAY))
    if goal is None:
        return None
    return d.scenario(goal, steps=(Step(Do.FAQ, at, question, expect),))


def question_first(d: Draft) -> Scenario | None:
    question, slug = banks.QUESTIONS_FIRST[d.index % len(banks.QUESTIONS_FIRST)]
    goal: BookingGoal | None
    if slug == "salle-des-fetes":
        goal = d.make.hall()
    elif slug == "salle-des-associations":
        goal = d.make.room(Hours.RANGE)
    else:
        quantity = d.rng.choice(QUANTITIES[slug])
        moment = d.make.planner.whole_day(slug, d.make.forms(), d.rng, quantity)
        item = Item(slug, quantity)
        goal = d.make.booking(slug, moment, Hours.NONE, items=(item,)) if moment else None
    if goal is None:
        return None
    return d.scenario(d.opened(goal), opening=question, informs=_informs(slug))


def abandon(d: Draft) -> Scenario | None:
    if d.index % 3 == 2:
        report_goal = d.make.report(CATEGORIES[d.index % len(CATEGORIES)], photo=False)
        if report_goal is None:
            return None
        at = d.rng.choice((Ask.PLACE, Ask.PHOTO, Ask.CONFIRM_REPORT, Ask.DESCRIPTION))
        step = Step(Do.ABANDON, at, d.rng.choice(banks.ABANDON))
        return replace(d.scenario(report_goal, steps=(step,)), expected=())
    booking = d.make.one_of(("room", "equipment", "hall", "appointment"), d.index)
    if booking is None:
        return None
    at = d.rng.choice((Ask.DAY, Ask.HOURS, Ask.NAME, Ask.CONTACT, Ask.CONFIRM_BOOKING))
    step = Step(Do.ABANDON, at, d.rng.choice(banks.ABANDON))
    return replace(d.scenario(d.opened(booking), steps=(step,)), expected=())


# -- corrections ------------------------------------------------------------------------------

Found = tuple[BookingGoal, Step, BookingGoal]


def _next_day(d: Draft) -> Found | None:
    """« non plutôt dimanche »: the day after the one first said (1 to 3 days later)."""
    goal = d.make.room(Hours.RANGE) if d.index % 8 < 4 else d.make.hall()
    if goal is None:
        return None
    for gap in (1, 2, 3):
        first_day = goal.moment.day - timedelta(days=gap)
        first = _moved(d, goal, first_day)
        if first is not None:
            at = d.rng.choice((Ask.NAME, Ask.CONTACT, Ask.CONFIRM_BOOKING))
            text = d.rng.choice(banks.CORRECT_DAY[:2]).replace("{day}", "{weekday}")
            return d.opened(first, day=1.0), Step(Do.CORRECT, at, text, goal=goal), goal
    return None


def _restated(d: Draft) -> Found | None:
    """« non, ce n'est pas ça : dimanche 13 de 14h à 17h » at the summary."""
    final = d.make.room(Hours.RANGE)
    first = d.make.room(Hours.RANGE)
    if final is None or first is None:
        return None
    forms = day_forms(final.moment.day, d.make.planner.today)
    form = WEEKDAY_NUMBER if WEEKDAY_NUMBER in forms else WEEKDAY_DATE
    final = replace(final, moment=replace(final.moment, day_form=form))
    first = replace(first, name=final.name, name_key=final.name_key, contact=final.contact)
    first = replace(first, contact_form=final.contact_form, requester=final.requester)
    text = d.rng.choice(banks.CORRECT_BOTH)
    return (
        d.opened(first, day=1.0),
        Step(Do.CORRECT, Ask.CONFIRM_BOOKING.value, text, goal=final),
        final,
    )


def _other_hour(d: Draft) -> Found | None:
    """« en fait à 19h » (gymnasium) or « finalement de 15h à 19h » (association room)."""
    single = d.index % 8 < 4
    final = d.make.gym(Hours.SINGLE) if single else d.make.room(Hours.RANGE)
    if final is None or final.moment.start is None or final.moment.end is None:
        return None
    for shift in (-1, 1, -2, 2):
        start, end = final.moment.start.hour + shift, final.moment.end.hour + shift
        first = _moved(d, final, final.moment.day, start, end)
        if first is not None:
            at = d.rng.choice((Ask.NAME, Ask.CONTACT, Ask.CONFIRM_BOOKING))
            text = d.rng.choice(banks.CORRECT_HOURS)
            return (
                d.opened(first, day=1.0, hours=1.0),
                Step(Do.CORRECT, at, text, goal=final),
                final,
            )
    return None


def _other_quantity(d: Draft) -> Found | None:
    """« finalement il m'en faut 15 »."""
    final = d.make.equipment(several=False)
    if final is None or final.items[0].quantity < 4:
        return None
    item = final.items[0]
    first = replace(final, items=(Item(item.resource, item.quantity // 2),))
    at = d.rng.choice((Ask.CONTACT, Ask.CONFIRM_BOOKING))
    step = Step(Do.CORRECT, at, d.rng.choice(banks.CORRECT_QUANTITY), goal=final)
    return d.opened(first, day=1.0), step, final


def _moved(
    d: Draft, goal: BookingGoal, day: date, start: int | None = None, end: int | None = None
) -> BookingGoal | None:
    """The same booking on another day or at other hours, if the planner can give it."""
    spec = SPECS[goal.resource]
    planner = d.make.planner
    if day <= planner.today or ABSOLUTE not in day_forms(day, planner.today):
        return None
    if goal.moment.start is None:
        if not planner.fits_day(spec, day, goal.items[0].quantity):
            return None
        planner.take_day(spec, day, goal.items[0].quantity)
        return replace(goal, moment=Moment(day, day_form=ABSOLUTE))
    start = goal.moment.start.hour if start is None else start
    end = goal.moment.end.hour if end is None and goal.moment.end else end
    if end is None or not 0 <= start < end <= 23:
        return None
    if not planner.free(spec, day, start * 60, end * 60):
        return None
    planner.take(spec, day, start * 60, end * 60)
    moment = Moment(day, goal.moment.start.replace(hour=start), goal.moment.start.replace(hour=end))
    return replace(goal, moment=replace(moment, day_form=goal.moment.day_form))


def _informs(slug: str) -> tuple[str, ...]:
    """What an answer to « vous prêtez… ? » must say: how many, for whom, at what price."""
    spec = SPECS[slug]
    said: list[str] = [r"gratuit|€|euro"]
    if spec.kind.value == "equipment":
        said.append(rf"\b{spec.stock}\b" if spec.stock > 1 else r"\b(1|une|un|seule)\b")
    if len(spec.allowed) < 3:
        said.append(r"habitant|association|particulier")
    return tuple(said)


BUILDERS: dict[Category, Callable[[Draft], Scenario | None]] = {
    C.HALL: hall,
    C.ROOM: room,
    C.GYM: gym,
    C.EQUIPMENT: equipment,
    C.APPOINTMENT: appointment,
    C.REPORT: report,
    C.FOLLOW_UP: follow_up,
    C.CORRECTION: correction,
    C.TOPIC_SWITCH: topic_switch,
    C.FAQ_MID: faq_mid,
    C.QUESTION_FIRST: question_first,
    C.ABANDON: abandon,
}


def generate(
    clock: ClockSpec, now: datetime, counts: Mapping[Category, int], *, shared: bool = False
) -> list[Scenario]:
    """The scenarios of one stack, categories interleaved; the same clock, day and counts
    always give the same conversations."""
    planner = Planner(now, shared)
    made: list[Scenario] = []
    for index in range(max(counts.values(), default=0) + 4):
        for category in Category:
            have = sum(1 for s in made if s.category is category)
            if have >= counts.get(category, 0):
                continue
            draft = Draft(planner, clock, category, index)
            scenario = BUILDERS[category](draft)
            if scenario is not None:
                made.append(scenario)
    return made
