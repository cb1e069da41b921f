from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.db import make_engine
from calendar_store.spec import BookingRefused, BookingRequest, Contact, Refusal, Requester, Window
from calendar_store.store import Store
from tests.helpers.calendar import (
    ASSOCIATION,
    CHAISES,
    EXTERIEUR,
    GYMNASE,
    NOW,
    PARIS,
    RESIDENT,
    SALLE_DES_FETES,
    Clock,
    at,
    days,
    request,
)

MONDAY = date(2026, 3, 9)
TUESDAY = date(2026, 3, 10)
WEDNESDAY = date(2026, 3, 11)


def refusal(store: Store, wish: BookingRequest) -> BookingRefused:
    with pytest.raises(BookingRefused) as caught:
        store.check(wish)
    return caught.value


@pytest.mark.parametrize(
    ("wish", "reason", "message"),
    [
        (
            days("piscine", TUESDAY),
            Refusal.UNKNOWN_RESOURCE,
            "Je ne connais pas cette ressource.",
        ),
        (
            request("salle-des-associations", datetime(2026, 3, 10, 10), at(TUESDAY, 12)),
            Refusal.INVALID,
            "La date ou l'heure est incomplète.",
        ),
        (
            days("chaises", TUESDAY, quantity=0),
            Refusal.INVALID,
            "La quantité doit être d'au moins 1.",
        ),
        (
            days("salle-des-fetes", TUESDAY, contact=Contact("  ", Requester.RESIDENT, "+33611")),
            Refusal.INVALID,
            "Il faut un nom pour la réservation.",
        ),
        (
            days("salle-des-fetes", TUESDAY, contact=Contact("Léa", Requester.RESIDENT, " ")),
            Refusal.INVALID,
            "Il faut un numéro de téléphone ou une adresse e-mail pour vous joindre.",
        ),
        (
            request("salle-des-associations", at(TUESDAY, 12), at(TUESDAY, 12)),
            Refusal.END_BEFORE_START,
            "La fin doit venir après le début.",
        ),
        (
            request("salle-des-associations", at(date(2026, 3, 3), 10), at(date(2026, 3, 3), 12)),
            Refusal.PAST,
            "Ce créneau est déjà passé.",
        ),
        (
            days("salle-des-fetes", date(2026, 3, 5)),
            Refusal.TOO_SOON,
            "Il faut réserver au moins 48 heures à l'avance.",
        ),
        (
            days("salle-des-fetes", date(2027, 3, 5)),
            Refusal.TOO_FAR,
            "On ne peut pas réserver plus de 365 jours à l'avance.",
        ),
        (
            request("gymnase", at(TUESDAY, 18), at(TUESDAY, 19)),
            Refusal.NOT_ALLOWED,
            "Seules les associations peuvent réserver le gymnase.",
        ),
        (
            days("chaises", TUESDAY, quantity=201),
            Refusal.TOO_MANY,
            "Il n'y a que 200 chaises en tout.",
        ),
        (
            days("salle-des-fetes", TUESDAY, quantity=2),
            Refusal.TOO_MANY,
            "On ne réserve la salle des fêtes qu'une fois par demande.",
        ),
        (
            request("salle-des-fetes", at(TUESDAY, 10), at(WEDNESDAY, 10)),
            Refusal.MISALIGNED,
            "La salle des fêtes se réserve à la journée entière.",
        ),
        (
            request("chaises", at(TUESDAY, 8), at(TUESDAY, 18), quantity=10),
            Refusal.MISALIGNED,
            "Les chaises se réservent à la journée entière.",
        ),
        (
            request("salle-des-associations", at(TUESDAY, 14, 30), at(TUESDAY, 16)),
            Refusal.MISALIGNED,
            "La salle des associations se réserve par heures entières "
            "(de 14 h à 16 h, par exemple).",
        ),
        (
            request("salle-des-associations", at(TUESDAY, 7), at(TUESDAY, 9)),
            Refusal.CLOSED,
            "Ce créneau est en dehors des horaires.",
        ),
        (
            request("salle-des-associations", at(TUESDAY, 22), at(WEDNESDAY, 0)),
            Refusal.CLOSED,
            "Ce créneau est en dehors des horaires.",
        ),
        (
            request("gymnase", at(TUESDAY, 18), at(TUESDAY, 20), contact=ASSOCIATION),
            Refusal.MISALIGNED,
            "On réserve le gymnase par créneaux de 60 minutes, un seul à la fois.",
        ),
        (
            request("rdv-titres", at(TUESDAY, 9, 10), at(TUESDAY, 9, 30)),
            Refusal.MISALIGNED,
            "On réserve le rendez-vous pour un titre d'identité par créneaux de 20 minutes, "
            "aux horaires proposés.",
        ),
        (
            request("rdv-titres", at(WEDNESDAY, 9), at(WEDNESDAY, 9, 20)),
            Refusal.CLOSED,
            "Ce créneau est en dehors des horaires.",
        ),
        (
            request("rdv-titres", at(TUESDAY, 11, 40), at(TUESDAY, 12)),
            Refusal.CLOSED,
            "Ce créneau est en dehors des horaires.",
        ),
    ],
    ids=lambda value: value.value if isinstance(value, Refusal) else "",
)
def test_every_rule_refuses_with_a_french_sentence(
    store: Store, wish: BookingRequest, reason: Refusal, message: str
) -> None:
    refused = refusal(store, wish)
    assert (refused.reason, refused.message) == (reason, message)
    assert str(refused) == message


