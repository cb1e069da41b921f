"""The public availability page: two weeks of free and taken periods, prices, in French."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.clock import utcnow
from bot.typography import NBSP, french
from calendar_store import wording
from calendar_store.spec import Kind, Period, Requester, ResourceSpec, Unit
from gateway.booking_json import ApiError
from gateway.bookings import Desk, place

DAYS_SHOWN = 14
AHEAD_DAYS = 366
TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Whom a price applies to, in a sentence ("… pour les habitants").
FOR_WHOM: dict[Requester, str] = {
    Requester.RESIDENT: "les habitants",
    Requester.EXTERIEUR: "les personnes extérieures à la commune",
    Requester.ASSOCIATION: "les associations",
}
PER_UNIT: dict[Unit, str] = {
    Unit.DAY: "par journée",
    Unit.HOUR: "par heure",
    Unit.SLOT: "par créneau",
}


@dataclass(frozen=True)
class Day:
    """One row of a resource's table."""

    label: str
    free: str
    taken: str
    state: str  # a CSS modifier: libre, partiel, complet, ferme, indisponible


@dataclass(frozen=True)
class Table:
    """One resource: its heading, its rules and its days."""

    slug: str
    title: str
    prices: str
    notes: list[str]
    caption: str
    equipment: bool
    days: list[Day]


def euros(amount: Decimal) -> str:
    """250 €, 12,50 € (French format, non-breaking space)."""
    if amount == amount.to_integral_value():
        text = f"{int(amount):,}".replace(",", NBSP)
    else:
        text = f"{amount:,.2f}".replace(",", NBSP).replace(".", ",")
    return f"{text}{NBSP}€"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def price_list(spec: ResourceSpec) -> str:
    """ "250 € par journée pour les habitants, gratuit pour les associations."."""
    unit = "par objet et par journée" if spec.kind is Kind.EQUIPMENT else PER_UNIT[spec.unit]
    groups: dict[Decimal, list[Requester]] = {}
    for requester in Requester:
        if requester in spec.allowed:
            groups.setdefault(spec.prices.get(requester, Decimal(0)), []).append(requester)
    parts = [
        ("gratuit" if price == 0 else f"{euros(price)} {unit}")
        + " pour "
        + _and([FOR_WHOM[r] for r in whom])
        for price, whom in groups.items()
    ]
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


def _notes(spec: ResourceSpec, place: str) -> list[str]:
    notes = [f"Adresse : {place}."] if place else []
    if spec.capacity:
        notes.append(f"Capacité : {spec.capacity} personnes.")
    if spec.kind is Kind.EQUIPMENT:
        notes.append(f"Stock : {items(spec.name, spec.stock)}.")
    if spec.deposit:
        notes.append(f"Caution : {euros(spec.deposit)}.")
    if spec.approval:
        notes.append("Chaque demande est validée par un agent de la mairie.")
    if spec.min_notice:
        notes.append(f"À réserver au moins {wording.duration(spec.min_notice)} à l’avance.")
    if spec.allowed != frozenset(Requester):
        notes.append(wording.only(spec.allowed, wording.noun(spec.name)))
    return [french(note) for note in notes]


def items(name: str, count: int) -> str:
    """12 chaises, 1 chaise, 1 sonorisation (from "les chaises", "la sonorisation")."""
    name = wording.noun(name).bare
    if count == 1:
        return f"1 {name[:-1] if name.endswith('s') and not name.endswith('ss') else name}"
    return f"{count} {name if name.endswith(('s', 'x')) else name + 's'}"


def _clock(moment: datetime, day: date) -> str:
    if moment.date() > day:
        return "minuit"
    return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")


def _clip(periods: list[Period], start: datetime, end: datetime) -> list[Period]:
    """The parts of `periods` inside [start, end), adjacent ones merged."""
    merged: list[Period] = []
    for p in sorted(periods, key=lambda p: p.start):
        begin, finish = max(p.start, start), min(p.end, end)
        if begin >= finish:
            continue
        if merged and merged[-1].end >= begin and merged[-1].left == p.left:
            merged[-1] = Period(merged[-1].start, max(finish, merged[-1].end), p.left)
        else:
            merged.append(Period(begin, finish, p.left))
    return merged


def _ranges(periods: list[Period], day: date, tz: ZoneInfo) -> str:
    return ", ".join(
        f"{_clock(p.start.astimezone(tz), day)} – {_clock(p.end.astimezone(tz), day)}"
        for p in periods
    )


