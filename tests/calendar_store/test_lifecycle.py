from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from calendar_store.spec import (
    Booking,
    BookingNotFound,
    BookingRefused,
    NotPermitted,
    Refusal,
    Status,
    WrongState,
)
from calendar_store.store import Store
from tests.helpers.calendar import NOW, Clock, at, days, request

TUESDAY = date(2026, 3, 10)
EVENING = request("salle-des-associations", at(TUESDAY, 18), at(TUESDAY, 20))
SATURDAY = days("salle-des-fetes", date(2026, 3, 14))


def statuses(store: Store, reference: str) -> list[tuple[Status, str, str | None]]:
    return [(c.status, c.by, c.note) for c in store.changes(reference)]


def test_a_hold_then_a_confirmation(store: Store) -> None:
    held = store.hold(EVENING, by="web:camille")
    assert held.status is Status.HELD
    assert held.hold_until == NOW + timedelta(minutes=15)
    assert held.cancel_token is not None
    assert re.fullmatch(r"SDA-[ACDEFHJKMNPQRTUVWXY3479]{4}", held.reference)
    with pytest.raises(BookingRefused) as caught:
        store.check(EVENING)  # a live hold blocks the span for everyone else
    assert caught.value.reason is Refusal.TAKEN
    confirmed = store.confirm(held.reference, by="web:camille")
    assert (confirmed.status, confirmed.hold_until, confirmed.cancel_token) == (
        Status.CONFIRMED,
        None,
        None,
    )
    assert store.get(held.reference) == confirmed
    assert statuses(store, held.reference) == [
        (Status.HELD, "web:camille", None),
        (Status.CONFIRMED, "web:camille", None),
    ]
    with pytest.raises(WrongState):
        store.confirm(held.reference, by="web:camille")


def test_a_lapsed_hold_frees_the_span_and_is_swept(store: Store, clock: Clock) -> None:
    held = store.hold(EVENING, by="web:camille")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(BookingRefused):
        store.check(EVENING)
    clock.advance(seconds=1)
    store.check(EVENING)
    assert store.expire_holds() == 1
    assert store.expire_holds() == 0
    assert store.get(held.reference).status is Status.EXPIRED
    assert statuses(store, held.reference)[-1] == (Status.EXPIRED, "system", "hold lapsed")


def test_a_lapsed_hold_confirmed_while_still_free(store: Store, clock: Clock) -> None:
    held = store.hold(EVENING, by="web:camille")
    clock.advance(minutes=30)
    confirmed = store.confirm(held.reference, by="web:camille")
    assert confirmed.status is Status.CONFIRMED
    assert [s for s, _, _ in statuses(store, held.reference)] == [
        Status.HELD,
        Status.EXPIRED,
        Status.CONFIRMED,
    ]


def test_a_lapsed_hold_taken_meanwhile_cannot_be_confirmed(store: Store, clock: Clock) -> None:
    held = store.hold(EVENING, by="web:camille")
    clock.advance(minutes=20)
    other = store.book(
        request("salle-des-associations", at(TUESDAY, 19), at(TUESDAY, 21), owner="sms:+336"),
        by="sms:+336",
    )
    assert store.get(held.reference).status is Status.EXPIRED  # the writer swept it first
    with pytest.raises(BookingRefused) as caught:
        store.confirm(held.reference, by="web:camille")
    assert caught.value.reason is Refusal.TAKEN
    assert caught.value.alternatives  # other evenings to offer
    assert store.get(held.reference).status is Status.EXPIRED
    assert store.get(other.reference).status is Status.CONFIRMED


def test_a_hold_given_back(store: Store, clock: Clock) -> None:
    held = store.hold(EVENING, by="web:camille")
    assert store.release(held.reference, by="web:camille").status is Status.CANCELLED
    store.check(EVENING)
    with pytest.raises(WrongState):
        store.release(held.reference, by="web:camille")
    lapsed = store.hold(EVENING, by="web:camille")
    clock.advance(hours=1)
    assert store.release(lapsed.reference, by="web:camille").status is Status.EXPIRED
    booked = store.book(EVENING, by="web:camille")
    with pytest.raises(WrongState):
        store.release(booked.reference, by="web:camille")


