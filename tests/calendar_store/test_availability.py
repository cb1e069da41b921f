from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, text

from calendar_store.spec import BookingRefused, BookingRequest, Period, Refusal
from calendar_store.store import Store
from tests.helpers.calendar import (
    ASSOCIATION,
    PARIS,
    RDV_TITRES,
    SALLE_DES_FETES,
    Clock,
    at,
    days,
    request,
)

TUESDAY = date(2026, 3, 10)
SPRING_FORWARD = date(2026, 3, 29)  # a Sunday of 23 hours
FALL_BACK = date(2026, 10, 25)  # a Sunday of 25 hours


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def local(periods: list[Period] | tuple[Period, ...]) -> list[tuple[str, str]]:
    return [
        (f"{p.start.astimezone(PARIS):%d %H:%M}", f"{p.end.astimezone(PARIS):%d %H:%M}")
        for p in periods
    ]


def test_free_whole_days_from_the_notice_on(store: Store) -> None:
    store.book(days("salle-des-fetes", date(2026, 3, 8)), by="test")
    free = store.availability("salle-des-fetes", date(2026, 3, 5), date(2026, 3, 10))
    # The 5th and 6th start within 48 hours; the 8th is taken (a pending booking counts).
    assert local(free) == [
        ("07 00:00", "08 00:00"),
        ("09 00:00", "10 00:00"),
        ("10 00:00", "11 00:00"),
    ]
    assert all(p.left == 1 for p in free)


def test_free_hours_are_maximal_stretches_inside_the_windows(store: Store, clock: Clock) -> None:
    store.book(request("salle-des-associations", at(TUESDAY, 10), at(TUESDAY, 12)), by="t")
    store.book(request("salle-des-associations", at(TUESDAY, 12), at(TUESDAY, 13)), by="t")
    store.book(request("salle-des-associations", at(TUESDAY, 20), at(TUESDAY, 23)), by="t")
    free = store.availability("salle-des-associations", TUESDAY, TUESDAY)
    assert local(free) == [("10 08:00", "10 10:00"), ("10 13:00", "10 20:00")]
    # Tomorrow counts from 24 hours after now, rounded up to the next whole hour.
    clock.now = at(date(2026, 3, 4), 10, 30)
    tomorrow = store.availability("salle-des-associations", date(2026, 3, 5), date(2026, 3, 5))
    assert local(tomorrow) == [("05 11:00", "05 23:00")]


def test_free_slots_one_by_one(store: Store) -> None:
    store.book(request("rdv-titres", at(TUESDAY, 9, 20), at(TUESDAY, 9, 40)), by="t")
    free = store.availability("rdv-titres", TUESDAY, TUESDAY)
    assert len(free) == 15  # 8 slots a window, two windows, one taken
    assert local(free)[:3] == [
        ("10 09:00", "10 09:20"),
        ("10 09:40", "10 10:00"),
        ("10 10:00", "10 10:20"),
    ]
    assert local(free)[-1] == ("10 16:20", "10 16:40")
    assert store.availability("rdv-titres", date(2026, 3, 11), date(2026, 3, 11)) == []  # Wed


def test_slots_never_beyond_how_far_ahead_one_may_book(store: Store) -> None:
    # rdv-titres opens 90 days ahead: Tuesday 2 June 2026 11:00 (summer time) is the last start.
    last_day = store.availability("rdv-titres", date(2026, 6, 2), date(2026, 6, 2))
    assert local(last_day)[-1] == ("02 11:00", "02 11:20")
    assert len(last_day) == 7
    assert store.availability("rdv-titres", date(2026, 6, 4), date(2026, 6, 30)) == []


def test_equipment_days_with_what_is_left(store: Store) -> None:
    store.book(days("chaises", TUESDAY, quantity=150), by="t")
    store.book(days("chaises", TUESDAY, 2, quantity=30), by="t")
    store.book(days("chaises", date(2026, 3, 12), quantity=200), by="t")
    free = store.availability("chaises", TUESDAY, date(2026, 3, 13))
    assert [(p.start.astimezone(PARIS).day, p.left) for p in free] == [
        (10, 20),
        (11, 170),
        (13, 200),
    ]


