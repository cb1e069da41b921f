"""Limits against hoarding: the longest booking, the furthest end, live bookings per person."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from calendar_store import ledger
from calendar_store.spec import (
    BookingRefused,
    BookingRequest,
    Contact,
    Refusal,
    Requester,
    Status,
)
from calendar_store.store import Store
from tests.helpers.calendar import (
    CHAISES,
    GYMNASE,
    PARIS,
    RDV_TITRES,
    SALLE_DES_ASSOCIATIONS,
    SALLE_DES_FETES,
    Clock,
    at,
    days,
    request,
)

TUESDAY = date(2026, 3, 10)
THURSDAY = date(2026, 3, 12)
LIMITED = (
    replace(SALLE_DES_FETES, max_units=3, max_ahead=timedelta(days=365), live_per_person=3),
    replace(SALLE_DES_ASSOCIATIONS, max_units=15, live_per_person=3),
    replace(GYMNASE, max_slots=4, live_per_person=3),
    replace(CHAISES, max_units=4, max_ahead=timedelta(days=180), live_per_person=4),
    replace(RDV_TITRES, live_per_person=2),
)


@pytest.fixture
def limited(engine: Engine, clock: Clock) -> Store:
    store = Store(engine, LIMITED, tz=PARIS, clock=clock)
    store.sync()
    return store


def rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM bookings")).scalar_one())


def appointment(
    day: date, hour: int, minute: int, who: Contact, owner: str | None = None
) -> BookingRequest:
    start = at(day, hour, minute)
    return request("rdv-titres", start, start + timedelta(minutes=20), contact=who, owner=owner)


def refusal(store: Store, wish: BookingRequest) -> BookingRefused:
    with pytest.raises(BookingRefused) as caught:
        store.book(wish, by="test")
    return caught.value


# -- the longest booking ------------------------------------------------------------------


def test_equipment_for_ten_years_is_refused_and_nothing_is_written(
    limited: Store, engine: Engine
) -> None:
    refused = refusal(limited, days("chaises", TUESDAY, 3650, quantity=10))
    assert refused.reason is Refusal.TOO_LONG
    assert refused.message == "Les chaises se réservent pour 4 jours au plus à la suite."
    assert refused.alternatives == ()
    assert rows(engine) == 0
    assert limited.book(days("chaises", TUESDAY, 4, quantity=10), by="test").quantity == 10


def test_the_hall_for_more_than_a_weekend_is_refused(limited: Store, engine: Engine) -> None:
    refused = refusal(limited, days("salle-des-fetes", date(2026, 3, 13), 4))
    assert refused.reason is Refusal.TOO_LONG
    assert "3 jours au plus" in refused.message
    friday_to_sunday = limited.book(days("salle-des-fetes", date(2026, 3, 13), 3), by="test")
    assert friday_to_sunday.status is Status.PENDING
    assert rows(engine) == 1


def test_hours_beyond_the_longest_are_refused(engine: Engine, clock: Clock) -> None:
    store = Store(engine, [replace(LIMITED[1], max_units=4)], tz=PARIS, clock=clock)
    store.sync()
    wish = request("salle-des-associations", at(TUESDAY, 8), at(TUESDAY, 13))
    with pytest.raises(BookingRefused) as caught:
        store.check(wish)
    assert caught.value.reason is Refusal.TOO_LONG
    assert "4 heures au plus" in caught.value.message


# -- the furthest date ----------------------------------------------------------------------


def test_a_booking_may_not_end_after_the_furthest_date(limited: Store, engine: Engine) -> None:
    # Starts inside the hall's year ahead, ends in 2199: the end counts too.
    start = date(2027, 3, 1)
    wish = request("salle-des-fetes", at(start), at(date(2199, 12, 31)))
    refused = refusal(limited, wish)
    assert refused.reason in (Refusal.TOO_LONG, Refusal.TOO_FAR)
    # Within the longest booking, across the furthest day: refused, saying until when.
    last = date(2027, 3, 4)  # NOW (2026-03-04) + 365 days
    refused = refusal(limited, days("salle-des-fetes", last - timedelta(days=1), 3))
    assert refused.reason is Refusal.TOO_FAR
    assert refused.message == "On ne peut pas réserver au-delà du jeudi 4 mars 2027."
    assert rows(engine) == 0
    assert limited.book(days("salle-des-fetes", last - timedelta(days=1), 2), by="t").reference


def test_the_furthest_date_is_the_same_at_noon_and_late_on_a_winter_evening(
    limited: Store, clock: Clock
) -> None:
    # 180 days after 3 December is 1 June, in summer time: at 23:30 in Paris the instant
    # 180 × 24 hours later is already 2 June at 00:30, which must not lend a day more.
    wish = days("chaises", date(2027, 5, 31), 3)  # 31 May to 2 June
    noon, evening = (datetime(2026, 12, 3, hour, 30, tzinfo=UTC) for hour in (11, 22))
    for now in (noon, evening):
        clock.now = now
        refused = refusal(limited, wish)
        assert refused.reason is Refusal.TOO_FAR
        assert refused.message == "On ne peut pas réserver au-delà du mardi 1er juin 2027."
    assert limited.book(days("chaises", date(2027, 5, 30), 3), by="test").reference


def test_alternatives_never_end_after_the_furthest_date(limited: Store) -> None:
    last = date(2027, 3, 4)
    refused = refusal(limited, days("salle-des-fetes", last, 2))
    assert refused.reason is Refusal.TOO_FAR
    assert refused.alternatives
    horizon = at(last + timedelta(days=1))
    assert all(p.end <= horizon for p in refused.alternatives)


# -- live bookings per person ---------------------------------------------------------------


def test_two_id_appointments_per_phone_however_it_is_written(
    limited: Store, engine: Engine
) -> None:
    first = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    again = Contact("C. Martin", Requester.RESIDENT, phone="06 12 34 56 78")
    limited.book(appointment(TUESDAY, 9, 0, first), by="test")
    limited.book(appointment(TUESDAY, 9, 20, again), by="test")
    refused = refusal(limited, appointment(THURSDAY, 9, 0, replace(again, phone="0612345678")))
    assert refused.reason is Refusal.PERSON_LIMIT
    assert refused.message == (
        "Vous avez déjà 2 rendez-vous à venir, le maximum pour une même personne. "
        "Annulez-en un avant d’en demander un autre."
    )
    assert rows(engine) == 2
    other = Contact("Paul Durand", Requester.RESIDENT, phone="+33698765432")
    assert limited.book(appointment(THURSDAY, 9, 0, other), by="test").reference


def test_e_mail_ants_number_and_conversation_each_count(limited: Store, engine: Engine) -> None:
    by_mail = Contact("A", Requester.RESIDENT, email="Camille@Example.fr")
    limited.book(appointment(TUESDAY, 9, 0, by_mail), by="t")
    limited.book(
        appointment(TUESDAY, 9, 20, replace(by_mail, email=" camille@example.FR ")), by="t"
    )
    assert refusal(limited, appointment(TUESDAY, 9, 40, replace(by_mail, name="B"))).reason is (
        Refusal.PERSON_LIMIT
    )
    by_ants = Contact("D", Requester.RESIDENT, phone="+33600000001", ants="7FQ2K9LM3T")
    other_ants = replace(by_ants, phone="+33600000002", ants="7fq2 k9lm 3t")
    limited.book(appointment(THURSDAY, 9, 0, by_ants), by="t")
    limited.book(appointment(THURSDAY, 9, 20, other_ants), by="t")
    third = replace(by_ants, phone="+33600000003")
    assert refusal(limited, appointment(THURSDAY, 9, 40, third)).reason is Refusal.PERSON_LIMIT
    talk = "web:un-seul-navigateur"
    people = [Contact(n, Requester.RESIDENT, phone=f"+3370000000{i}") for i, n in enumerate("EFG")]
    limited.hold(appointment(THURSDAY, 14, 0, people[0], talk), by=talk)
    limited.hold(appointment(THURSDAY, 14, 20, people[1], talk), by=talk)
    assert refusal(limited, appointment(THURSDAY, 14, 40, people[2], talk)).reason is (
        Refusal.PERSON_LIMIT
    )
    assert rows(engine) == 6


def test_what_is_over_cancelled_lapsed_or_of_another_kind_does_not_count(
    limited: Store, clock: Clock
) -> None:
    who = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    cancelled = limited.book(appointment(TUESDAY, 9, 0, who), by="t")
    assert cancelled.cancel_token is not None
    limited.cancel(cancelled.reference, by="t", token=cancelled.cancel_token)
    limited.hold(appointment(TUESDAY, 9, 20, who), by="t")
    clock.advance(minutes=16)  # the hold lapsed
    limited.book(appointment(TUESDAY, 9, 40, who), by="t")
    limited.book(appointment(TUESDAY, 10, 0, who), by="t")
    # The hall and the chairs are other kinds: counted apart.
    limited.book(days("chaises", TUESDAY, contact=who, quantity=2), by="t")
    assert refusal(limited, appointment(THURSDAY, 9, 0, who)).reason is Refusal.PERSON_LIMIT
    clock.advance(days=7)  # Wednesday: Tuesday's appointments are over
    assert limited.book(appointment(THURSDAY, 9, 0, who), by="t").reference


def test_a_lapsed_hold_confirmed_late_is_counted_again(limited: Store, clock: Clock) -> None:
    who = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    late = limited.hold(appointment(TUESDAY, 9, 0, who), by="t")
    clock.advance(minutes=16)
    limited.book(appointment(TUESDAY, 9, 20, who), by="t")
    limited.book(appointment(TUESDAY, 9, 40, who), by="t")
    with pytest.raises(BookingRefused) as caught:
        limited.confirm(late.reference, by="t")
    assert caught.value.reason is Refusal.PERSON_LIMIT
    assert limited.get(late.reference).status is Status.EXPIRED


def test_without_limits_in_the_spec_nothing_changes(store: Store) -> None:
    who = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    for minute in (0, 20, 40):
        store.book(appointment(TUESDAY, 9, minute, who), by="t")
    assert store.book(days("chaises", TUESDAY, 10, quantity=1), by="t").quantity == 1


def test_counting_a_person_takes_no_statement_of_its_own(engine: Engine, clock: Clock) -> None:
    # The person's bookings are counted by the statement that reads the span's bookings: on
    # PostgreSQL a round trip of its own took 6 % off the booking API (`make bench`, limits).
    plain = tuple(replace(s, live_per_person=None) for s in LIMITED)
    unlimited = Store(engine, plain, tz=PARIS, clock=clock)
    limited = Store(engine, LIMITED, tz=PARIS, clock=clock)
    unlimited.sync()
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]))

    def counted(store: Store, minute: int, who: Contact) -> list[str]:
        statements.clear()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            store.book(appointment(TUESDAY, 9, minute, who), by="t")
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        return list(statements)

    camille = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    paul = Contact("Paul Durand", Requester.RESIDENT, email="paul@example.fr")
    without = counted(unlimited, 0, camille)
    with_limits = counted(limited, 20, paul)
    assert len(with_limits) == len(without)
    assert sum("count(*)" in s for s in with_limits) == 1
    assert sum("count(*)" in s for s in without) == 0


def test_two_rooms_at_once_by_one_person_at_the_limit_on_postgresql(
    pg_engine: Engine, clock: Clock
) -> None:
    # Counting over several resources: only the kind's lock keeps two writers from both
    # counting two and both booking a third.
    store = Store(pg_engine, LIMITED, tz=PARIS, clock=clock)
    store.sync()
    who = Contact("Camille Martin", Requester.RESIDENT, phone="+33612345678")
    for day in (date(2026, 3, 16), date(2026, 3, 17)):  # two of three
        store.book(days("salle-des-fetes", day, contact=who), by="t")
    hall = days("salle-des-fetes", date(2026, 3, 20), contact=who)
    room = request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20), contact=who)
    start = threading.Barrier(2)

    def one(wish: BookingRequest) -> Refusal | None:
        start.wait()
        try:
            store.book(wish, by="race")
        except BookingRefused as refusal:
            return refusal.reason
        return None

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(one, [hall, room]))
    assert sorted(outcomes, key=str) == [None, Refusal.PERSON_LIMIT]
    assert rows(pg_engine) == 3


def test_a_counted_writer_holds_its_kind_and_its_resource_on_postgresql(
    pg_engine: Engine, clock: Clock
) -> None:
    # One statement takes both locks: while it is held, another writer counting the same
    # kind waits, and so does any writer of the same resource.
    store = Store(pg_engine, LIMITED, tz=PARIS, clock=clock)
    store.sync()
    spec = store.spec("salle-des-fetes")
    key = ledger.kind_key(spec.kind)
    try_kind = text("SELECT pg_try_advisory_xact_lock(:key)")
    try_row = text("SELECT slug FROM resources WHERE slug = :slug FOR UPDATE NOWAIT")
    with Session(pg_engine) as session, session.begin():
        ledger.lock(session, spec, kind=spec.kind)
        with pg_engine.connect() as other:
            assert other.execute(try_kind, {"key": key}).scalar() is False
            other.rollback()
            with pytest.raises(OperationalError):
                other.execute(try_row, {"slug": spec.slug})
            other.rollback()
    with pg_engine.connect() as other:
        assert other.execute(try_kind, {"key": key}).scalar() is True
        other.rollback()
