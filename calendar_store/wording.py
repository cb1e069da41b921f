"""French wording for residents: resource names with their article, durations and dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from calendar_store.spec import Requester

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_ARTICLES = ("les ", "le ", "la ", "l'", "l’")
# Who may book, as a plural subject, and whether that subject is feminine (for "Seules").
_REQUESTERS: dict[Requester, tuple[str, bool]] = {
    Requester.RESIDENT: ("les habitants de la commune", False),
    Requester.EXTERIEUR: ("les personnes extérieures à la commune", True),
    Requester.ASSOCIATION: ("les associations", True),
}


@dataclass(frozen=True)
class Noun:
    """A resource's name as a sentence needs it: "la salle des fêtes", "les chaises"."""

    phrase: str  # with its article, lower case: the object of a sentence
    bare: str  # without article: "chaises", for "200 chaises"
    plural: bool

    @property
    def subject(self) -> str:
        """The phrase opening a sentence."""
        return self.phrase[:1].upper() + self.phrase[1:]

    def verb(self, singular: str, plural: str) -> str:
        """The verb agreeing with this noun."""
        return plural if self.plural else singular


def noun(name: str) -> Noun:
    """Read the article off a resource's name ("La salle des fêtes", "les chaises").

    The commune file names resources with their article so that sentences read naturally;
    a name without one is used as written.
    """
    lowered = name[:1].lower() + name[1:]
    for article in _ARTICLES:
        if lowered.lower().startswith(article):
            return Noun(lowered, lowered[len(article) :], article == "les ")
    return Noun(name, name, False)


def duration(span: timedelta) -> str:
    """A notice or a horizon: "48 heures", "365 jours", "30 minutes"."""
    minutes = int(span.total_seconds()) // 60
    if minutes % (24 * 60) == 0 and minutes > 72 * 60:
        return _count(minutes // (24 * 60), "jour")
    if minutes % 60 == 0:
        return _count(minutes // 60, "heure")
    return _count(minutes, "minute")


def day(value: date) -> str:
    """A date as said aloud: "dimanche 29 mars", "samedi 1er août"."""
    number = "1er" if value.day == 1 else str(value.day)
    return f"{WEEKDAYS[value.weekday()]} {number} {MONTHS[value.month - 1]}"


def hour(value: datetime) -> str:
    """A local wall-clock time as French writes it: "18 h", "9 h 20"."""
    return f"{value.hour} h" if value.minute == 0 else f"{value.hour} h {value.minute:02d}"


def span(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """When a booking is, in words: whole days or hours of one day."""
    first, last = start.astimezone(tz), end.astimezone(tz)
    if first.time() == last.time() == time(0):
        final = last.date() - timedelta(days=1)
        if final == first.date():
            return f"le {day(first.date())}, toute la journée"
        return f"du {day(first.date())} au {day(final)}"
    return f"le {day(first.date())} de {hour(first)} à {hour(last)}"


def only(requesters: Iterable[Requester], resource: Noun) -> str:
    """Who alone may book: "Seules les associations peuvent réserver le gymnase."."""
    who = [_REQUESTERS[r] for r in Requester if r in set(requesters)]
    if not who:
        return f"Personne ne peut réserver {resource.phrase} en ligne."
    feminine = all(f for _, f in who)
    names = [n for n, _ in who]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
    return f"{'Seules' if feminine else 'Seuls'} {listed} peuvent réserver {resource.phrase}."


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"
