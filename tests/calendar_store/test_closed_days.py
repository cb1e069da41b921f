"""Closed days given in a resource's spec: no availability, no slots, refusals that say why."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from calendar_store.spec import BookingRefused, Refusal, ResourceSpec
from calendar_store.store import Store
from tests.helpers.calendar import (
    ASSOCIATION,
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

ASCENSION = date(2027, 5, 6)  # a Thursday: an ID-appointment day
BRIDGE = date(2027, 5, 7)
NEXT_THURSDAY = date(2027, 5, 13)
HOLIDAY = "c’est un jour férié (Ascension)"
CLOSURE = "fermeture exceptionnelle (pont de l’Ascension)"
CLOSED = {ASCENSION: HOLIDAY, BRIDGE: CLOSURE}


def closed(spec: ResourceSpec) -> ResourceSpec:
    return replace(spec, closed=CLOSED)


@pytest.fixture
def shut(engine: Engine, clock: Clock) -> Store:
    """Every resource closed on Ascension 2027 and the day after, the clock in April 2027."""
    clock.now = datetime(2027, 4, 20, 8, 0, tzinfo=UTC)
    specs = (SALLE_DES_FETES, SALLE_DES_ASSOCIATIONS, GYMNASE, CHAISES, RDV_TITRES)
    store = Store(engine, [closed(s) for s in specs], tz=PARIS, clock=clock)
    store.sync()
    return store


def test_no_appointment_slot_is_offered_on_a_closed_day(shut: Store) -> None:
    assert shut.availability("rdv-titres", ASCENSION, ASCENSION) == []
    # The same weekday a week later keeps its 16 slots of 20 minutes.
    assert len(shut.availability("rdv-titres", NEXT_THURSDAY, NEXT_THURSDAY)) == 16


@pytest.mark.parametrize(
    ("slug", "first"),
    [("salle-des-fetes", ASCENSION), ("chaises", ASCENSION), ("salle-des-associations", BRIDGE)],
)
def test_closed_days_are_neither_free_days_nor_hours(shut: Store, slug: str, first: date) -> None:
    free_days = {p.start.astimezone(PARIS).date() for p in shut.availability(slug, first, first)}
    assert free_days == set()


def test_an_appointment_on_a_holiday_is_refused_with_the_reason(shut: Store) -> None:
    wish = request("rdv-titres", at(ASCENSION, 9), at(ASCENSION, 9, 20))
    with pytest.raises(BookingRefused) as refused:
        shut.check(wish)
    assert refused.value.reason is Refusal.CLOSED
    assert refused.value.message == (
        "On ne peut pas réserver le rendez-vous pour un titre d'identité le jeudi 6 mai : "
        "c’est un jour férié (Ascension)."
    )
    # The nearest other slots are on open days only.
    offered = {p.start.astimezone(PARIS).date() for p in refused.value.alternatives}
    assert offered and not offered & set(CLOSED)


def test_hours_and_slots_on_an_exceptional_closure_are_refused(shut: Store) -> None:
    hall = request("salle-des-associations", at(BRIDGE, 14), at(BRIDGE, 16))
    with pytest.raises(BookingRefused) as refused:
        shut.hold(hall, by="test")
    assert refused.value.reason is Refusal.CLOSED
    assert "pont de l’Ascension" in refused.value.message
    gym = request("gymnase", at(BRIDGE, 18), at(BRIDGE, 19), contact=ASSOCIATION)
    with pytest.raises(BookingRefused, match="fermeture exceptionnelle"):
        shut.book(gym, by="test")


def test_whole_days_across_a_closed_day_are_refused(shut: Store) -> None:
    with pytest.raises(BookingRefused) as refused:
        shut.book(days("salle-des-fetes", ASCENSION - timedelta(days=1), 2), by="test")
    assert refused.value.reason is Refusal.CLOSED
    assert "jeudi 6 mai : c’est un jour férié (Ascension)" in refused.value.message
    with pytest.raises(BookingRefused, match="Ascension"):
        shut.book(days("chaises", BRIDGE, 1, quantity=10), by="test")


def test_a_resource_without_closed_days_is_bookable_on_a_holiday(
    engine: Engine, clock: Clock
) -> None:
    clock.now = datetime(2027, 4, 20, 8, 0, tzinfo=UTC)
    store = Store(engine, [SALLE_DES_FETES], tz=PARIS, clock=clock)
    store.sync()
    assert [p.start for p in store.availability("salle-des-fetes", ASCENSION, ASCENSION)] == [
        at(ASCENSION)
    ]
    assert store.book(days("salle-des-fetes", ASCENSION), by="test").reference
