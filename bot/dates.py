"""Dates said in French ("samedi prochain", "le 12 de 14h à 18h"), understood and said back."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, timezone

from babel.dates import format_date

from bot.dates_fr import EASTER, HOLIDAYS, Clock, Day, Num, Offset, Part, Period, Piece, scan
from bot.hours import say_time

LOCALE = "fr_FR"
# A month's and a year's beginning, middle and end, as [first, last) day or month numbers.
MONTH_PARTS = {"debut": (1, 11), "milieu": (11, 21), "fin": (21, 32)}
YEAR_PARTS = {"debut": (1, 3), "milieu": (5, 9), "fin": (11, 13)}
WEEK_PARTS = {"debut": (0, 2), "milieu": (2, 4), "fin": (3, 7)}
UNIT_DAYS = {"day": 1, "week": 7}
UNIT_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
# Astronomical seasons as Duckling dates them: printemps, été, automne, hiver.
SEASONS = (((3, 20), (6, 21)), ((6, 21), (9, 24)), ((9, 23), (12, 21)), ((12, 21), (3, 20)))


@dataclass(frozen=True)
class When:
    """An instant or a half-open range [start, end), in the reference's timezone."""

    start: datetime
    end: datetime | None
    grain: str  # "second" | "minute" | "hour" | "day" | "week" | "month" | "year"
    has_time: bool  # a time of day was said
    vague: bool = field(default=False, compare=False)  # "le matin", "le soir": not hours
    dated: bool = field(default=True, compare=False)  # False: only hours were said


@dataclass(frozen=True)
class _Span:
    start: Clock | Day
    end: Clock | Day


@dataclass(frozen=True)
class _Open:
    piece: Clock | Day
    after: bool  # "à partir de 10h"; False for "jusqu'à 16h"


Item = Piece | _Span | _Open


