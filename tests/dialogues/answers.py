"""Each answer a resident gives, worded from their goal, the clock and their voice."""

from __future__ import annotations

from datetime import date

from tests.dialogues import banks
from tests.dialogues.clocks import SimClock
from tests.dialogues.model import BookingGoal, Hours, ReportGoal
from tests.dialogues.saying import (
    WEEKDAY_DATE,
    WEEKDAYS,
    WITH_YEAR,
    absolute,
    clock,
    day_forms,
    hour_range,
    phone_forms,
    quantity_forms,
    single_hour,
)
from tests.dialogues.voice import Voice


class Answers:
    """Words for one goal's facts; relative days are worked out when they are said."""

    def __init__(self, voice: Voice, sim_clock: SimClock) -> None:
        self.voice = voice
        self.clock = sim_clock

    # -- days and hours ------------------------------------------------------------------------

    def day(self, goal: BookingGoal, *, again: bool = False) -> str:
        """The day in the goal's preferred form; an absolute form when it is said again (or
        when midnight is so close that « demain » could mean two days)."""
        day = goal.moment.day
        forms = day_forms(day, self.clock.today())
        form = goal.moment.day_form
        if again or self.clock.near_midnight() or form not in forms:
            form = WEEKDAY_DATE if WEEKDAY_DATE in forms else WITH_YEAR
        return self.voice.choose(f"day:{form}", forms[form]) if form in forms else absolute(day)

    def weekday(self, day: date) -> str:
        return WEEKDAYS[day.weekday()]

    def hours(self, goal: BookingGoal, *, asked: int = 1) -> str:
        m = goal.moment
        if m.start is None or m.end is None or goal.hours is Hours.NONE:
            return self.voice.choose("whole", banks.WHOLE_DAY)
        match goal.hours:
            case Hours.WHOLE:
                return self.voice.choose("whole", banks.WHOLE_DAY)
            case Hours.VAGUE if asked <= 1:
                return banks.VAGUE_HOURS[goal.vague][0]
            case Hours.SINGLE:
                return self.voice.choose("single", single_hour(m.start))
            case Hours.FIRST:
                return self.voice.choose("first", banks.FIRST_SLOT)
            case _:
                return self.voice.choose("range", hour_range(m.start, m.end))

    def slot(self, goal: BookingGoal) -> str:
        """The slot chosen among those proposed: « 9h40 », « le premier »."""
        start = goal.moment.start
        if goal.hours is Hours.FIRST or start is None:
            return self.voice.choose("first", banks.FIRST_SLOT)
        if goal.hours is Hours.RANGE and goal.moment.end is not None:
            return self.voice.choose("range", hour_range(start, goal.moment.end))
        return self.voice.choose("slot", banks.SLOT_CHOICE).format(hour=clock(start))

    # -- what, who, how many -------------------------------------------------------------------

    def what(self, goal: BookingGoal, *, counted: bool) -> str:
        """« la salle des fêtes », « des chaises », « 10 tables et 60 chaises »."""
        parts = []
        for item in goal.items:
            if counted and item.resource in banks.NOUNS:
                noun = (
                    banks.NOUNS[item.resource]
                    if item.quantity > 1
                    else banks.NOUN_ONE[item.resource]
                )
                parts.append(f"{item.quantity} {noun}")
            else:
                parts.append(
                    self.voice.choose(f"what:{item.resource}", banks.RESOURCE_NAMES[item.resource])
                )
        return " et ".join(parts)

    def quantity(self, goal: BookingGoal, question: str) -> str:
        """How many: of the item the question names, else of every item."""
        named = [
            i
            for i in goal.items
            if i.resource in banks.NOUNS and banks.NOUN_ONE[i.resource] in question
        ]
        items = named[:1] or list(goal.items)
        if len(items) > 1:
            return " et ".join(f"{i.quantity} {banks.NOUNS[i.resource]}" for i in items)
        item = items[0]
        nouns = banks.NOUNS if item.quantity > 1 else banks.NOUN_ONE
        noun = nouns.get(item.resource, "")
        return self.voice.choose(f"quantity:{item.resource}", quantity_forms(item.quantity, noun))

    def requester(self, goal: BookingGoal) -> str:
        return self.voice.choose("requester", banks.REQUESTER[goal.requester])

    def contact(self, goal: BookingGoal) -> tuple[str, str]:
        """(kind, text): the phone number in the goal's written form, or the e-mail address."""
        if "@" in goal.contact:
            return "email", goal.contact
        forms = phone_forms(goal.contact)
        return "phone", forms[goal.contact_form % len(forms)]

    def id_case(self, goal: BookingGoal) -> str:
        return self.voice.choose("id-case", banks.ID_CASES[goal.id_case or "premiere"])

    def ants(self, goal: BookingGoal) -> str:
        number = goal.ants or ""
        return self.voice.choose(
            "ants", (number, f"c'est {number}", f"mon numéro c'est le {number}")
        )

    # -- reports -------------------------------------------------------------------------------

    def at(self, goal: ReportGoal, *, alone: bool = True, spelling: int = 0) -> str:
        """Where: alone (« c'est rue des lila ») or inside a sentence (« devant le 12 rue … »);
        `spelling` > 0: another way of writing the street than the first one."""
        bank = banks.AT_STREET if alone else banks.AT_STREET_IN_TEXT
        street = goal.street_said
        if spelling:
            others = [s for s in banks.STREETS[goal.street] if s != goal.street_said]
            street = others[(spelling - 1) % len(others)]
        return self.voice.choose("at", bank).format(street=street)

    def category(self, goal: ReportGoal) -> str:
        return self.voice.choose("category", banks.CATEGORY_ANSWERS[goal.category])