def test_a_day_without_opening_is_closed(engine: Engine, clock: Clock) -> None:
    weekends = replace(SALLE_DES_FETES, windows=(Window(5, 0, 24 * 60), Window(6, 0, 24 * 60)))
    store = Store(engine, [weekends], tz=PARIS, clock=clock)
    refused = refusal(store, days("salle-des-fetes", date(2026, 3, 13), 2))  # Fri + Sat
    assert refused.reason is Refusal.CLOSED
    assert refused.message == "La salle des fêtes ne se réserve pas le vendredi 13 mars."
    # The nearest weekend days of the same length (two days) are offered instead.
    assert [p.start.astimezone(PARIS).date() for p in refused.alternatives] == [
        date(2026, 3, 14),
        date(2026, 3, 21),
        date(2026, 3, 28),
    ]


def test_rules_apply_in_order(store: Store) -> None:
    naive_and_unknown = request("piscine", datetime(2026, 3, 10), datetime(2026, 3, 9))
    assert refusal(store, naive_and_unknown).reason is Refusal.UNKNOWN_RESOURCE
    backwards_in_the_past = request("gymnase", at(date(2026, 3, 3), 12), at(date(2026, 3, 2)))
    assert refusal(store, backwards_in_the_past).reason is Refusal.END_BEFORE_START
    past_and_not_allowed = request("gymnase", at(date(2026, 3, 3), 18), at(date(2026, 3, 3), 19))
    assert refusal(store, past_and_not_allowed).reason is Refusal.PAST
    too_many_and_misaligned = request("chaises", at(TUESDAY, 8), at(TUESDAY, 9), quantity=500)
    assert refusal(store, too_many_and_misaligned).reason is Refusal.TOO_MANY


def test_notice_is_measured_from_now_to_the_start(store: Store, clock: Clock) -> None:
    # 48 hours from Wednesday 10:00 is Friday 10:00: Friday's midnight is too soon, not Saturday's.
    assert refusal(store, days("salle-des-fetes", date(2026, 3, 6))).reason is Refusal.TOO_SOON
    store.check(days("salle-des-fetes", date(2026, 3, 7)))
    clock.now = at(date(2026, 3, 5), 0) - timedelta(seconds=1)
    store.check(days("salle-des-fetes", date(2026, 3, 7)))
    clock.now = at(date(2026, 3, 5), 0) + timedelta(seconds=1)
    assert refusal(store, days("salle-des-fetes", date(2026, 3, 7))).reason is Refusal.TOO_SOON


def test_refused_dates_come_with_the_nearest_bookable_ones(store: Store) -> None:
    too_soon = refusal(store, days("salle-des-fetes", date(2026, 3, 5)))
    assert [p.start.astimezone(PARIS) for p in too_soon.alternatives] == [
        at(date(2026, 3, 7)),
        at(date(2026, 3, 8)),
        at(date(2026, 3, 9)),
    ]
    not_allowed = refusal(store, request("gymnase", at(TUESDAY, 18), at(TUESDAY, 19)))
    assert not_allowed.alternatives == ()  # no other date would let a resident in


