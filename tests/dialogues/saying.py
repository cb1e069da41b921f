"""How a resident says a day, hours, a quantity, a phone number: every form that means one value."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from functools import cache

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
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
NUMBERS = {
    1: "un",
    2: "deux",
    3: "trois",
    4: "quatre",
    5: "cinq",
    6: "six",
    8: "huit",
    10: "dix",
    12: "douze",
    15: "quinze",
    20: "vingt",
    25: "vingt-cinq",
    30: "trente",
    40: "quarante",
    50: "cinquante",
    60: "soixante",
    80: "quatre-vingts",
}

# Forms of a day. Each exists only where it means the target day, said on a given day.
ABSOLUTE = "absolu"  # le 5 janvier
WITH_YEAR = "avec-annee"  # le 5 janvier 2027
WEEKDAY_DATE = "jour-date"  # mardi 5 janvier
NUMBER = "numero"  # le 12
WEEKDAY_NUMBER = "jour-numero"  # mardi 14
THIS = "qui-vient"  # samedi qui vient, ce samedi
NEXT = "prochain"  # samedi prochain
NEXT_WEEK = "semaine-prochaine"  # samedi de la semaine prochaine
IN_WEEKS = "dans-semaines"  # dans 3 semaines
IN_DAYS = "dans-jours"  # dans 10 jours
TOMORROW = "demain"
AFTER_TOMORROW = "apres-demain"
DIGITS = "chiffres"  # 5/01
DIGITS_YEAR = "chiffres-annee"  # 05/01/2027
# Forms that depend on the day they are said.
RELATIVE: tuple[str, ...] = (THIS, NEXT, NEXT_WEEK, IN_WEEKS, IN_DAYS, TOMORROW, AFTER_TOMORROW)
RELATIVE += (NUMBER, WEEKDAY_NUMBER)


def day_number(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


@cache
def day_forms(target: date, today: date) -> dict[str, tuple[str, ...]]:
    """Every way of saying `target` that unambiguously means it when said on `today` (cached:
    the mapping is shared, never change it)."""
    delta = (target - today).days
    if delta < 1:
        return {}
    weekday, month = WEEKDAYS[target.weekday()], MONTHS[target.month - 1]
    number = day_number(target)
    forms: dict[str, tuple[str, ...]] = {
        WITH_YEAR: (f"le {number} {month} {target.year}",),
        DIGITS_YEAR: (f"{target:%d/%m/%Y}", f"{target.day}/{target.month:02d}/{target.year}"),
    }
    if delta <= 300:
        forms[ABSOLUTE] = (f"le {number} {month}", f"pour le {number} {month}")
        forms[WEEKDAY_DATE] = (f"{weekday} {number} {month}", f"le {weekday} {number} {month}")
        forms[DIGITS] = (f"{target.day}/{target.month:02d}", f"le {target:%d/%m}")
    if delta == 1:
        forms[TOMORROW] = ("demain",)
    if delta == 2:
        forms[AFTER_TOMORROW] = ("après-demain",)
    if delta in (3, 4, 5, 6, 9, 10):
        forms[IN_DAYS] = (f"dans {delta} jours",)
    weeks = {7: ("dans une semaine",), 14: ("dans quinze jours", "dans 2 semaines")}
    weeks |= {21: ("dans 3 semaines", "dans trois semaines"), 28: ("dans 4 semaines",)}
    if delta in weeks:
        forms[IN_WEEKS] = weeks[delta]
    same_week = target.isocalendar()[:2] == today.isocalendar()[:2]
    next_week = (target - timedelta(days=7)).isocalendar()[:2] == today.isocalendar()[:2]
    if same_week and delta >= 2:
        forms[THIS] = (f"{weekday} qui vient", f"ce {weekday}")
    if next_week:
        forms[NEXT_WEEK] = (f"{weekday} de la semaine prochaine",)
        if 3 <= delta <= 7:  # the next one, and next week's: nobody hesitates
            forms[NEXT] = (f"{weekday} prochain",)
    near = (target.year, target.month) in (_month_of(today, 0), _month_of(today, 1))
    if near and target.day != today.day and _first_with_number(today, target.day) == target:
        forms[NUMBER] = (f"le {number}",)
    if delta <= 45 and _first_with_weekday_number(today, target) == target:
        forms[WEEKDAY_NUMBER] = (f"{weekday} {number}", f"le {weekday} {number}")
    return forms


def _month_of(today: date, ahead: int) -> tuple[int, int]:
    month = today.month - 1 + ahead
    return today.year + month // 12, month % 12 + 1


def _first_with_number(today: date, number: int) -> date:
    day = today + timedelta(days=1)
    while day.day != number:
        day += timedelta(days=1)
    return day


def _first_with_weekday_number(today: date, target: date) -> date:
    day = today + timedelta(days=1)
    while not (day.day == target.day and day.weekday() == target.weekday()):
        day += timedelta(days=1)
    return day


def absolute(day: date) -> str:
    """The form that never depends on the day it is said: « samedi 5 décembre »."""
    return f"{WEEKDAYS[day.weekday()]} {day_number(day)} {MONTHS[day.month - 1]}"


# -- hours ------------------------------------------------------------------------------------


def clock(moment: time) -> str:
    """ "18h", "9h40"."""
    return f"{moment.hour}h" if moment.minute == 0 else f"{moment.hour}h{moment.minute:02d}"


def hour_range(start: time, end: time) -> tuple[str, ...]:
    """A range of whole hours said after the day: « de 18h à 20h », « 18h-20h »…"""
    s, e = start.hour, end.hour
    forms = [
        f"de {s}h à {e}h",
        f"{s}h-{e}h",
        f"de {s} à {e}h",
        f"entre {s}h et {e}h",
        f"de {s}h00 à {e}h00",
        f"{s}h à {e}h",
    ]
    if s >= 13 and e <= 23:
        forms.append(f"de {s - 12}h à {e - 12}h du soir")
    if s == 12:
        forms.append(f"de midi à {e}h")
    return tuple(forms)


def single_hour(start: time) -> tuple[str, ...]:
    """One slot by its start: « à 19h », « 19h »."""
    return (
        f"à {clock(start)}",
        clock(start),
        f"pour {clock(start)}",
        f"le créneau de {clock(start)}",
    )


def said_times(moment: time) -> tuple[str, ...]:
    """How the assistant may write an hour in a summary: « 18h », « 18h00 », « 18:00 », « midi »."""
    plain = clock(moment)
    forms = [plain, f"{moment.hour}h{moment.minute:02d}", f"{moment.hour:02d}:{moment.minute:02d}"]
    forms.append(f"{moment.hour}:{moment.minute:02d}")
    if moment == time(12):
        forms.append("midi")
    if moment == time(0):
        forms.append("minuit")
    return tuple(forms)


# -- quantities -------------------------------------------------------------------------------


def quantity_forms(quantity: int, noun: str) -> tuple[str, ...]:
    """Exact quantities only: « 10 », « 10 chaises », « il m'en faut 10 », « dix »."""
    forms = [str(quantity), f"{quantity} {noun}", f"il m'en faut {quantity}", f"{quantity} svp"]
    if quantity in NUMBERS and quantity > 1:  # « un » or « une »: the noun decides, not said
        forms += [NUMBERS[quantity], f"{NUMBERS[quantity]} {noun}"]
    return tuple(forms)


