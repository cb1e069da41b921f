"""French date words: a normaliser, a lexicon and small rules that turn tokens into date pieces."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.answers import fold

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5}
WEEKDAYS |= {"dimanche": 6, "lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6}
MONTHS = {"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4}
MONTHS |= {"avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9}
MONTHS |= {"sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12}
MONTHS |= {"dec": 12}
UNITS = {"seconde": "second", "secondes": "second", "sec": "second", "minute": "minute"}
UNITS |= {"minutes": "minute", "min": "minute", "mn": "minute", "heure": "hour", "heures": "hour"}
UNITS |= {"jour": "day", "jours": "day", "semaine": "week", "semaines": "week"}
UNITS |= {"mois": "month", "an": "year", "ans": "year", "annee": "year", "annees": "year"}
NEXT = {"prochain", "prochaine", "suivant", "suivante"}
LAST = {"dernier", "derniere", "passe", "passee", "precedent", "precedente"}
# Hours [start, end) of the parts of a day, and of their beginning, middle and end.
PARTS = {"matin": (4, 12), "matinee": (4, 12), "apresmidi": (12, 19), "soir": (18, 24)}
PARTS |= {"soiree": (18, 24), "aprem": (12, 19)}
SUBPARTS = {("debut", "matin"): (7, 9), ("milieu", "matin"): (9, 11), ("fin", "matin"): (10, 12)}
SUBPARTS |= {("debut", "apresmidi"): (12, 14), ("milieu", "apresmidi"): (14, 17)}
SUBPARTS |= {("fin", "apresmidi"): (17, 19), ("debut", "journee"): (6, 10)}
SUBPARTS |= {("milieu", "journee"): (11, 16), ("fin", "journee"): (17, 21)}
SUBPARTS |= {("debut", "soir"): (18, 21), ("fin", "soir"): (21, 24)}
MEALS = {"avant": (10, 12), "pendant": (12, 14), "apres": (13, 17)}
# Fixed holidays (month, day) and movable ones (days after Easter Sunday).
HOLIDAYS: dict[str, tuple[int, int]] = {"noel": (12, 25), "toussaint": (11, 1), "an": (1, 1)}
HOLIDAYS |= {"travail": (5, 1), "nationale": (7, 14), "armistice": (11, 11), "assomption": (8, 15)}
HOLIDAYS |= {"sylvestre": (12, 31), "reveillon": (12, 31), "valentin": (2, 14)}
HOLIDAYS |= {"musique": (6, 21), "halloween": (10, 31)}
EASTER = {"paques": 0, "ascension": 39, "pentecote": 49}
NUMBERS = {"zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6}
NUMBERS |= {"sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13}
NUMBERS |= {"quatorze": 14, "quinze": 15, "seize": 16, "premier": 1, "premiere": 1}
NUMBERS |= {"deuxieme": 2, "second": 2, "troisieme": 3, "quatrieme": 4}
TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50}
COMPOUNDS = [  # written forms that are one word to us
    (r"apres[ -]*midi", "apresmidi"),
    (r"week[ -]*end", "weekend"),
    (r"apres[ -]*demain", "apresdemain"),
    (r"avant[ -]*hier", "avanthier"),
    (r"aujourd ?hui", "aujourdhui"),
    (r"tout de suite", "maintenant"),
    (r"jusqu ?au|jusqu ?a(?: l)?", "jusqua"),
    (r"a partir d[eu]?|des|plus tard que|apres", "apartir"),
    (r"il y a", "ilya"),
    (r"d ?ici", "dici"),
]


@dataclass(frozen=True)
class Day:
    """Constraints naming one calendar day; the resolver picks the date."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    offset: int | None = None  # days from today: demain = 1
    week: int | None = None  # the weekday in the week `week` weeks from this one
    not_before: int = 0  # "lundi en huit": not before today + 7
    past: bool = False  # "dimanche dernier"
    holiday: str | None = None
    shift: int = 0  # "le lendemain du 13" = +1
    nth: int | None = None  # "le premier mardi de mars": nth weekday of the month (-1 the last)
    month_shift: int | None = None  # "du mois prochain": the month is relative to this one


@dataclass(frozen=True)
class Clock:
    """A time of day as said: 24 is midnight at the end of the day."""

    hour: int
    minute: int = 0
    exact: bool = False  # minutes were said
    pm: bool | None = None  # "du soir" / "du matin"
    zone: int | None = None  # UTC offset in hours when said ("16h CET")