def test_busy_tells_when_nothing_is_left_and_nothing_else(store: Store) -> None:
    store.book(request("salle-des-associations", at(TUESDAY, 10), at(TUESDAY, 12)), by="t")
    held = store.hold(request("salle-des-associations", at(TUESDAY, 14), at(TUESDAY, 15)), by="t")
    store.book(days("chaises", TUESDAY, quantity=150), by="t")
    store.book(days("chaises", date(2026, 3, 11), quantity=200), by="t")
    busy = store.busy("salle-des-associations", TUESDAY, TUESDAY)
    assert local(busy) == [("10 10:00", "10 12:00"), ("10 14:00", "10 15:00")]
    assert all(p.left == 0 for p in busy)
    assert local(store.busy("chaises", TUESDAY, date(2026, 3, 12))) == [("11 00:00", "12 00:00")]
    store.cancel(held.reference, by="t", token=held.cancel_token)
    assert len(store.busy("salle-des-associations", TUESDAY, TUESDAY)) == 1


def test_alternatives_later_the_same_day_first(store: Store) -> None:
    store.book(request("salle-des-associations", at(TUESDAY, 14), at(TUESDAY, 16)), by="t")
    wish = request("salle-des-associations", at(TUESDAY, 14), at(TUESDAY, 16))
    refused = _refused(store, wish)
    assert refused.reason is Refusal.TAKEN
    assert refused.message == "Ce créneau est déjà pris."
    assert refused.left is None
    assert local(refused.alternatives) == [
        ("10 16:00", "10 18:00"),
        ("10 17:00", "10 19:00"),
        ("10 18:00", "10 20:00"),
    ]
    assert store.alternatives(wish, limit=1) == refused.alternatives[:1]


def test_alternatives_on_following_days_then_earlier_ones_never_in_the_past(
    engine: Engine, clock: Clock
) -> None:
    # Bookable ten days ahead: up to Saturday 14 March; the 8th to the 14th are taken.
    short = replace(SALLE_DES_FETES, max_ahead=timedelta(days=10), approval=False)
    store = Store(engine, [short], tz=PARIS, clock=clock)
    for day in range(8, 15):
        store.book(days("salle-des-fetes", date(2026, 3, day)), by="t")
    refused = _refused(store, days("salle-des-fetes", date(2026, 3, 14)))
    # Only the 7th: the 6th and 5th start within 48 hours, the 15th is too far.
    assert local(refused.alternatives) == [("07 00:00", "08 00:00")]


def test_alternatives_for_slots_skip_to_the_next_opening_days(store: Store) -> None:
    last = request("rdv-titres", at(TUESDAY, 16, 20), at(TUESDAY, 16, 40))
    store.book(last, by="t")
    refused = _refused(store, last)
    # Later first: Thursday's first slots, not Tuesday's earlier ones.
    assert local(refused.alternatives) == [
        ("12 09:00", "12 09:20"),
        ("12 09:20", "12 09:40"),
        ("12 09:40", "12 10:00"),
    ]


def test_equipment_alternatives_have_room_for_the_same_quantity(store: Store) -> None:
    store.book(days("chaises", TUESDAY, quantity=150), by="t")
    store.book(days("chaises", date(2026, 3, 11), quantity=120), by="t")
    refused = _refused(store, days("chaises", TUESDAY, quantity=100))
    assert refused.reason is Refusal.TAKEN
    assert refused.left == 50
    assert refused.message == "Il ne reste que 50 chaises de libres à ces dates."
    assert [(p.start.astimezone(PARIS).day, p.left) for p in refused.alternatives] == [
        (12, 200),
        (13, 200),
        (14, 200),
    ]
    store.book(days("chaises", TUESDAY, quantity=50), by="t")
    assert _refused(store, days("chaises", TUESDAY)).message == (
        "Il ne reste plus de chaises à ces dates."
    )


def test_one_item_left_is_said_without_a_plural(store: Store) -> None:
    day = date(2026, 3, 18)
    store.book(days("chaises", day, quantity=199), by="t")
    refused = _refused(store, days("chaises", day, quantity=2))
    assert refused.left == 1
    assert refused.message == "Il n'en reste plus qu'un exemplaire à ces dates."


def test_a_multi_day_loan_is_limited_by_its_fullest_day(store: Store) -> None:
    store.book(days("chaises", date(2026, 3, 11), quantity=190), by="t")
    refused = _refused(store, days("chaises", TUESDAY, 3, quantity=20))
    assert refused.left == 10
    store.book(days("chaises", TUESDAY, 3, quantity=10), by="t")