# -- contacts ---------------------------------------------------------------------------------

# National mobile numbers of metropolitan France, and of overseas departments written the
# national way (they dial them with a 0 like any other): 0690 Guadeloupe, 0696 Martinique,
# 0694 Guyane, 0692/0693 La Réunion, 0639 Mayotte.
MAINLAND = ("061", "062", "064", "065", "066", "067", "068", "075", "076", "078")
OVERSEAS = ("0690", "0696", "06942", "0692", "06934", "06392")  # ranges all valid


def phone_number(rng: random.Random, overseas: bool = False) -> str:
    """Ten digits, national form, no spaces: "0612345678"."""
    prefix = rng.choice(OVERSEAS if overseas else MAINLAND)
    return prefix + "".join(rng.choice("0123456789") for _ in range(10 - len(prefix)))


def phone_forms(national: str) -> tuple[str, ...]:
    """Every way residents write one number; overseas ones are written nationally only."""
    pairs = [national[i : i + 2] for i in range(0, 10, 2)]
    forms = [" ".join(pairs), national, ".".join(pairs), "-".join(pairs)]
    if not national.startswith(OVERSEAS):
        rest = national[1:]
        forms += [
            f"+33 {rest[0]} {' '.join(pairs[1:])}",
            f"+33{rest}",
            f"0033 {rest[0]} {' '.join(pairs[1:])}",
        ]
    return tuple(forms)


def email_address(rng: random.Random, name: str) -> str:
    """An address on the example domains (nothing is ever delivered there)."""
    local = "".join(
        c for c in name.lower().replace(" ", ".") if c.isascii() and (c.isalnum() or c == ".")
    )
    local = local.strip(".") or "habitant"
    return (
        f"{local}{rng.randrange(10, 99)}@{rng.choice(('example.fr', 'example.com', 'example.org'))}"
    )


ANTS_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def ants_number(rng: random.Random) -> str:
    """A pre-application number shaped like ANTS's: 10 letters and digits, both present."""
    while True:
        found = "".join(rng.choice(ANTS_ALPHABET) for _ in range(10))
        if any(c.isdigit() for c in found) and any(c.isalpha() for c in found):
            return found