@dataclass(frozen=True)
class Part:
    """A part of the day in hours, [start, end)."""

    start: int
    end: int


@dataclass(frozen=True)
class Offset:
    """ "dans 3 jours", "il y a 2 mois": an amount of a unit from now."""

    amount: int
    unit: str
    kind: str = "at"  # "at" one instant, "run" whole units ("3 prochains mois"), "within" now→


@dataclass(frozen=True)
class Period:
    """A calendar week, month, year or week-end; `shift` periods from the current one."""

    unit: str  # "week" | "month" | "year" | "weekend"
    shift: int = 0
    month: int | None = None
    year: int | None = None
    nth: int | None = None  # "le premier week-end de septembre"
    part: str | None = None  # "debut" | "milieu" | "fin"


@dataclass(frozen=True)
class Num:
    """A bare number nothing else claimed ("entre midi et 2")."""

    value: int


Piece = Day | Clock | Part | Offset | Period | Num | str
Rule = Callable[[list[str], int], tuple[Piece, int] | None]


def normalise(text: str) -> list[str]:
    """Lower-case, accents and elisions off, compounds joined, number words as digits."""
    s = fold(text)
    # SMS spellings of the day words (« dmain », « apres-dmain », « ajd »).
    s = re.sub(r"\b(?:dmain|dem1|2main)\b", "demain", s)
    s = re.sub(r"\b(?:ajd|auj|aujd)\b", "aujourd hui", s)
    s = re.sub(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", r"\3/\2/\1", s)
    s = re.sub(r"\b(\d{1,2})[-.](\d{1,2})[-.](\d{2}|\d{4})\b", r"\1/\2/\3", s)
    s = re.sub(r"\b(\d+) ?(''|\")", r"\1 secondes ", s)
    s = re.sub(r"\b(\d+) ?'(?!\w)", r"\1 minutes ", s)
    s = re.sub(r"[^\w/:\-]+", " ", s)
    s = re.sub(r"(?<=[a-z])-(?=[a-z])", " ", s)
    s = re.sub(r"\bmi\b", "milieu", s)
    s = re.sub(r"\b(?:une )?demi heure\b", "30 minutes", s)
    s = re.sub(r"\b(?:un )?quart d heure\b", "15 minutes", s)
    s = re.sub(r"\s*-\s*", " - ", s)
    s = re.sub(r"\b(\d+)(?:er|ere|eme|e|nd|nde)\b", r"\1", s)
    s = re.sub(r"\b(\d{1,2}) ?h(?: ?(\d{2}))?\b", lambda m: f"{m[1]}h{m[2] or ''}", s)
    for pattern, word in COMPOUNDS:
        s = re.sub(rf"\b(?:{pattern})\b", word, s)
    return _numbers(s.split())


def _numbers(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in TENS:
            value, i = TENS[tok], i + 1
            if _at(tokens, i) == "et" and _at(tokens, i + 1) in ("un", "une"):
                value, i = value + 1, i + 2
            elif _at(tokens, i) in NUMBERS and NUMBERS[_at(tokens, i)] < 10:
                value, i = value + NUMBERS[tokens[i]], i + 1
            out.append(str(value))
        elif tok == "dix" and _at(tokens, i + 1) in ("sept", "huit", "neuf"):
            out.append(str(10 + NUMBERS[tokens[i + 1]]))
            i += 2
        elif tok == "sept" and out and out[-1].isdigit():  # "15 sept": the month
            out.append("septembre")
            i += 1
        else:
            out.append(str(NUMBERS[tok]) if tok in NUMBERS else tok)
            i += 1
    return out


def _at(tokens: list[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ""


def _num(tok: str) -> int | None:
    return int(tok) if tok.isdigit() and len(tok) <= 4 else None


def _skip(tokens: list[str], i: int, words: set[str]) -> int:
    while _at(tokens, i) in words:
        i += 1
    return i


def _year(tokens: list[str], i: int) -> tuple[int | None, int]:
    tok = _at(tokens, i)
    if tok.isdigit() and len(tok) in (2, 4) and _at(tokens, i + 1) not in UNITS:
        year = int(tok)
        return (year if year >= 100 else 2000 + year if year < 50 else 1900 + year), i + 1
    return None, i


def _shift(tokens: list[str], i: int) -> tuple[int | None, int]:
    """ "prochain", "d'après" -> 1; "dernier" -> -1."""
    tok = _at(tokens, i)
    if tok in NEXT:
        return 1, i + 1
    if tok == "d" and _at(tokens, i + 1) == "apartir":
        return 1, i + 2
    if tok in LAST:
        return -1, i + 1
    return None, i


def scan(text: str) -> list[Piece]:
    """The date pieces of a French sentence in the order said; unknown words are dropped."""
    tokens = normalise(text)
    pieces: list[Piece] = []
    i = 0
    while i < len(tokens):
        for rule in RULES:
            found = rule(tokens, i)
            if found is not None:
                pieces.append(found[0])
                i = found[1]
                break
        else:
            i += 1
    return pieces


def _direction(tok: str) -> int | None:
    """ "prochaines" -> 1, "derniers" -> -1 (plural or not)."""
    tok = tok.removesuffix("s")
    return 1 if tok in NEXT else -1 if tok in LAST else None


def _run(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    """ "3 prochains mois", "2 dernières secondes", "2 années passées", "d'ici 2 semaines"."""
    amount = _num(_at(tokens, i + 1)) if tokens[i] == "dici" else _num(tokens[i])
    if amount is None:
        return None
    if tokens[i] == "dici" and _at(tokens, i + 2) in UNITS:
        return Offset(amount, UNITS[tokens[i + 2]], "within"), i + 3
    first, second = _at(tokens, i + 1), _at(tokens, i + 2)
    if _direction(first) is not None and second in UNITS:
        return Offset(amount * (_direction(first) or 1), UNITS[second], "run"), i + 3
    if first in UNITS and _direction(second) is not None and _at(tokens, i + 3) != "de":
        return Offset(amount * (_direction(second) or 1), UNITS[first], "run"), i + 3
    return None


SEASONS = {"printemps": 0, "ete": 1, "automne": 2, "hiver": 3}


def _season(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    # "été" is also a past participle ("a été réservée"): only after cet, l', en...
    if tokens[i] in SEASONS and _at(tokens, i - 1) in ("ce", "cet", "cette", "l", "en", "au"):
        shift, j = _shift(tokens, i + 1)
        return Period("season", shift=shift or 0, nth=SEASONS[tokens[i]]), j
    return None


def _offset(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok, sign = tokens[i], 1
    j = i + 1 if tok in ("dans", "ilya") else i
    if tok == "ilya":
        sign = -1
    hours = re.fullmatch(r"(\d{1,2})h", _at(tokens, j))
    if tok == "dans" and hours:  # "dans 1h"
        return Offset(int(hours[1]), "hour"), j + 1
    amount, unit = _num(_at(tokens, j)), UNITS.get(_at(tokens, j + 1))
    if amount is None or unit is None:
        return None
    k = j + 2
    if j == i:  # "2 jours plus tard", "3 jours avant"
        if tokens[k : k + 2] in (["plus", "tard"], ["plus", "tot"]):
            sign, k = (1 if tokens[k + 1] == "tard" else -1), k + 2
        elif _at(tokens, k) in ("apartir", "avant", "auparavant"):
            sign, k = (1 if tokens[k] == "apartir" else -1), k + 1
        else:
            return None
    if unit == "day" and amount in (8, 15):  # "huit jours" is a week, "quinze jours" two
        amount -= 1
    return Offset(sign * amount, unit), k


def _nth(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok = tokens[i]
    nth = -1 if tok in ("dernier", "derniere") else _num(tok)
    unit = _at(tokens, i + 1)
    units = ("weekend", "semaine", "quinzaine", "jour", *WEEKDAYS)
    if nth is None or not -1 <= nth <= 5 or nth == 0 or unit not in units:
        return None
    j = _skip(tokens, i + 2, {"de", "d", "du", "mois", "ce"})
    month = MONTHS.get(_at(tokens, j))
    if month is None and unit in WEEKDAYS and _at(tokens, j - 1) == "mois":
        shift, k = _shift(tokens, j)  # "le premier mercredi du mois prochain"
        return Day(weekday=WEEKDAYS[unit], nth=nth, month_shift=shift or 0), k
    if month is None:
        return None
    year, j = _year(tokens, j + 1)
    if unit in WEEKDAYS or unit == "jour":  # "le dernier jour d'octobre"
        return Day(weekday=WEEKDAYS.get(unit), month=month, year=year, nth=nth), j
    kind = {"weekend": "weekend", "semaine": "week", "quinzaine": "fortnight"}[unit]
    return Period(kind, month=month, year=year, nth=nth), j


def _holiday(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok, nxt = tokens[i], _at(tokens, i + 1)
    if tok == "jour" and tokens[i + 1 : i + 4] == ["de", "l", "an"]:
        return Day(holiday="an"), i + 4
    if tok == "nouvel" and nxt == "an":
        return Day(holiday="an"), i + 2
    if tok == "fete":
        j = _skip(tokens, i + 1, {"du", "de", "la", "des"})
        word = {"bastille": "nationale"}.get(_at(tokens, j), _at(tokens, j))
        return (Day(holiday=word), j + 1) if word in HOLIDAYS else None
    if tok == "lundi" and nxt == "de" and _at(tokens, i + 2) in ("paques", "pentecote"):
        return Day(holiday=tokens[i + 2], shift=1), i + 3
    if tok == "reveillon" and nxt == "de" and _at(tokens, i + 2) == "noel":
        return Day(holiday="noel", shift=-1), i + 3
    if tok == "noel" and tokens[max(0, i - 2) : i] in (
        ["soir", "de"],
        ["soiree", "de"],
        ["nuit", "de"],
    ):
        # "le soir de Noël" is Christmas Eve, the 24th: the réveillon, not the 25th's evening.
        return Day(holiday="noel", shift=-1), i + 1
    if tok == "saint" and nxt in ("sylvestre", "valentin"):
        return Day(holiday=nxt), i + 2
    if tok in EASTER or (tok in HOLIDAYS and tok not in ("an", "travail", "nationale")):
        return Day(holiday=tok), i + 1
    return None


RELATIVE_DAYS = {"aujourdhui": 0, "demain": 1, "apresdemain": 2, "hier": -1, "avanthier": -2}


def _relative(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok = tokens[i]
    if tok == "maintenant" or tokens[i : i + 3] == ["en", "ce", "moment"]:
        return Offset(0, "second"), i + (1 if tok == "maintenant" else 3)
    if tok == "jour":  # "le jour d'après", "le jour précédent"
        shift, j = _shift(tokens, i + 1)
        if shift is None and _at(tokens, i + 1) == "d" and _at(tokens, i + 2) == "avant":
            shift, j = -1, i + 3
        if shift is not None:
            return Day(offset=shift), j
        return (Day(offset=0), i + 1) if _at(tokens, i - 1) == "ce" else None
    if tok == "journee" and _at(tokens, i - 1) == "la" and _at(tokens, i - 2) == "dans":
        return Day(offset=0), i + 1
    if tok in RELATIVE_DAYS:
        offset, j = RELATIVE_DAYS[tok], i + 1
        if _at(tokens, j) == "en" and _at(tokens, j + 1) in ("8", "15"):  # "demain en huit"
            offset, j = offset + (7 if tokens[j + 1] == "8" else 14), j + 2
        return Day(offset=offset), j
    if tok in ("lendemain", "veille"):
        shift = 1 if tok == "lendemain" else -1
        j = _skip(tokens, i + 1, {"du", "de", "d", "le"})
        for rule in (_holiday, _weekday, _date):
            found = rule(tokens, j) if j < len(tokens) else None
            if found is not None and isinstance(found[0], Day):
                return replace(found[0], shift=found[0].shift + shift), found[1]
        return Day(offset=shift), i + 1
    return None


def _weekday(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    weekday = WEEKDAYS.get(tokens[i])
    if weekday is None:
        return None
    j = i + 1
    day = _num(_at(tokens, j))
    if day is not None and 1 <= day <= 31 and _at(tokens, j + 1) not in UNITS:
        month = MONTHS.get(_at(tokens, j + 1))
        year, k = _year(tokens, j + 2) if month else (None, j + 1)
        return Day(day=day, month=month, year=year, weekday=weekday), k
    shift, k = _shift(tokens, j)
    if shift is not None and _at(tokens, j) in NEXT - {"suivant", "suivante"} | LAST:
        return Day(weekday=weekday, past=shift < 0), k  # "lundi prochain": the coming Monday
    if shift is not None:  # "mercredi suivant", "mercredi d'après": next week's
        return Day(weekday=weekday, week=1), k
    if _at(tokens, j) == "en" and _at(tokens, j + 1) in ("8", "15"):  # "lundi en huit"
        return Day(weekday=weekday, not_before=7 if tokens[j + 1] == "8" else 14), j + 2
    k = _skip(tokens, j, {"de", "la", "cette"})
    if _at(tokens, k) == "semaine":
        shift, end = _shift(tokens, k + 1)
        if shift is not None or _at(tokens, k - 1) == "cette":
            return Day(weekday=weekday, week=shift or 0), end
    return Day(weekday=weekday), j


TIME_ZONES = {"cet": 1, "cest": 2, "gmt": 0, "utc": 0}


def _clock(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok = tokens[i]
    said = re.fullmatch(r"(\d{1,2})(?:h|:)(\d{2})?", tok)
    if said:
        hour, minute, exact, j = int(said[1]), int(said[2] or 0), said[2] is not None, i + 1
    elif _num(tok) is not None and _at(tokens, i + 1) in ("heure", "heures"):
        hour, minute, exact, j = int(tok), 0, False, i + 2
    elif tok in ("midi", "minuit"):
        hour, minute, exact, j = (12 if tok == "midi" else 0), 0, False, i + 1
    else:
        return None
    if not exact:
        minutes, j = _minutes(tokens, j)
        if minutes is not None:
            hour, minute, exact = hour + minutes // 60, minutes % 60, True
    if hour > 24 or minute > 59:
        return None
    pm, after = None, tokens[j : j + 3]
    if after[:2] in (["du", "matin"], ["du", "mat"]):
        pm, j = False, j + 2
    elif after[:2] == ["du", "soir"] or after in (["de", "l", "apresmidi"], ["de", "l", "aprem"]):
        pm, j = True, j + len(after) if after[0] == "de" else j + 2
    clock = Clock(hour % 24, minute, exact, pm)
    if _at(tokens, j) in TIME_ZONES and _at(tokens, j + 1) not in PARTS:
        return replace(clock, zone=TIME_ZONES[tokens[j]]), j + 1
    return clock, j


def _minutes(tokens: list[str], j: int) -> tuple[int | None, int]:
    """Minutes after an hour: "et quart", "et demie", "moins le quart", "15", "passé de 15 min"."""
    a, b, c = _at(tokens, j), _at(tokens, j + 1), _at(tokens, j + 2)
    words = {"minute", "minutes", "min", "mn"}
    if a == "et" and b in ("quart", "demi", "demie"):
        return (15 if b == "quart" else 30), j + 2
    if a == "3" and b == "quarts":
        return 45, j + 2
    if a == "moins" and (b == "quart" or (b == "le" and c == "quart")):
        return -15, j + (2 if b == "quart" else 3)
    if a == "moins" and _num(b) is not None:
        return -int(b), _skip(tokens, j + 2, words)
    if a in ("et", "passe") and b != "de" and _num(b) is not None and c in words:
        return int(b), j + 3
    if a == "passe" and b == "de" and _num(c) is not None:
        return int(c), _skip(tokens, j + 3, words)
    n = _num(a)
    if n is not None and n <= 59 and b not in UNITS and b not in MONTHS and b != "-":
        return n, _skip(tokens, j + 1, words)
    return None, j


def _date(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok = tokens[i]
    slashed = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?", tok)
    if slashed:
        year, _ = _year([slashed[3] or ""], 0)
        return Day(day=int(slashed[1]), month=int(slashed[2]), year=year), i + 1
    day = _num(tok)
    if day is None or not 1 <= day <= 31:
        return None
    j = i + 1
    if _at(tokens, j) == "jour" and _at(tokens, j + 1) in ("de", "d"):  # "3e jour d'octobre"
        j += 2
    month = MONTHS.get(_at(tokens, j))
    numeric = _at(tokens, j).isdigit() and 1 <= int(tokens[j]) <= 12
    if month is None and numeric and _at(tokens, j + 1) not in UNITS:  # "17 02", "20 2 14"
        month = int(tokens[j])
    if month is not None:
        year, k = _year(tokens, j + 1)
        return Day(day=day, month=month, year=year), k
    if _at(tokens, i - 1) in ("le", "du", "au", "l", "entre", "apartir", "jusqua") or _at(
        tokens, j
    ) in ("au", "-", "jusqua"):
        return Day(day=day), j
    return None


def _period_part(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    """ "en fin de matinée", "au début de la semaine", "fin mars"."""
    mod = tokens[i]
    if mod not in ("debut", "milieu", "fin"):
        return None
    j = _skip(tokens, i + 1, {"de", "d", "du", "la", "l", "le"})
    word = _at(tokens, j)
    key = {"matinee": "matin", "soiree": "soir", "aprem": "apresmidi"}.get(word, word)
    if (mod, key) in SUBPARTS:
        return Part(*SUBPARTS[mod, key]), j + 1
    if word == "mois" and _at(tokens, j + 1) in ("de", "d"):
        j += 2
        word = _at(tokens, j)
    if word in MONTHS:
        year, k = _year(tokens, j + 1)
        return Period("month", month=MONTHS[word], year=year, part=mod), k
    if word in ("semaine", "mois", "annee", "an"):
        shift, k = _shift(tokens, j + 1)
        return Period(UNITS[word], shift=shift or 0, part=mod), k
    return None


def _part(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    """ "le matin", "très tôt le matin", "le matin tôt", "l'après-midi", "ce soir"."""
    j, early = i, False
    if tokens[i : i + 2] == ["tres", "tot"] or tokens[i] == "tot":
        early = True
        j = _skip(tokens, i + (2 if tokens[i] == "tres" else 1), {"le", "la", "l", "en"})
    word = _at(tokens, j)
    if word not in PARTS:
        return None
    j += 1
    if not early and (_at(tokens, j) == "tot" or tokens[j : j + 2] == ["tres", "tot"]):
        early, j = True, j + (1 if tokens[j] == "tot" else 2)
    key = {"matinee": "matin", "soiree": "soir", "aprem": "apresmidi"}.get(word, word)
    return Part(*(SUBPARTS[("debut", key)] if early else PARTS[word])), j


def _meal(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    tok = tokens[i]
    if tok == "dejeuner":
        return Part(*MEALS["pendant"]), i + 1
    if tok in ("apartir", "avant"):
        j = _skip(tokens, i + 1, {"le", "la", "l"})
        if _at(tokens, j) in ("dejeuner", "repas"):
            return Part(*MEALS["apres" if tok == "apartir" else "avant"]), j + 1
        if _at(tokens, j) == "travail" and tok == "apartir":
            return Part(17, 21), j + 1
    return None


def _period(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    """ "cette semaine", "le mois prochain", "l'année dernière", "ce week-end", "en mars"."""
    tok = tokens[i]
    if tok == "mois" and _at(tokens, i + 1) in ("de", "d") and _at(tokens, i + 2) in MONTHS:
        year, j = _year(tokens, i + 3)
        return Period("month", month=MONTHS[tokens[i + 2]], year=year), j
    if tok in MONTHS:
        year, j = _year(tokens, i + 1)
        return Period("month", month=MONTHS[tok], year=year), j
    if re.fullmatch(r"(19|20)\d\d", tok) and _at(tokens, i - 1) in ("en", "annee", "l"):
        return Period("year", year=int(tok)), i + 1
    if tok not in ("weekend", "semaine", "mois", "annee", "an"):
        return None
    shift, j = _shift(tokens, i + 1)
    if shift is None and _at(tokens, j) == "ci":
        shift, j = 0, j + 1
    if shift is None and tok == "an":
        return None
    return Period("weekend" if tok == "weekend" else UNITS[tok], shift=shift or 0), j


CONNECTORS = {"a": "to", "au": "to", "-": "to", "et": "and", "jusqua": "until"}
CONNECTORS |= {"apartir": "after", "avant": "before"}


def _connector(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    if tokens[i] not in CONNECTORS or i + 1 >= len(tokens):
        return None
    # Only a connector right before a date piece counts: "des associations le 12" is not
    # "dès" (from) the 12th, and "à" in "la salle à 14h" still joins.
    if not any(rule(tokens, i + 1) for rule in RULES if rule is not _connector):
        return None
    return CONNECTORS[tokens[i]], i + 1


def _bare(tokens: list[str], i: int) -> tuple[Piece, int] | None:
    n = _num(tokens[i])
    return (Num(n), i + 1) if n is not None else None


RULES: tuple[Rule, ...] = (
    _run,
    _offset,
    _nth,
    _season,
    _holiday,
    _relative,
    _weekday,
    _clock,
    _date,
)
RULES += (_period_part, _part, _meal, _period, _connector, _bare)