def test_approval_makes_bookings_pending_until_an_agent_decides(store: Store) -> None:
    held = store.hold(SATURDAY, by="web:camille")
    pending = store.confirm(held.reference, by="web:camille")
    assert pending.status is Status.PENDING
    direct = store.book(days("salle-des-fetes", date(2026, 3, 21)), by="api")
    assert direct.status is Status.PENDING
    assert [b.reference for b in store.pending()] == [held.reference, direct.reference]
    with pytest.raises(BookingRefused):
        store.check(SATURDAY)  # a pending booking holds its day

    assert store.approve(held.reference, by="agent:claire").status is Status.CONFIRMED
    rejected = store.reject(direct.reference, by="agent:claire", reason="Salle en travaux")
    assert rejected.status is Status.REJECTED
    assert statuses(store, direct.reference)[-1] == (
        Status.REJECTED,
        "agent:claire",
        "Salle en travaux",
    )
    assert store.pending() == []
    store.check(days("salle-des-fetes", date(2026, 3, 21)))  # a rejected booking frees its day
    with pytest.raises(WrongState):
        store.approve(held.reference, by="agent:claire")
    with pytest.raises(WrongState):
        store.reject(direct.reference, by="agent:claire", reason="deux fois")


def test_cancel_with_the_token_or_from_the_same_conversation(store: Store) -> None:
    first = store.book(EVENING, by="web:camille")
    assert first.cancel_token is not None
    with pytest.raises(NotPermitted):
        store.cancel(first.reference, by="web:x", token="not-the-token")
    with pytest.raises(NotPermitted):
        store.cancel(first.reference, by="web:x", owner="web:someone-else")
    with pytest.raises(NotPermitted):
        store.cancel(first.reference, by="web:x")
    cancelled = store.cancel(first.reference, by="mail", token=first.cancel_token)
    assert cancelled.status is Status.CANCELLED
    with pytest.raises(WrongState):
        store.cancel(first.reference, by="mail", token=first.cancel_token)

    second = store.book(EVENING, by="web:camille")  # the span is free again
    assert store.cancel(second.reference.lower(), by="web:camille", owner="web:camille")
    with pytest.raises(WrongState):
        store.cancel(second.reference, by="web:camille", owner="web:camille")
    assert statuses(store, second.reference) == [
        (Status.CONFIRMED, "web:camille", None),
        (Status.CANCELLED, "web:camille", None),
    ]


def test_a_booking_without_owner_is_cancelled_by_token_only(store: Store) -> None:
    anonymous = store.book(
        request("salle-des-associations", at(TUESDAY, 8), at(TUESDAY, 9), owner=None), by="api"
    )
    with pytest.raises(NotPermitted):
        store.cancel(anonymous.reference, by="api", owner=None)
    store.cancel(anonymous.reference, by="api", token=anonymous.cancel_token)


def test_rejected_and_expired_bookings_cannot_be_cancelled(store: Store, clock: Clock) -> None:
    pending = store.book(SATURDAY, by="web:camille")
    store.reject(pending.reference, by="agent:claire", reason="complet")
    with pytest.raises(WrongState):
        store.cancel(pending.reference, by="web:camille", owner="web:camille")
    held = store.hold(EVENING, by="web:camille")
    clock.advance(minutes=16)
    store.expire_holds()
    with pytest.raises(WrongState):
        store.cancel(held.reference, by="web:camille", token=held.cancel_token)


def test_the_token_is_stored_as_its_sha256_only(store: Store, engine: Engine) -> None:
    booked = store.book(EVENING, by="web:camille")
    assert booked.cancel_token is not None
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT cancel_token_hash FROM bookings WHERE reference = :r"),
            {"r": booked.reference},
        ).scalar_one()
    assert stored == hashlib.sha256(booked.cancel_token.encode()).hexdigest()
    assert store.get(booked.reference).cancel_token is None


def test_unknown_references(store: Store) -> None:
    for action in (
        lambda: store.get("SDF-AAAA"),
        lambda: store.changes("SDF-AAAA"),
        lambda: store.confirm("SDF-AAAA", by="x"),
        lambda: store.cancel("SDF-AAAA", by="x", token="t"),
        lambda: store.approve("SDF-AAAA", by="x"),
    ):
        with pytest.raises(BookingNotFound):
            action()