@pytest.mark.parametrize(
    ("wish", "price", "deposit", "approval"),
    [
        (days("salle-des-fetes", TUESDAY), "250.00", "500.00", True),
        (days("salle-des-fetes", TUESDAY, 2, contact=EXTERIEUR), "900.00", "500.00", True),
        (days("salle-des-fetes", TUESDAY, contact=ASSOCIATION), "0.00", "500.00", True),
        (
            request("salle-des-associations", at(TUESDAY, 14), at(TUESDAY, 17)),
            "45.00",
            "0.00",
            False,
        ),
        (
            request(
                "salle-des-associations", at(TUESDAY, 14), at(TUESDAY, 17), contact=ASSOCIATION
            ),
            "0.00",
            "0.00",
            False,
        ),
        (days("chaises", TUESDAY, 2, quantity=100), "100.00", "0.00", False),
        (days("chaises", TUESDAY, quantity=30, contact=EXTERIEUR), "30.00", "0.00", False),
        (days("chaises", TUESDAY, quantity=30, contact=ASSOCIATION), "0.00", "0.00", False),
        (
            request("gymnase", at(TUESDAY, 18), at(TUESDAY, 19), contact=ASSOCIATION),
            "0",
            "0",
            False,
        ),
        (request("rdv-titres", at(TUESDAY, 9, 20), at(TUESDAY, 9, 40)), "0.00", "0.00", False),
    ],
)
def test_price_is_unit_price_times_units_times_quantity(
    store: Store, wish: BookingRequest, price: str, deposit: str, approval: bool
) -> None:
    quote = store.check(wish)
    assert (quote.price, quote.deposit, quote.approval) == (
        Decimal(price),
        Decimal(deposit),
        approval,
    )


def test_specs_are_listed_and_found(store: Store) -> None:
    assert [s.slug for s in store.specs()][:2] == ["salle-des-fetes", "salle-des-associations"]
    assert store.spec("chaises") is CHAISES
    with pytest.raises(BookingRefused) as caught:
        store.spec("piscine")
    assert caught.value.reason is Refusal.UNKNOWN_RESOURCE


def test_two_specs_with_one_slug_are_an_error(engine: Engine) -> None:
    with pytest.raises(ValueError, match="chaises"):
        Store(engine, [CHAISES, CHAISES])


def test_the_clock_must_be_aware(engine: Engine) -> None:
    store = Store(engine, [CHAISES], clock=lambda: NOW.replace(tzinfo=None))
    with pytest.raises(ValueError, match="aware"):
        store.check(days("chaises", TUESDAY, contact=RESIDENT))


def test_nothing_touches_the_database_before_it_is_used(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'never' / 'created.db'}")
    Store(engine, [CHAISES])  # no table yet: building the store must not need one
    assert not (tmp_path / "never" / "created.db").exists()
    engine.dispose()


def test_consecutive_slots_make_one_booking_up_to_the_resource_limit(
    engine: Engine, clock: Clock
) -> None:
    gym = replace(GYMNASE, max_slots=3)
    store = Store(engine, (gym,), tz=PARIS, clock=clock)
    store.sync()
    two_hours = request("gymnase", at(TUESDAY, 18), at(TUESDAY, 20), contact=ASSOCIATION)
    assert store.check(two_hours).price == Decimal(0)
    held = store.hold(two_hours, by="test")
    assert (held.start, held.end) == (at(TUESDAY, 18), at(TUESDAY, 20))
    overlapping = refusal(
        store, request("gymnase", at(TUESDAY, 19), at(TUESDAY, 21), contact=ASSOCIATION)
    )
    assert overlapping.reason is Refusal.TAKEN
    # The nearest free alternatives keep the length asked for: two slots in a row.
    assert all(p.end - p.start == timedelta(hours=2) for p in overlapping.alternatives)
    too_long = refusal(
        store, request("gymnase", at(WEDNESDAY, 8), at(WEDNESDAY, 12), contact=ASSOCIATION)
    )
    assert too_long.reason is Refusal.MISALIGNED
    assert too_long.message == "On réserve le gymnase pour 3 heures au plus à la suite."
    off_grid = refusal(
        store, request("gymnase", at(WEDNESDAY, 8, 30), at(WEDNESDAY, 10), contact=ASSOCIATION)
    )
    assert off_grid.reason is Refusal.MISALIGNED


def test_one_slot_at_a_time_unless_the_resource_allows_more(store: Store) -> None:
    wish = request("gymnase", at(TUESDAY, 18), at(TUESDAY, 20), contact=ASSOCIATION)
    assert refusal(store, wish).reason is Refusal.MISALIGNED