def understand(
    text: str, now: datetime, *, prefer_future: bool = True, on: date | None = None
) -> When | None:
    """What `text` means relative to `now` (timezone-aware); None when it names no time.

    `on` is the day already being discussed: hours said without a day are on it ("de 18h à
    20h" after "le 5 janvier"), and a weekday alone is the one nearest to it ("plutôt
    dimanche" after "samedi 12" is Sunday the 13th).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    items = _spans(scan(text))
    when = _Resolver(now, prefer_future, on).resolve(items) if items else None
    if when is not None:
        dated = any(isinstance(i, Day | Offset | Period) for i in items) or any(
            (isinstance(i, _Span) and isinstance(i.start, Day))
            or (isinstance(i, _Open) and isinstance(i.piece, Day))
            for i in items
        )
        return replace(when, dated=dated)
    return _fallback(text, now, prefer_future)


def say_date(d: date | datetime) -> str:
    """ "samedi 5 décembre 2026", "mardi 1er décembre 2026"."""
    day = d.date() if isinstance(d, datetime) else d
    number = "1er" if day.day == 1 else str(day.day)
    weekday = format_date(day, "EEEE", locale=LOCALE).lower()
    return f"{weekday} {number} {format_date(day, 'MMMM y', locale=LOCALE)}"


def say_when(w: When) -> str:
    """ "samedi 5 décembre 2026 de 14h à 18h", "mardi 1er décembre 2026 à 9h20"."""
    if w.end is None:
        return f"{say_date(w.start)} à {_say_clock(w.start)}" if w.has_time else say_date(w.start)
    if w.has_time:
        if w.end.date() == w.start.date() or w.end == _midnight(w.start.date(), 1, w.start):
            return f"{say_date(w.start)} de {_say_clock(w.start)} à {_say_clock(w.end)}"
        return (
            f"du {say_date(w.start)} à {_say_clock(w.start)}"
            f" au {say_date(w.end)} à {_say_clock(w.end)}"
        )
    last = (w.end - timedelta(days=1)).date()
    if last <= w.start.date():
        return say_date(w.start)
    return f"du {say_date(w.start)} au {say_date(last)}"


def _say_clock(moment: datetime) -> str:
    clock = moment.time()
    return "minuit" if clock == time(0) else "midi" if clock == time(12) else say_time(clock)


def _midnight(day: date, plus_days: int, like: datetime) -> datetime:
    return datetime.combine(day + timedelta(days=plus_days), time(0), tzinfo=like.tzinfo)


def _spans(pieces: list[Piece]) -> list[Item]:
    """Join "14h à 18h", "du 13 au 15 juillet", "à partir de 10h"; drop connectors left over."""
    out: list[Item] = []
    k = 0
    while k < len(pieces):
        piece = pieces[k]
        link = pieces[k + 1] if k + 1 < len(pieces) else None
        other = pieces[k + 2] if k + 2 < len(pieces) else None
        if isinstance(other, Num) and 0 <= other.value <= 24:  # "entre midi et 2"
            other = Clock(other.value) if isinstance(piece, Clock) else Day(day=other.value)
        if isinstance(other, Clock) and link in ("to", "until", "and"):  # "de 14 à 18h"
            if isinstance(piece, Num) and piece.value <= 24:
                piece = Clock(piece.value)
            elif link == "and" and isinstance(piece, Day) and piece == Day(day=piece.day):
                piece = Clock((piece.day or 0) % 24)  # "entre 14 et 16h"
        if link in ("to", "until", "and") and (
            (isinstance(piece, Clock) and isinstance(other, Clock))
            or (isinstance(piece, Day) and isinstance(other, Day))
        ):
            assert isinstance(piece, Clock | Day)
            assert isinstance(other, Clock | Day)
            if isinstance(piece, Day) and isinstance(other, Day):
                piece = replace(
                    piece, month=piece.month or other.month, year=piece.year or other.year
                )
            out.append(_Span(piece, other))
            k += 3
        elif piece in ("after", "before", "until") and isinstance(link, Clock | Day):
            out.append(_Open(link, after=piece == "after"))
            k += 2
        else:
            if not isinstance(piece, str | Num):
                out.append(piece)
            k += 1
    return out


class _Resolver:
    """Turns the pieces of one sentence into a When, relative to `now`."""

    def __init__(self, now: datetime, prefer_future: bool, on: date | None = None) -> None:
        self.now, self.today, self.future = now, now.date(), prefer_future
        self.on = on

    def resolve(self, items: list[Item]) -> When | None:
        days = [i for i in items if isinstance(i, Day)]
        clocks = [i for i in items if isinstance(i, Clock)]
        spans = [i for i in items if isinstance(i, _Span)]
        parts = [i for i in items if isinstance(i, Part)]
        offsets = [i for i in items if isinstance(i, Offset)]
        periods = [i for i in items if isinstance(i, Period)]
        opens = [i for i in items if isinstance(i, _Open)]
        part = parts[-1] if parts else None
        day: date | None = None
        if days:
            merged = _merge(days)
            day = self.near(merged.weekday) if _weekday_only(merged) else self.day(merged)
            if day is None:
                return None
        elif self.on is not None and not offsets and not periods:
            day = self.on  # hours said after the day: on that day
        for span in spans:
            if isinstance(span.start, Day) and isinstance(span.end, Day):
                return self.day_span(span.start, span.end)
            if isinstance(span.start, Clock) and isinstance(span.end, Clock):
                return self.clock_span(day, span.start, span.end, part)
        if offsets and offsets[0].kind != "at":
            return self.run(offsets[0])
        if offsets and not (clocks and offsets[0].unit in ("day", "week", "month", "year")):
            return self.offset(offsets[0])
        if offsets:
            day = self.offset(offsets[0]).start.date()
        if opens:
            return self.open(day, opens[0], part)
        if clocks:
            return self.clock(day, clocks[0], part)
        if part:
            return self.part(day, part)
        if day is not None:
            return When(self.at(day), None, "day", False)
        if periods:
            return self.period(periods[0])
        return None

    def near(self, weekday: int | None) -> date | None:
        """The weekday nearest to the day being discussed (the coming one without it)."""
        assert weekday is not None
        if self.on is None:
            return self.weekday(weekday, Day(weekday=weekday))
        around = [self.on + timedelta(days=n) for n in (0, 1, -1, 2, -2, 3, -3)]
        found = next(d for d in around if d.weekday() == weekday)
        return found if found >= self.today else found + timedelta(days=7)

    def at(self, day: date, hour: int = 0, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.now.tzinfo)

    def day(self, d: Day) -> date | None:
        if d.offset is not None:
            found: date | None = self.today + timedelta(days=d.offset)
        elif d.holiday is not None:
            found = self.holiday(d.holiday, d.year)
        elif d.day is not None:
            found = self.dated(d)
        elif d.nth is not None and d.month_shift is not None and d.weekday is not None:
            y, m = _add_months(self.today.year, self.today.month, d.month_shift)
            found = self.nth_weekday(d.nth, d.weekday, m, y)
        elif d.nth is not None and d.weekday is not None and d.month is not None:
            found = self.nth_weekday(d.nth, d.weekday, d.month, d.year)
        elif d.nth is not None and d.month is not None:  # "le dernier jour d'octobre"
            y = d.year or self.today.year
            found = date(y, d.month, _month_days(y, d.month) if d.nth < 0 else d.nth)
        elif d.weekday is not None:
            found = self.weekday(d.weekday, d)
        else:
            return None
        return found + timedelta(days=d.shift) if found else None

    def weekday(self, weekday: int, d: Day) -> date:
        today = self.today
        monday = today - timedelta(days=today.weekday())
        if d.week is not None:
            return monday + timedelta(days=7 * d.week + weekday)
        if d.past:
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        if not self.future and not d.not_before:
            return monday + timedelta(days=weekday)
        start = today + timedelta(days=d.not_before or 1)
        return start + timedelta(days=(weekday - start.weekday()) % 7)

    def dated(self, d: Day) -> date | None:
        """ "le 12", "le 2 mars", "jeudi 15": the first such day from today on."""
        assert d.day is not None
        if d.month is not None and d.year is not None:
            return _date(d.year, d.month, d.day)
        year, month = self.today.year, d.month or self.today.month
        # With a month the weekday is only a check (often wrong by a day): never search on it.
        weekday = None if d.month else d.weekday
        for ahead in range(12 * 28 if weekday is not None else 13):
            y, m = (year + ahead, month) if d.month else _add_months(year, month, ahead)
            found = _date(y, m, d.day)
            if found is None or (weekday is not None and found.weekday() != weekday):
                continue
            if found >= self.today or not self.future:
                return found
        return None

    def nth_weekday(self, nth: int, weekday: int, month: int, year: int | None) -> date | None:
        """ "le premier mardi de mars", "le dernier vendredi de juin"."""
        for y in (year,) if year else (self.today.year, self.today.year + 1):
            days = [
                date(y, month, d)
                for d in range(1, _month_days(y, month) + 1)
                if date(y, month, d).weekday() == weekday
            ]
            found = days[nth - 1 if nth > 0 else -1] if nth <= len(days) else None
            if found and (found >= self.today or year or not self.future):
                return found
        return None

    def holiday(self, name: str, year: int | None) -> date:
        def on(y: int) -> date:
            if name in HOLIDAYS:
                return date(y, *HOLIDAYS[name])
            return easter(y) + timedelta(days=EASTER[name])

        found = on(year or self.today.year)
        if year is None and self.future and found < self.today:
            found = on(self.today.year + 1)
        return found

    def day_span(self, first: Day, last: Day) -> When | None:
        start, end = self.day(first), self.day(last)
        if start is None or end is None or end < start:
            return None
        return When(self.at(start), self.at(end + timedelta(days=1)), "day", False)

    def hour(self, clock: Clock, part: Part | None) -> int:
        evening = clock.pm or (clock.pm is None and part is not None and part.start >= 12)
        if evening and clock.hour < 12:
            return clock.hour + 12
        return 0 if clock.pm is False and clock.hour == 12 else clock.hour

    def moment(self, day: date | None, clock: Clock, part: Part | None) -> datetime:
        """The clock on `day`, or on the first day it is still to come."""
        hour = self.hour(clock, part)
        zone = None if clock.zone is None else timezone(timedelta(hours=clock.zone))
        base = day or self.today
        found = datetime.combine(base, time(hour, clock.minute), tzinfo=zone or self.now.tzinfo)
        if day is None and self.future and found < self.now:
            found += timedelta(days=1)
        return found.astimezone(self.now.tzinfo) if zone else found

    def clock(self, day: date | None, clock: Clock, part: Part | None) -> When:
        grain = "minute" if clock.exact else "hour"
        return When(self.moment(day, clock, part), None, grain, True)

    def clock_span(self, day: date | None, first: Clock, last: Clock, part: Part | None) -> When:
        if first.pm is None and last.pm is not None and first.hour <= last.hour <= 12:
            first = replace(first, pm=last.pm)  # « de 6h à 8h du soir »: both in the evening
        start = self.moment(day, first, part)
        end = datetime.combine(start.date(), time(self.hour(last, part), last.minute))
        end = end.replace(tzinfo=start.tzinfo)
        if end <= start and last.hour < 12 and end + timedelta(hours=12) > start:
            end += timedelta(hours=12)  # "entre midi et 2"
        elif end <= start:
            end += timedelta(days=1)  # "de 22h à 2h", "de 14h à minuit"
        grain = "minute" if first.exact or last.exact else "hour"
        return When(start, end, grain, True)

    def open(self, day: date | None, item: _Open, part: Part | None) -> When:
        if isinstance(item.piece, Day):
            found = self.day(item.piece) or day or self.today
            return When(self.at(found), None, "day", False)
        moment = self.moment(day, item.piece, part)
        if item.after:
            return When(moment, None, "minute" if item.piece.exact else "hour", True)
        start = self.at(day) if day else self.now
        return When(start, moment, "minute" if item.piece.exact else "hour", True)

    def part(self, day: date | None, part: Part) -> When:
        base = day or self.today
        if day is None and self.future and self.at(base) + timedelta(hours=part.end) <= self.now:
            base += timedelta(days=1)
        start = self.at(base) + timedelta(hours=part.start)
        return When(start, self.at(base) + timedelta(hours=part.end), "hour", True, vague=True)

    def offset(self, offset: Offset) -> When:
        moment = _step(self.now, offset.unit, offset.amount)
        return When(moment, None, offset.unit, offset.unit in ("second", "minute", "hour"))

    def period(self, p: Period) -> When | None:
        today = self.today
        if p.unit in ("week", "weekend") and p.month is None:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=p.shift)
            if p.unit == "weekend":
                return self.days(monday + timedelta(days=5), 2, "day")
            if p.part is not None:
                first, last = WEEK_PARTS[p.part]
                return self.days(monday + timedelta(days=first), last - first, "day")
            return self.days(monday, 7, "week")
        if p.unit in ("week", "weekend", "fortnight"):
            return self.nth(p)
        if p.unit == "season":
            return self.season(p)
        if p.unit == "year":
            year = (p.year or today.year) + p.shift
            first, last = YEAR_PARTS[p.part] if p.part else (1, 13)
            start, end = date(year, first, 1), date(*_add_months(year, last, 0), 1)
            return When(self.at(start), self.at(end), "month" if p.part else "year", False)
        year, month = _add_months(p.year or today.year, p.month or today.month, p.shift)
        first, last = MONTH_PARTS[p.part] if p.part else (1, 32)

        def stop(y: int, m: int) -> int:
            return min(last, _month_days(y, m) + 1)

        late = date(year, month, stop(year, month) - 1) < today
        if p.year is None and p.shift == 0 and self.future and late:
            year, month = _add_months(year, month, 12 if p.month else 1)
        return self.days(date(year, month, first), stop(year, month) - first, "month")

    def season(self, p: Period) -> When:
        assert p.nth is not None
        (m1, d1), (m2, d2) = SEASONS[p.nth]
        for year in range(self.today.year - 1, self.today.year + 2):
            start, end = date(year, m1, d1), date(year + (m2 < m1), m2, d2)
            if end > self.today or (not self.future and start.year == self.today.year):
                shifted = [date(y.year + p.shift, y.month, y.day) for y in (start, end)]
                return self.days(shifted[0], (shifted[1] - shifted[0]).days, "day")
        raise AssertionError("a season always ends within two years")

    def run(self, o: Offset) -> When:
        """ "3 prochains mois": whole units after the current one; "2 derniers jours" before."""
        if o.kind == "within":
            end = self.offset(replace(o, kind="at")).start
            if o.unit in ("day", "week", "month", "year"):
                end = self.at(end.date())
            return When(self.now, end, o.unit, False)
        first = _truncate(self.now, o.unit)
        if o.amount > 0:
            first = _step(first, o.unit, 1)
        last = _step(first, o.unit, abs(o.amount))
        if o.amount < 0:
            first, last = _step(first, o.unit, o.amount), first
        return When(first, last, o.unit, o.unit in ("second", "minute", "hour"))

    def nth(self, p: Period) -> When | None:
        """ "le premier week-end de septembre", "la dernière semaine de septembre 2014"."""
        assert p.month is not None
        assert p.nth is not None
        year = p.year or self.today.year
        if (
            p.year is None
            and self.future
            and date(year, p.month, _month_days(year, p.month)) < (self.today)
        ):
            year += 1
        if p.unit == "fortnight":
            first = date(year, p.month, 1 if p.nth == 1 else 15)
            return self.days(first, 14 if p.nth == 1 else _month_days(year, p.month) - 14, "day")
        weekday, length = (5, 2) if p.unit == "weekend" else (0, 7)
        starts = [
            date(year, p.month, d)
            for d in range(1, _month_days(year, p.month) + 1)
            if date(year, p.month, d).weekday() == weekday
            and (
                p.nth != -1
                or (date(year, p.month, d) + timedelta(days=length - 1)).month == p.month
            )
        ]
        index = p.nth - 1 if p.nth > 0 else -1
        if not -len(starts) <= index < len(starts):
            return None
        return self.days(starts[index], length, "day" if p.unit == "weekend" else "week")

    def days(self, first: date, count: int, grain: str) -> When:
        return When(self.at(first), self.at(first + timedelta(days=count)), grain, False)


def _weekday_only(d: Day) -> bool:
    """A bare weekday ("dimanche"), nothing that fixes its week."""
    return d.weekday is not None and d == Day(weekday=d.weekday)


def _merge(days: list[Day]) -> Day:
    """Constraints said apart ("lundi ... le 18") complete each other; a contradiction wins,
    except that a date said in numbers beats a feast named later ("le 19 décembre, c'est
    pour le repas de Noël" is the 19th)."""
    dated = [d for d in days if d.day is not None and d.holiday is None]
    if dated:
        days = [d for d in days if d.holiday is None]
    merged = days[0]
    for d in days[1:]:
        fields = ("day", "month", "year", "weekday", "offset", "holiday")
        clash = any(
            getattr(merged, f) is not None and getattr(d, f) not in (None, getattr(merged, f))
            for f in fields
        )
        merged = (
            d if clash else replace(d, **{f: getattr(d, f) or getattr(merged, f) for f in fields})
        )
    return merged


def _truncate(moment: datetime, unit: str) -> datetime:
    moment = moment.replace(microsecond=0)
    keep = ["second", "minute", "hour", "day"].index(unit) if unit in UNIT_SECONDS else 3
    if keep >= 1:
        moment = moment.replace(second=0)
    if keep >= 2:
        moment = moment.replace(minute=0)
    if keep >= 3:
        moment = moment.replace(hour=0)
    if unit == "week":
        return moment - timedelta(days=moment.weekday())
    if unit in ("month", "year"):
        moment = moment.replace(day=1)
    return moment.replace(month=1) if unit == "year" else moment


def _step(moment: datetime, unit: str, count: int) -> datetime:
    """`count` units later: exact for seconds to hours, on the calendar for the others."""
    if unit in ("second", "minute", "hour"):
        later = moment.astimezone(UTC) + timedelta(seconds=UNIT_SECONDS[unit] * count)
        return later.astimezone(moment.tzinfo)
    if unit in UNIT_DAYS:
        return moment + timedelta(days=UNIT_DAYS[unit] * count)
    y, m = _add_months(moment.year, moment.month, count * (12 if unit == "year" else 1))
    return moment.replace(year=y, month=m, day=min(moment.day, _month_days(y, m)))


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _month_days(year: int, month: int) -> int:
    y, m = _add_months(year, month, 1)
    return (date(y, m, 1) - timedelta(days=1)).day


def easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian computus)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _fallback(text: str, now: datetime, prefer_future: bool) -> When | None:
    """dateparser for what our rules miss (imported late: it loads its language data)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "future" if prefer_future else "current_period",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_TIME_AS_PERIOD": True,
    }
    data = DateDataParser(languages=["fr"], settings=settings).get_date_data(text)
    found: datetime | None = data.date_obj
    if found is None:
        return None
    found = found.astimezone(now.tzinfo) if found.tzinfo else found.replace(tzinfo=now.tzinfo)
    period = str(data.period or "day")
    if period == "time":
        return When(found, None, "minute" if found.minute else "hour", True)
    if period == "day":
        found = found.replace(hour=0, minute=0, second=0, microsecond=0)
    return When(found, None, period, False)