def test_a_conversation_sees_its_coming_bookings_first(store: Store, clock: Clock) -> None:
    soon = store.book(request("salle-des-associations", at(TUESDAY, 8), at(TUESDAY, 9)), by="w")
    later = store.book(days("chaises", date(2026, 3, 20), quantity=10), by="w")
    gone = store.book(request("salle-des-associations", at(TUESDAY, 9), at(TUESDAY, 10)), by="w")
    store.cancel(gone.reference, by="w", owner="web:camille")
    store.book(days("chaises", date(2026, 3, 20), quantity=10, owner="sms:+336"), by="sms")
    clock.now = at(TUESDAY, 12)
    past = store.book(
        request("salle-des-associations", at(date(2026, 3, 12), 8), at(date(2026, 3, 12), 9)),
        by="w",
    )
    clock.now = at(date(2026, 3, 12), 12)
    mine = store.for_owner("web:camille")
    assert [b.reference for b in mine] == [
        later.reference,
        past.reference,
        gone.reference,
        soon.reference,
    ]


def test_after_runs_in_the_same_transaction(store: Store, engine: Engine) -> None:
    seen: list[Booking] = []

    def notify(session: Session, booking: Booking) -> None:
        seen.append(booking)
        session.execute(
            text(
                "INSERT INTO conversations (id, channel, external_id, started_at, "
                "last_activity_at) VALUES (:id, 'web', 'x', '2026-03-04', '2026-03-04')"
            ),
            {"id": f"{booking.reference}:{booking.status}"},
        )

    booked = store.book(EVENING, by="web:camille", after=notify)
    assert seen == [booked]
    assert _count(engine, "conversations") == 1
    store.cancel(booked.reference, by="w", token=booked.cancel_token, after=notify)
    assert seen[-1].status is Status.CANCELLED
    assert _count(engine, "conversations") == 2


def test_a_failing_after_writes_nothing_at_all(store: Store, engine: Engine) -> None:
    def broken(session: Session, booking: Booking) -> None:
        session.execute(
            text(
                "INSERT INTO conversations (id, channel, external_id, started_at, "
                "last_activity_at) VALUES ('n', 'web', 'x', '2026-03-04', '2026-03-04')"
            )
        )
        raise RuntimeError("the outbox is down")

    with pytest.raises(RuntimeError, match="outbox"):
        store.book(EVENING, by="web:camille", after=broken)
    assert (_count(engine, "bookings"), _count(engine, "booking_changes")) == (0, 0)
    assert _count(engine, "conversations") == 0
    store.check(EVENING)  # still free

    booked = store.book(EVENING, by="web:camille")
    with pytest.raises(RuntimeError):
        store.cancel(booked.reference, by="w", token=booked.cancel_token, after=broken)
    assert store.get(booked.reference).status is Status.CONFIRMED
    assert len(store.changes(booked.reference)) == 1


def test_sync_keeps_resource_rows_up_to_date(store: Store, engine: Engine) -> None:
    store.sync()  # twice is fine
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT slug, kind, stock FROM resources ORDER BY slug"))
        assert ("chaises", "equipment", 200) in list(rows)
    assert _count(engine, "resources") == 5


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


@pytest.mark.postgres
def test_the_whole_life_of_bookings_on_postgresql(pg_store: Store, clock: Clock) -> None:
    held = pg_store.hold(SATURDAY, by="web:camille")
    assert pg_store.confirm(held.reference, by="web:camille").status is Status.PENDING
    assert pg_store.approve(held.reference, by="agent:claire").status is Status.CONFIRMED
    assert pg_store.cancel(held.reference, by="web:camille", token=held.cancel_token)
    assert [s for s, _, _ in statuses(pg_store, held.reference)] == [
        Status.HELD,
        Status.PENDING,
        Status.CONFIRMED,
        Status.CANCELLED,
    ]
    lapsed = pg_store.hold(EVENING, by="web:camille")
    clock.advance(minutes=16)
    taken = pg_store.book(EVENING, by="sms:+336")  # its writer sweeps the lapsed hold first
    assert pg_store.get(lapsed.reference).status is Status.EXPIRED
    with pytest.raises(BookingRefused):
        pg_store.confirm(lapsed.reference, by="web:camille")
    assert pg_store.for_owner("web:camille")[0].reference == taken.reference
    assert pg_store.expire_holds() == 0


def test_staff_may_cancel_without_token_or_owner(store: Store) -> None:
    made = store.book(EVENING, by="api")
    with pytest.raises(NotPermitted):
        store.cancel(made.reference, by="web:someone-else", owner="web:someone-else")
    cancelled = store.cancel(made.reference, by="agent:paul", staff=True)
    assert cancelled.status is Status.CANCELLED
    assert statuses(store, made.reference)[-1][:2] == (Status.CANCELLED, "agent:paul")
