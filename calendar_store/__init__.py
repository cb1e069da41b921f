"""Bookable resources, their availability, holds and bookings, and iCalendar export."""

from __future__ import annotations

from calendar_store.ledger import After
from calendar_store.spec import (
    LIVE,
    Booking,
    BookingNotFound,
    BookingRefused,
    BookingRequest,
    Change,
    Contact,
    Kind,
    NotPermitted,
    Period,
    Quote,
    Refusal,
    Requester,
    ResourceSpec,
    Status,
    Unit,
    Window,
    WrongState,
)
from calendar_store.store import Store
from calendar_store.tables import CalendarBase

__all__ = [
    "LIVE",
    "After",
    "Booking",
    "BookingNotFound",
    "BookingRefused",
    "BookingRequest",
    "CalendarBase",
    "Change",
    "Contact",
    "Kind",
    "NotPermitted",
    "Period",
    "Quote",
    "Refusal",
    "Requester",
    "ResourceSpec",
    "Status",
    "Store",
    "Unit",
    "Window",
    "WrongState",
]
