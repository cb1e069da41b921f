"""A scenario: the resident's goal, what they do on the way, what the database must hold after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from enum import StrEnum

from tests.dialogues.personas import Persona
from tests.dialogues.saying import ABSOLUTE


class Category(StrEnum):
    """The families of conversations, each with its own success rate."""

    HALL = "salle-des-fetes"
    ROOM = "salle-des-associations"
    GYM = "gymnase"
    EQUIPMENT = "materiel"
    APPOINTMENT = "rendez-vous-titres"
    REPORT = "signalement"
    FOLLOW_UP = "suivi"
    CORRECTION = "correction"
    TOPIC_SWITCH = "changement-de-sujet"
    FAQ_MID = "question-en-chemin"
    QUESTION_FIRST = "question-avant-formulaire"
    ABANDON = "abandon"


@dataclass(frozen=True)
class Item:
    """One thing booked, and how many."""

    resource: str
    quantity: int = 1


@dataclass(frozen=True)
class Moment:
    """The local day, and the hours when the resource is booked by the hour or the slot."""

    day: date
    start: time | None = None  # None: the whole day
    end: time | None = None
    day_form: str = ABSOLUTE  # how the resident prefers to say the day (saying.day_forms)


class Hours(StrEnum):
    """How the resident gives the hours."""

    RANGE = "plage"  # « de 18h à 20h »
    SINGLE = "un-creneau"  # « à 19h » (one slot)
    WHOLE = "toute-la-journee"  # « toute la journée » (the whole opening)
    VAGUE = "vague"  # « l'après-midi » first, then the exact hours when asked again
    FIRST = "le-premier"  # « le premier » among the proposed slots
    NONE = "sans"  # a resource booked by the day


@dataclass(frozen=True)
class BookingGoal:
    """What the resident wants to book and everything they will say about it."""

    items: tuple[Item, ...]
    moment: Moment
    requester: str  # resident, association, exterieur
    name: str  # as written
    name_key: str  # what the booking's name must contain
    contact: str  # ten national digits, or an e-mail address
    contact_form: int = 0  # which written form of the phone number (saying.phone_forms)
    hours: Hours = Hours.NONE
    vague: int = 0  # which vague wording (banks.VAGUE_HOURS) when hours is VAGUE
    id_case: str | None = None
    ants: str | None = None
    opening: str = ""  # template: {what} {day} {hours} {requester}
    in_opening: frozenset[str] = frozenset()  # facts of the first message: day, hours, …

    @property
    def resource(self) -> str:
        return self.items[0].resource


@dataclass(frozen=True)
class ReportGoal:
    """The street problem the resident reports."""

    category: str
    street: str  # as the commune file writes it
    street_said: str  # as the resident writes it (misspelt)
    description: str
    photo: bool
    opening: str = ""  # template: {description} {at}
    in_opening: frozenset[str] = frozenset({"what", "where"})


Goal = BookingGoal | ReportGoal


class Do(StrEnum):
    """Something the resident does besides answering the question asked."""

    FAQ = "question"
    CORRECT = "correction"
    SWITCH = "autre-demarche"
    ABANDON = "abandon"
    DONT_KNOW = "je-ne-sais-pas"
    MY_BOOKINGS = "mes-reservations"
    CANCEL_REFERENCE = "annuler-numero"
    CANCEL_LAST = "annuler-derniere"
    REPORT_STATUS = "etat-signalement"
    MY_REPORTS = "mes-signalements"


DONE = "fini"  # trigger of the steps said once every goal is reached


@dataclass(frozen=True)
class Step:
    """What the resident does when the assistant asks `at` (an Ask value) or, at DONE, after."""

    do: Do
    at: str
    text: str = ""  # wording, a template for corrections ({day} {hours} {quantity})
    expect: str = ""  # what the reply must contain (regular expression, accents removed)
    goal: Goal | None = None  # SWITCH: the other errand; CORRECT: the booking as corrected


@dataclass(frozen=True)
class BookingOutcome:
    """A row of `bookings` the conversation must leave."""

    resource: str
    day: date
    start: time | None  # None: from midnight to midnight
    end: time | None
    quantity: int
    status: str  # confirmed, pending, cancelled
    name_key: str
    contact: str


@dataclass(frozen=True)
class ReportOutcome:
    """A report the conversation must leave (or join, if the same problem was already open)."""

    category: str
    street: str
    photo: bool


Outcome = BookingOutcome | ReportOutcome


@dataclass(frozen=True)
class Scenario:
    """One conversation: who talks, how, what they want, and what must come of it."""

    key: str
    category: Category
    clock: str
    persona: Persona
    seed: int
    goal: Goal | None
    steps: tuple[Step, ...] = ()
    expected: tuple[Outcome, ...] = ()
    presses: frozenset[str] = frozenset()  # Ask values answered with a fitting button
    opening: str = ""  # a fixed first message (a question before any form)
    informs: tuple[str, ...] = ()  # what the first reply must say (regular expressions)
    notes: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        """One line for reports: what the resident wants."""
        goal = self.goal
        if isinstance(goal, BookingGoal):
            items = " + ".join(f"{i.resource}×{i.quantity}" for i in goal.items)
            m = goal.moment
            hours = f" {m.start:%H:%M}–{m.end:%H:%M}" if m.start and m.end else ""
            what = f"{items} {m.day.isoformat()}{hours} ({goal.requester}, {goal.hours})"
        elif isinstance(goal, ReportGoal):
            photo = "avec" if goal.photo else "sans"
            what = f"{goal.category} {goal.street} ({photo} photo)"
        else:
            what = "rien"
        steps = ", ".join(f"{s.do}@{s.at}" for s in self.steps)
        return f"{self.key} [{self.persona}] {what}" + (f"; {steps}" if steps else "")