def day_row(
    spec: ResourceSpec,
    day: date,
    free: list[Period],
    busy: list[Period],
    tz: ZoneInfo,
    now: datetime,
) -> Day:
    """What one day looks like for one resource."""
    label = wording.day(day)
    why = spec.closed.get(day)  # a public holiday or an exceptional closure
    if why is not None:
        return Day(label, french(f"Fermé : {why}"), "", "ferme")
    if not any(w.weekday == day.weekday() for w in spec.windows):
        return Day(label, "Fermé", "", "ferme")
    start = datetime.combine(day, time(), tz)
    end = datetime.combine(day + timedelta(days=1), time(), tz)
    free, busy = _clip(free, start, end), _clip(busy, start, end)
    if spec.kind is Kind.EQUIPMENT:
        left = min((p.left for p in free), default=0)
        if free:
            return Day(label, f"{items(spec.name, left)} disponible{'s' * (left > 1)}", "", "libre")
        if busy:
            return Day(label, "Tout est réservé", "", "complet")
        return _closed(spec, label, end, now)
    taken = _ranges(busy, day, tz)
    if spec.unit is Unit.DAY:
        taken = "Réservé" if busy else ""
        shown = "Libre toute la journée" if free else ""
    else:
        shown = _ranges(free, day, tz)
    if free:
        return Day(label, shown, taken, "partiel" if busy else "libre")
    if busy:
        return Day(label, "Complet", taken, "complet")
    return _closed(spec, label, end, now)


def _closed(spec: ResourceSpec, label: str, end: datetime, now: datetime) -> Day:
    """A day with nothing free nor taken: too late, too early, or a full stretch of rules."""
    if end <= now + spec.min_notice:
        return Day(label, "Délai de réservation dépassé", "", "indisponible")
    if end - timedelta(days=1) > now + spec.max_ahead:
        return Day(label, "Pas encore ouvert à la réservation", "", "indisponible")
    return Day(label, "Non réservable en ligne", "", "indisponible")


def _first_day(request: Request, today: date) -> date:
    raw = request.query_params.get("semaine")
    if raw is None:
        return today
    try:
        wanted = date.fromisoformat(raw)
    except ValueError:
        raise ApiError(
            400, "invalid_date", f"« semaine » doit être une date AAAA-MM-JJ (reçu : {raw[:20]})."
        ) from None
    return min(max(wanted, today), today + timedelta(days=AHEAD_DAYS - DAYS_SHOWN))


def _span(first: date, last: date) -> str:
    end = format_date(last, "d MMMM y", locale="fr_FR")
    if first.month == last.month:
        return f"du {first.day} au {end}"
    return f"du {format_date(first, 'd MMMM', locale='fr_FR')} au {end}"


def page_route(desk: Desk) -> Route:
    """GET /disponibilites, with ?semaine=AAAA-MM-JJ to show other dates."""

    async def page(request: Request) -> Response:
        today = desk.today()
        try:
            first = _first_day(request, today)
        except ApiError as error:
            return error.response()
        last = first + timedelta(days=DAYS_SHOWN - 1)
        tz = desk.tz
        commune = desk.commune.get()

        def tables() -> list[Table]:
            store = desk.store()
            now = utcnow().astimezone(tz)
            built = []
            for spec in store.specs():
                free = store.availability(spec.slug, first, last)
                busy = store.busy(spec.slug, first, last)
                days = [first + timedelta(days=n) for n in range(DAYS_SHOWN)]
                bare = wording.noun(spec.name).bare
                title = bare[:1].upper() + bare[1:]
                built.append(
                    Table(
                        slug=spec.slug,
                        title=french(title),
                        prices=french(price_list(spec)),
                        notes=_notes(spec, place(commune, spec.slug)),
                        caption=french(f"{title} : disponibilités {_span(first, last)}"),
                        equipment=spec.kind is Kind.EQUIPMENT,
                        days=[day_row(spec, d, free, busy, tz, now) for d in days],
                    )
                )
            return built

        html = TEMPLATES.get_template("disponibilites.html").render(
            commune=commune.name,
            span=_span(first, last),
            tables=await run_in_threadpool(tables),
            previous=(first - timedelta(days=DAYS_SHOWN)).isoformat() if first > today else None,
            following=(last + timedelta(days=1)).isoformat()
            if last < today + timedelta(days=AHEAD_DAYS - 1)
            else None,
        )
        return HTMLResponse(html)

    return Route("/disponibilites", page)
