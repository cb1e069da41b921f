"""What can be booked and how: resource specifications, requests, bookings and refusals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Kind(StrEnum):
    """How a resource is shared."""

    ROOM = "room"  # exclusive: one live booking at a time
    EQUIPMENT = "equipment"  # a stock, lent by quantity per day
    APPOINTMENT = "appointment"  # exclusive fixed slots at a desk


class Unit(StrEnum):
    """The grain of a booking."""

    DAY = "day"  # whole local days, from midnight to midnight
    HOUR = "hour"  # whole hours inside the opening windows
    SLOT = "slot"  # exactly one fixed slot laid from each window's start


class Requester(StrEnum):
    """Who asks; prices and permissions depend on it."""

    RESIDENT = "resident"
    EXTERIEUR = "exterieur"
    ASSOCIATION = "association"


class Status(StrEnum):
    """The life of a booking."""

    HELD = "held"
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"


LIVE = frozenset({Status.HELD, Status.PENDING, Status.CONFIRMED})


@dataclass(frozen=True)
class Window:
    """A bookable stretch of a weekday, in local minutes since midnight (end ≤ 1440)."""

    weekday: int  # 0 = Monday
    start: int
    end: int


@dataclass(frozen=True)
class ResourceSpec:
    """One bookable resource, as the commune file describes it."""

    slug: str
    name: str
    kind: Kind
    unit: Unit
    prefix: str  # of references, e.g. "SDF" gives SDF-7KQ2
    windows: tuple[Window, ...]
    slot_minutes: int = 60
    max_slots: int = 1  # consecutive slots one booking may take (unit SLOT)
    stock: int = 1
    capacity: int | None = None
    min_notice: timedelta = timedelta(hours=24)
    max_ahead: timedelta = timedelta(days=365)
    allowed: frozenset[Requester] = frozenset(Requester)
    prices: Mapping[Requester, Decimal] = field(default_factory=dict)  # per unit (and item)
    deposit: Decimal = Decimal(0)
    approval: bool = False
    # Local days it is closed whatever its windows say, with the French reason residents read
    # (« c’est un jour férié (Ascension) »): public holidays and exceptional closures.
    closed: Mapping[date, str] = field(default_factory=dict)
    # Limits against hoarding (None: none). The most days (unit DAY) or hours (unit HOUR) one
    # booking may cover (slots have max_slots); and the most live, future bookings of this
    # kind of resource one person may hold, known by phone, e-mail, ANTS number or conversation.
    max_units: int | None = None
    live_per_person: int | None = None

    @property
    def exclusive(self) -> bool:
        """Whether two live bookings may not overlap at all."""
        return self.kind is not Kind.EQUIPMENT


@dataclass(frozen=True)
class Contact:
    """The person behind a booking."""

    name: str
    type: Requester
    phone: str | None = None  # E.164
    email: str | None = None
    association: str | None = None
    ants: str | None = None  # ANTS pre-application number (ID appointments)


@dataclass(frozen=True)
class BookingRequest:
    """A wish: a resource over a half-open range [start, end), for a quantity."""

    resource: str
    start: datetime
    end: datetime
    contact: Contact
    quantity: int = 1
    owner: str | None = None  # conversation id ("telegram:42") that may list and cancel it
    channel: str | None = None


@dataclass(frozen=True)
class Period:
    """A half-open range [start, end) with what is left of the resource then."""

    start: datetime
    end: datetime
    left: int = 1


@dataclass(frozen=True)
class Quote:
    """What a valid request would cost."""

    price: Decimal
    deposit: Decimal
    approval: bool


@dataclass(frozen=True)
class Booking:
    """A booking as stored; cancel_token is only known right after creation."""

    reference: str
    resource: str
    start: datetime
    end: datetime
    quantity: int
    status: Status
    contact: Contact
    price: Decimal
    deposit: Decimal
    owner: str | None
    channel: str | None
    created_at: datetime
    hold_until: datetime | None = None
    cancel_token: str | None = None


@dataclass(frozen=True)
class Change:
    """One recorded change of a booking's status."""

    status: Status
    by: str
    at: datetime
    note: str | None = None


class Refusal(StrEnum):
    """Why a request cannot be booked."""

    UNKNOWN_RESOURCE = "unknown_resource"
    INVALID = "invalid"  # naive datetimes, quantity < 1, empty name, no phone nor e-mail
    END_BEFORE_START = "end_before_start"
    PAST = "past"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"  # starts or ends after the furthest bookable date
    CLOSED = "closed"  # outside the opening windows
    MISALIGNED = "misaligned"  # not whole days, hours or one slot
    NOT_ALLOWED = "not_allowed"  # this kind of requester may not book it
    TOO_MANY = "too_many"  # more than the whole stock
    TAKEN = "taken"  # overlaps a live booking, or not enough stock left
    TOO_LONG = "too_long"  # longer than the resource's longest booking
    PERSON_LIMIT = "person_limit"  # this person already holds enough live bookings of the kind


class BookingRefused(Exception):
    """A request the rules or the calendar refuse; message is French, for residents."""

    def __init__(
        self,
        reason: Refusal,
        message: str,
        *,
        alternatives: tuple[Period, ...] = (),
        left: int | None = None,
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.alternatives = alternatives
        self.left = left


class BookingNotFound(LookupError):
    """No booking has this reference."""


class NotPermitted(Exception):
    """Wrong cancellation token or owner."""


class WrongState(Exception):
    """The booking's status does not allow this change (e.g. cancelling twice)."""
