"""Dated opening questions: is the town hall (or a resource) open on a given local day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.closures import Closed, Why, closure, holiday
from bot.commune import Commune
from bot.dates import say_date
from bot.hours import DAYS, Range, say_ranges, say_time
from bot.schema import TOWN_HALL, WASTE_CENTRE
from calendar_store.wording import noun

# How far ahead the next opening is looked for (a closure lasts a year at most).
LOOK_AHEAD = timedelta(days=400)
# A whole-day resource's "hours" on a day it may be booked (a marker, never said as hours).
_WHOLE_DAY = (Range(time(0), time(23, 59)),)


@dataclass(frozen=True)
class Place:
    """What a sentence needs of a place: its name, its verbs, its hours and holiday rule."""

    key: str  # "mairie", "dechetterie" or a resource's short name
    phrase: str  # « la mairie », « le gymnase »
    closed_verb: str  # « est fermée », « ne se réserve pas »
    open_verb: str  # « est ouverte », « se réserve »
    open_on_holidays: bool
    whole_days: bool  # a resource booked by whole days: no hours to say

    def ranges(self, commune: Commune, day: date) -> tuple[Range, ...]:
        """Its weekly hours on that weekday (a whole-day resource: the whole day or nothing)."""
        weekday = DAYS[day.weekday()]
        if self.key == TOWN_HALL:
            return commune.data.mairie.horaires.day(weekday)
        if self.key == WASTE_CENTRE:
            return commune.data.dechetterie.horaires.day(weekday)
        entry = commune.data.ressources[self.key]
        if self.whole_days:
            return _WHOLE_DAY if weekday in entry.jours else ()
        return entry.horaires.day(weekday) if entry.horaires is not None else ()


def place_of(commune: Commune, key: str = TOWN_HALL) -> Place:
    """The town hall, the waste centre or a resource; ValueError for anything else."""
    if key in (TOWN_HALL, WASTE_CENTRE):
        phrase = "la mairie" if key == TOWN_HALL else "la déchetterie"
        return Place(key, phrase, "est fermée", "est ouverte", False, False)
    entry = commune.data.ressources.get(key)
    if entry is None:
        raise ValueError(f"unknown place: {key!r}")
    name = noun(entry.nom)
    return Place(
        key,
        name.phrase,
        f"ne {name.verb('se réserve', 'se réservent')} pas",
        name.verb("se réserve", "se réservent"),
        entry.ouvert_jours_feries,
        entry.reservation == "journee",
    )


def opening_on(commune: Commune, day: date, place: str = TOWN_HALL) -> str:
    """The French answer to « êtes-vous ouverts le … ? » for `place` on the local `day`.

    `place` is "mairie" (the default), "dechetterie" or a resource's short name from the
    commune file (« salle-des-fetes »). A closure wins over a holiday, a holiday over the
    weekly hours; a closed day also says when `place` next opens.
    """
    where = place_of(commune, place)
    said = {"jour": say_date(day), "lieu": where.phrase}
    closed = _closed(commune, where, day)
    if closed is not None:
        said.update(ferme=where.closed_verb, prochain=next_opening(commune, where, day))
        if closed.why is Why.CLOSURE:
            return commune.message("ferme_exceptionnellement", raison=closed.name, **said)
        return commune.message("ferme_jour_ferie", fete=closed.name, **said)
    ranges = where.ranges(commune, day)
    if not ranges:
        said.update(ferme=where.closed_verb, prochain=next_opening(commune, where, day))
        return commune.message("ferme_ce_jour", **said)
    hours = "toute la journée" if ranges == _WHOLE_DAY else say_ranges(ranges)
    fete = holiday(day, alsace_moselle=commune.data.fermetures.alsace_moselle) or ""
    said.update(fete=fete, ouvert=where.open_verb, horaires=hours)
    return commune.message("ouvert_ce_jour", **said)


def next_opening(commune: Commune, where: Place, after: date) -> str:
    """ "mardi 30 mars 2027 à 8h30" (a whole-day resource: the date alone); "" if none."""
    day = after + timedelta(days=1)
    while day - after <= LOOK_AHEAD:
        ranges = where.ranges(commune, day)
        if ranges and _closed(commune, where, day) is None:
            if ranges == _WHOLE_DAY:
                return say_date(day)
            return f"{say_date(day)} à {say_time(ranges[0].start)}"
        day += timedelta(days=1)
    return ""


def opens_at(commune: Commune, now: datetime, place: str = TOWN_HALL) -> datetime | None:
    """None while `place` is open at the local `now`; otherwise when it next opens."""
    where = place_of(commune, place)
    day = now.date()
    while day - now.date() <= LOOK_AHEAD:
        if _closed(commune, where, day) is None:
            for opening in where.ranges(commune, day):
                start = datetime.combine(day, opening.start, tzinfo=now.tzinfo)
                end = datetime.combine(day, opening.end, tzinfo=now.tzinfo)
                if start <= now < end:
                    return None
                if now < start:
                    return start
        day += timedelta(days=1)
    return None


def _closed(commune: Commune, where: Place, day: date) -> Closed | None:
    return closure(commune.data.fermetures, day, where.key, open_on_holidays=where.open_on_holidays)
