"""Builders for calendar tests: Clairval's resources, requests, a clock that tests move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from calendar_store.spec import (
    BookingRequest,
    Contact,
    Kind,
    Requester,
    ResourceSpec,
    Unit,
    Window,
)

PARIS = ZoneInfo("Europe/Paris")
WHOLE_DAY = 24 * 60
EVERY_DAY = range(7)
# Wednesday 2026-03-04, 10:00 in Paris: far enough from the clock changes to cross them.
NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)

SALLE_DES_FETES = ResourceSpec(
    slug="salle-des-fetes",
    name="La salle des fêtes",
    kind=Kind.ROOM,
    unit=Unit.DAY,
    prefix="SDF",
    windows=tuple(Window(d, 0, WHOLE_DAY) for d in EVERY_DAY),
    capacity=200,
    min_notice=timedelta(hours=48),
    prices={
        Requester.RESIDENT: Decimal(250),
        Requester.EXTERIEUR: Decimal(450),
        Requester.ASSOCIATION: Decimal(0),
    },
    deposit=Decimal(500),
    approval=True,
)
SALLE_DES_ASSOCIATIONS = ResourceSpec(
    slug="salle-des-associations",
    name="La salle des associations",
    kind=Kind.ROOM,
    unit=Unit.HOUR,
    prefix="SDA",
    windows=tuple(Window(d, 8 * 60, 23 * 60) for d in EVERY_DAY),
    capacity=40,
    min_notice=timedelta(hours=24),
    prices={
        Requester.RESIDENT: Decimal(15),
        Requester.EXTERIEUR: Decimal(15),
        Requester.ASSOCIATION: Decimal(0),
    },
)
GYMNASE = ResourceSpec(
    slug="gymnase",
    name="Le gymnase",
    kind=Kind.ROOM,
    unit=Unit.SLOT,
    prefix="GYM",
    windows=tuple(Window(d, 8 * 60, 22 * 60) for d in EVERY_DAY),
    slot_minutes=60,
    min_notice=timedelta(hours=24),
    allowed=frozenset({Requester.ASSOCIATION}),
)
CHAISES = ResourceSpec(
    slug="chaises",
    name="Les chaises",
    kind=Kind.EQUIPMENT,
    unit=Unit.DAY,
    prefix="CHA",
    windows=tuple(Window(d, 0, WHOLE_DAY) for d in EVERY_DAY),
    stock=200,
    min_notice=timedelta(hours=48),
    prices={Requester.RESIDENT: Decimal("0.50"), Requester.EXTERIEUR: Decimal(1)},
)
RDV_TITRES = ResourceSpec(
    slug="rdv-titres",
    name="Le rendez-vous pour un titre d'identité",
    kind=Kind.APPOINTMENT,
    unit=Unit.SLOT,
    prefix="RDV",
    windows=tuple(
        Window(d, start, end)
        for d in (1, 3)  # Tuesday, Thursday
        for start, end in ((9 * 60, 11 * 60 + 40), (14 * 60, 16 * 60 + 40))
    ),
    slot_minutes=20,
    min_notice=timedelta(hours=2),
    max_ahead=timedelta(days=90),
)
CLAIRVAL = (SALLE_DES_FETES, SALLE_DES_ASSOCIATIONS, GYMNASE, CHAISES, RDV_TITRES)

RESIDENT = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
EXTERIEUR = Contact("Paul Durand", Requester.EXTERIEUR, email="paul@example.org")
ASSOCIATION = Contact(
    "Nadia Benali", Requester.ASSOCIATION, phone="+33698765432", association="Club de judo"
)


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A local wall-clock time in Clairval, as an aware instant."""
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def days(
    resource: str,
    first: date,
    count: int = 1,
    *,
    contact: Contact = RESIDENT,
    quantity: int = 1,
    owner: str | None = "web:camille",
) -> BookingRequest:
    """Whole local days from first."""
    end = at(first + timedelta(days=count))
    return request(resource, at(first), end, contact=contact, quantity=quantity, owner=owner)


def request(
    resource: str,
    start: datetime,
    end: datetime,
    *,
    contact: Contact = RESIDENT,
    quantity: int = 1,
    owner: str | None = "web:camille",
    channel: str | None = "web",
) -> BookingRequest:
    """A request with a resident's contact unless told otherwise."""
    return BookingRequest(resource, start, end, contact, quantity, owner, channel)


@dataclass
class Clock:
    """A clock tests move by hand."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


# Checks straight in the database: what the calendar must never let through.
OVERLAPS = (
    "SELECT count(*) FROM bookings a JOIN bookings b ON a.resource = b.resource "
    "AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
    "WHERE a.exclusive AND b.exclusive AND a.status IN ('held', 'pending', 'confirmed') "
    "AND b.status IN ('held', 'pending', 'confirmed')"
)
OVER_STOCK = (
    "SELECT count(*) FROM bookings a JOIN resources r ON r.slug = a.resource "
    "WHERE NOT a.exclusive AND a.status IN ('held', 'pending', 'confirmed') AND r.stock < ("
    "SELECT sum(b.quantity) FROM bookings b WHERE b.resource = a.resource "
    "AND b.status IN ('held', 'pending', 'confirmed') "
    "AND b.starts_at <= a.starts_at AND b.ends_at > a.starts_at)"
)


def double_bookings(engine: Engine) -> int:
    """Live bookings the calendar should have refused, counted in the database itself.

    An exclusive booking counts when another live booking of the same resource overlaps it;
    an equipment booking counts when the live quantities at its start exceed the stock.
    """
    with engine.connect() as connection:
        return sum(int(connection.execute(text(q)).scalar_one()) for q in (OVERLAPS, OVER_STOCK))
