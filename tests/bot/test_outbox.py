"""The outbox: notices and reminders written with their booking, and the worker's claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.outbox import Notification, booking_notices, queue, reminder_time
from bot.outbox_claims import MAX_ATTEMPTS, Claims, backoff
from calendar_store.spec import Contact, Requester
from calendar_store.store import Store
from tests.helpers.calendar import PARIS, Clock, at, request

TUESDAY = datetime(2026, 3, 10).date()
EVENING = request(
    "salle-des-associations",
    at(TUESDAY, 18),
    at(TUESDAY, 20),
    owner="sms:+33612345678",
    channel="sms",
)


def rows(engine: Engine) -> list[Notification]:
    with Session(engine) as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def test_the_reminder_goes_the_day_before_at_ten_local_time() -> None:
    start = at(TUESDAY, 18)
    assert reminder_time(start, PARIS) == at(TUESDAY - timedelta(days=1), 10)
    # Across the clock change (29 March 2026), still 10:00 on the wall clock.
    sunday = at(datetime(2026, 3, 30).date(), 9)
    assert reminder_time(sunday, PARIS).astimezone(PARIS).hour == 10


def test_a_confirmed_booking_queues_its_notice_and_its_reminder(
    store: Store, engine: Engine, clock: Clock
) -> None:
    after = booking_notices(PARIS, now=clock)
    booked = store.book(EVENING, by="sms:+33612345678", after=after)
    kinds = [(n.kind, n.status, n.send_after) for n in rows(engine)]
    assert kinds[0][:2] == ("booking_confirmed", "queued")
    assert kinds[1] == ("booking_reminder", "queued", at(TUESDAY - timedelta(days=1), 10))
    # Cancelled: the reminder is withdrawn in the same transaction.
    store.cancel(booked.reference, by="sms:+33612345678", owner="sms:+33612345678", after=after)
    statuses = {n.kind: n.status for n in rows(engine)}
    assert statuses["booking_reminder"] == "cancelled"
    assert statuses["booking_cancelled"] == "queued"


def test_no_reminder_when_the_day_before_has_already_passed(
    store: Store, engine: Engine, clock: Clock
) -> None:
    clock.now = at(TUESDAY - timedelta(days=1), 11).astimezone(UTC)  # Monday, 11:00
    store.book(EVENING, by="sms:+33612345678", after=booking_notices(PARIS, now=clock))
    assert [n.kind for n in rows(engine)] == ["booking_confirmed"]


def test_an_sms_booking_with_an_email_also_gets_the_email(
    store: Store, engine: Engine, clock: Clock
) -> None:
    contact = Contact("Camille Martin", Requester.RESIDENT, email="camille@example.org")
    ask = request(
        "salle-des-associations",
        at(TUESDAY, 18),
        at(TUESDAY, 20),
        contact=contact,
        owner="telegram:42",
        channel="telegram",
    )
    store.book(ask, by="telegram:42", after=booking_notices(PARIS, now=clock))
    sent = [(n.kind, n.route, n.email) for n in rows(engine) if n.kind == "booking_confirmed"]
    assert sent == [
        ("booking_confirmed", None, "camille@example.org"),
        ("booking_confirmed", "email", "camille@example.org"),
    ]


def note(engine: Engine, **values: object) -> int:
    with Session(engine) as session, session.begin():
        row = queue(
            session,
            "report_resolved",
            {"reference": "SIG-AAAA"},
            conversation_id="sms:+33600000000",
            channel="sms",
        )
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return row.id


def test_a_claim_takes_due_rows_once(engine: Engine) -> None:
    due = note(engine)
    later = note(engine, send_after=datetime.now(UTC) + timedelta(hours=1))
    claims = Claims(engine, timedelta(seconds=60))
    first = claims.claim(10)
    assert [job.id for job in first] == [due]
    assert first[0].attempts == 1 and not first[0].in_doubt
    assert claims.claim(10) == []  # claimed: nobody else takes it
    # Two hours on, the later one is due, and the first one's claim has lapsed.
    ids = [job.id for job in claims.claim(10, now=datetime.now(UTC) + timedelta(hours=2))]
    assert ids == [due, later]


def test_a_lapsed_claim_is_in_doubt_only_if_the_send_had_begun(engine: Engine) -> None:
    claims = Claims(engine, timedelta(seconds=60))
    began, never = note(engine), note(engine)
    jobs = claims.claim(10)
    assert {j.id for j in jobs} == {began, never}
    claims.started(began, "sms", "Mairie de Clairval : c'est réparé.")
    later = datetime.now(UTC) + timedelta(minutes=5)
    again = {job.id: job for job in claims.claim(10, now=later)}
    assert again[began].in_doubt and again[began].text == "Mairie de Clairval : c'est réparé."
    assert not again[never].in_doubt


def test_retries_back_off_then_give_up(engine: Engine) -> None:
    claims = Claims(engine, timedelta(seconds=60))
    note(engine)
    job = claims.claim(1)[0]
    assert claims.retry(job, "Twilio : 500")
    (row,) = rows(engine)
    assert row.status == "queued" and row.last_error == "Twilio : 500"
    assert row.send_after > datetime.now(UTC) + timedelta(seconds=10)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Notification).values(attempts=MAX_ATTEMPTS, send_after=datetime.now(UTC))
        )
    job = claims.claim(1)[0]
    assert not claims.retry(job, "Twilio : 500")
    assert rows(engine)[0].status == "failed"
    assert timedelta(seconds=12) <= backoff(1) <= timedelta(seconds=18)
    assert backoff(30) <= timedelta(hours=1.2)


def test_a_rejection_carries_the_agents_reason(store: Store, engine: Engine, clock: Clock) -> None:
    after = booking_notices(PARIS, now=clock)
    saturday = datetime(2026, 3, 14).date()
    ask = request("salle-des-fetes", at(saturday), at(saturday + timedelta(days=1)))
    pending = store.book(ask, by="web:camille", after=after)
    store.reject(
        pending.reference, by="agent:paul", reason="salle retenue pour le 14 juillet", after=after
    )
    rejected = [n for n in rows(engine) if n.kind == "booking_rejected"]
    assert [n.payload["reason"] for n in rejected] == ["salle retenue pour le 14 juillet"]