def test_a_day_booking_on_the_23_hour_sunday(store: Store, engine: Engine) -> None:
    booked = store.book(days("salle-des-fetes", SPRING_FORWARD), by="t")
    assert (booked.start, booked.end) == (utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert booked.end - booked.start == timedelta(hours=23)
    assert booked.price == 250  # one day, however long
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT starts_at, ends_at FROM bookings WHERE reference = :r"),
            {"r": booked.reference},
        ).one()
    assert tuple(str(v)[:19] for v in stored) == ("2026-03-28 23:00:00", "2026-03-29 22:00:00")


def test_a_day_booking_on_the_25_hour_sunday(store: Store) -> None:
    booked = store.book(days("salle-des-fetes", FALL_BACK), by="t")
    assert (booked.start, booked.end) == (utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    assert store.get(booked.reference).end - store.get(booked.reference).start == timedelta(
        hours=25
    )
    # The neighbours, a plain Saturday and Monday, still fit exactly around it.
    store.book(days("salle-des-fetes", date(2026, 10, 24)), by="t")
    store.book(days("salle-des-fetes", date(2026, 10, 26)), by="t")


def test_hours_on_the_days_clocks_change(store: Store) -> None:
    spring = store.book(
        request("salle-des-associations", at(SPRING_FORWARD, 10), at(SPRING_FORWARD, 12)), by="t"
    )
    assert (spring.start, spring.end, spring.price) == (
        utc(2026, 3, 29, 8),
        utc(2026, 3, 29, 10),
        Decimal(30),
    )
    fall = store.book(
        request("salle-des-associations", at(FALL_BACK, 10), at(FALL_BACK, 12)), by="t"
    )
    assert (fall.start, fall.end, fall.price) == (
        utc(2026, 10, 25, 9),
        utc(2026, 10, 25, 11),
        Decimal(30),
    )


def test_availability_on_the_days_clocks_change(store: Store) -> None:
    assert store.availability("salle-des-fetes", SPRING_FORWARD, SPRING_FORWARD) == [
        Period(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    ]
    assert store.availability("salle-des-fetes", FALL_BACK, FALL_BACK) == [
        Period(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))
    ]
    assert store.availability("salle-des-associations", SPRING_FORWARD, SPRING_FORWARD) == [
        Period(utc(2026, 3, 29, 6), utc(2026, 3, 29, 21))
    ]
    assert store.availability("salle-des-associations", FALL_BACK, FALL_BACK) == [
        Period(utc(2026, 10, 25, 7), utc(2026, 10, 25, 22))
    ]
    slots = store.availability("gymnase", FALL_BACK, FALL_BACK)
    assert (len(slots), slots[0].start, slots[-1].end) == (
        14,
        utc(2026, 10, 25, 7),
        utc(2026, 10, 25, 21),
    )
    store.book(
        request("gymnase", at(SPRING_FORWARD, 9), at(SPRING_FORWARD, 10), contact=ASSOCIATION),
        by="t",
    )
    spring_slots = store.availability("gymnase", SPRING_FORWARD, SPRING_FORWARD)
    assert utc(2026, 3, 29, 7) not in [s.start for s in spring_slots]
    assert len(spring_slots) == 13


def test_alternatives_across_a_clock_change(store: Store) -> None:
    store.book(days("salle-des-fetes", date(2026, 3, 28)), by="t")
    refused = _refused(store, days("salle-des-fetes", date(2026, 3, 28)))
    assert refused.alternatives[0] == Period(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22))
    assert refused.alternatives[1] == Period(utc(2026, 3, 29, 22), utc(2026, 3, 30, 22))


def test_a_lapsed_hold_no_longer_blocks_the_calendar(store: Store, clock: Clock) -> None:
    store.hold(request("rdv-titres", at(TUESDAY, 9), at(TUESDAY, 9, 20)), by="t")
    assert len(store.availability("rdv-titres", TUESDAY, TUESDAY)) == 15
    clock.advance(minutes=15)
    assert len(store.availability("rdv-titres", TUESDAY, TUESDAY)) == 16
    assert RDV_TITRES.slot_minutes == 20


def _refused(store: Store, wish: BookingRequest) -> BookingRefused:
    with pytest.raises(BookingRefused) as caught:
        store.check(wish)
    return caught.value


def test_a_misaligned_wish_gets_aligned_spans_of_about_its_length(store: Store) -> None:
    refused = _refused(
        store, request("salle-des-associations", at(TUESDAY, 14, 30), at(TUESDAY, 16))
    )
    assert refused.reason is Refusal.MISALIGNED
    assert local(refused.alternatives)[0] == ("10 15:00", "10 17:00")
    assert store.alternatives(days("salle-des-fetes", TUESDAY), limit=0) == ()
