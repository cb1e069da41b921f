"""The dashboard's figures, on a database filled by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.console_stats import (
    Autonomy,
    Span,
    autonomy,
    conversations_per_day,
    occupancy,
    resolution,
    top_topics,
    unanswered,
)
from bot.db import Base, make_engine, make_session_factory, migrate
from bot.handoff_records import HandoffRow
from bot.models import Conversation, Message
from bot.report_records import ReportChangeRow, ReportRow
from calendar_store.spec import Kind, ResourceSpec, Unit, Window
from calendar_store.store import Store
from calendar_store.tables import BookingRow

PARIS = ZoneInfo("Europe/Paris")
_ids = itertools.count(1)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    if request.param == "sqlite":
        chosen = engine
    else:
        url: str = request.getfixturevalue("postgres_url")
        migrate(url)
        chosen = make_engine(url)
    # The handoffs table comes with the lead's migration 0007: create it if migrate() lacks it.
    Base.metadata.create_all(chosen, tables=[HandoffRow.__table__])  # type: ignore[list-item]
    yield chosen
    if chosen is not engine:
        chosen.dispose()


@pytest.fixture
def session(db: Engine) -> Iterator[Session]:
    with make_session_factory(db)() as session:
        yield session


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def say(
    session: Session, conversation: str, author: str, when: datetime, text: str = "hop", **p: Any
) -> None:
    """One message of a conversation (created with it if new), at a given instant."""
    if session.get(Conversation, conversation) is None:
        channel, _, external = conversation.partition(":")
        session.add(Conversation(id=conversation, channel=channel, external_id=external))
        session.flush()
    direction = "in" if author == "resident" else "out"
    session.add(
        Message(
            conversation_id=conversation,
            direction=direction,
            author=author,
            text=text,
            payload=p or None,
            created_at=when,
        )
    )
    session.flush()


def escalate(session: Session, conversation: str, when: datetime) -> None:
    session.add(
        HandoffRow(
            conversation_id=conversation,
            state="waiting",
            reason="asked",
            escalated_at=when,
            updated_at=when,
        )
    )
    session.flush()


# -- conversations per day ------------------------------------------------------------------


def test_a_conversation_counts_once_per_local_day_and_channel(session: Session) -> None:
    # 28 to 30 March 2026: the clocks go forward on the 29th; local midnights must still hold.
    sat, sun, mon = date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)
    span = Span.days(3, mon, PARIS)
    say(session, "web:a", "resident", local(sat, 9))
    say(session, "web:a", "resident", local(sat, 23, 30))  # 22:30 UTC: still Saturday
    say(session, "web:a", "resident", local(sun, 23, 30))  # 21:30 UTC: still Sunday
    say(session, "sms:b", "resident", local(sat, 0, 10))
    say(session, "sms:b", "assistant", local(mon, 10))  # the assistant alone does not count
    say(session, "telegram:c", "agent", local(sun, 10))
    say(session, "telegram:c", "resident", local(sat, 0) - timedelta(minutes=1))  # before
    say(session, "telegram:c", "resident", local(mon + timedelta(days=1), 0))  # after the end
    days = conversations_per_day(session, span, PARIS)
    assert [d.day for d in days] == [sat, sun, mon]
    assert days[0].channels == {"sms": 1, "web": 1}
    assert days[1].channels == {"web": 1}
    assert days[2].channels == {}
    assert [d.total for d in days] == [2, 1, 0]


# -- answered without an agent --------------------------------------------------------------


def test_the_share_answered_alone_leaves_out_conversations_escalated_in_the_span(
    session: Session,
) -> None:
    today = date(2026, 6, 14)
    span = Span.days(14, today, PARIS)
    for name in ("web:a", "web:b", "sms:c"):
        say(session, name, "resident", local(today - timedelta(days=2)))
    escalate(session, "web:a", local(today - timedelta(days=1)))
    escalate(session, "web:b", local(today - timedelta(days=30)))  # escalated long before
    say(session, "sms:d", "resident", local(today - timedelta(days=20)))  # wrote before the span
    escalate(session, "sms:d", local(today - timedelta(days=1)))
    figures = autonomy(session, span)
    assert figures == Autonomy(conversations=3, escalated=1)
    assert figures.alone == 2
    assert figures.share == pytest.approx(2 / 3)


def test_no_conversation_gives_no_share(session: Session) -> None:
    figures = autonomy(session, Span.days(14, date(2026, 6, 14), PARIS))
    assert figures == Autonomy(0, 0)
    assert figures.share is None


# -- topics and misses ----------------------------------------------------------------------


def test_topics_are_counted_from_the_assistant_messages_of_the_span(session: Session) -> None:
    today = date(2026, 6, 14)
    span = Span.days(14, today, PARIS)
    when = local(today - timedelta(days=3))
    for topic, times in (("horaires", 3), ("dechetterie", 2), ("reformuler", 1)):
        for n in range(times):
            say(session, f"web:{topic}{n}", "assistant", when, topic=topic)
    say(session, "web:x", "assistant", when)  # no topic
    say(session, "web:x", "resident", when, topic="horaires")  # residents have no topic
    say(session, "web:x", "assistant", local(today - timedelta(days=20)), topic="contact")
    found = top_topics(session, span)
    assert [(t.topic, t.answers) for t in found] == [
        ("horaires", 3),
        ("dechetterie", 2),
        ("reformuler", 1),
    ]
    assert [t.topic for t in top_topics(session, span, limit=2)] == ["horaires", "dechetterie"]


def test_unanswered_questions_are_the_resident_messages_before_a_miss(session: Session) -> None:
    today = date(2026, 6, 14)
    span = Span.days(14, today, PARIS)
    day = today - timedelta(days=2)
    say(session, "web:a", "resident", local(day, 9), "Quel temps fait-il ?")
    say(session, "sms:z", "resident", local(day, 9, 1), "autre conversation, entre les deux")
    say(session, "web:a", "assistant", local(day, 9, 2), "…", topic="hors_sujet")
    say(session, "web:b", "resident", local(day, 10), "quel  temps fait-il ?")
    # Two bubbles of one miss: the question counts once.
    say(session, "web:b", "assistant", local(day, 10, 1), "Pardon ?", topic="reformuler")
    say(session, "web:b", "assistant", local(day, 10, 1), "Choisissez :", topic="reformuler")
    say(session, "web:c", "resident", local(day, 11), "ÉCOLE fermée ?")
    say(session, "web:c", "assistant", local(day, 11, 1), "Pardon ?", topic="reformuler")
    say(session, "web:d", "resident", local(day, 12), "école fermée ?")
    say(session, "web:d", "assistant", local(day, 12, 1), "Pardon ?", topic="reformuler")
    say(session, "web:e", "resident", local(day, 13), "Horaires de la mairie ?")
    say(session, "web:e", "assistant", local(day, 13, 1), "De 8h30…", topic="horaires")
    say(session, "web:f", "resident", local(day - timedelta(days=30)), "vieux")
    say(session, "web:f", "assistant", local(day - timedelta(days=30)), "?", topic="reformuler")
    misses = unanswered(session, span)
    assert [(m.text, m.times) for m in misses] == [
        ("école fermée ?", 2),
        ("quel  temps fait-il ?", 2),
    ]
    assert misses[0].last_at == local(day, 12)
    assert [m.text for m in unanswered(session, span, limit=1)] == ["école fermée ?"]


# -- occupancy -------------------------------------------------------------------------------


def _spec(slug: str, kind: Kind, unit: Unit, windows: tuple[Window, ...], stock: int = 1) -> Any:
    return ResourceSpec(slug, slug, kind, unit, slug[:3].upper(), windows, stock=stock)


EVERY_DAY = tuple(Window(d, 0, 1440) for d in range(7))
HALL = _spec("salle", Kind.ROOM, Unit.DAY, EVERY_DAY)
ROOM = _spec("reunion", Kind.ROOM, Unit.HOUR, (Window(0, 8 * 60, 12 * 60), Window(3, 840, 1080)))
TABLES = _spec("tables", Kind.EQUIPMENT, Unit.DAY, EVERY_DAY, stock=10)


def book(
    session: Session, spec: ResourceSpec, start: datetime, end: datetime, **extra: Any
) -> None:
    values: dict[str, Any] = {
        "quantity": 1,
        "status": "confirmed",
        "exclusive": spec.exclusive,
        "contact_name": "Camille Martin",
        "contact_type": "resident",
        "price": Decimal(0),
        "deposit": Decimal(0),
        "cancel_token_hash": "0" * 64,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    values.update(extra)
    reference = f"{spec.prefix}-{next(_ids):04d}"
    session.add(
        BookingRow(reference=reference, resource=spec.slug, starts_at=start, ends_at=end, **values)
    )
    session.flush()


def test_occupancy_weighs_confirmed_bookings_against_open_time(
    db: Engine, session: Session
) -> None:
    Store(db, [HALL, ROOM, TABLES], tz=PARIS).sync()
    monday = date(2026, 6, 1)
    span = Span.days(7, monday + timedelta(days=6), PARIS)
    day = [local(monday + timedelta(days=n), 0) for n in range(9)]
    book(session, HALL, day[5], day[6])  # Saturday
    book(session, HALL, day[6], day[8])  # Sunday and the Monday after: one day in the span
    book(session, HALL, day[1], day[2], status="cancelled")
    book(session, HALL, day[2], day[3], status="pending")
    book(session, ROOM, local(monday, 9), local(monday, 11))
    thursday, before = monday + timedelta(days=3), monday - timedelta(days=7)
    book(session, ROOM, local(thursday, 14), local(thursday, 15))
    book(session, ROOM, local(before, 9), local(before, 12))
    book(session, TABLES, day[5], day[6], quantity=4)
    book(session, TABLES, day[4], day[6], quantity=3)  # Friday and Saturday
    found = {o.slug: o for o in occupancy(session, [HALL, ROOM, TABLES], span, PARIS)}
    hall, room, tables = found["salle"], found["reunion"], found["tables"]
    assert (hall.booked, hall.available, hall.unit) == (2, 7, "jours")
    assert (room.booked, room.available, room.unit) == (3, 8, "heures")
    assert room.rate == pytest.approx(3 / 8)
    assert (tables.booked, tables.available, tables.unit) == (10, 70, "objets-jours")
    assert tables.rate == pytest.approx(1 / 7)


# -- time to resolve -------------------------------------------------------------------------


def report(session: Session, created: datetime, *changes: tuple[str, timedelta]) -> None:
    row = ReportRow(
        reference=f"SIG-{next(_ids):04d}",
        category="eclairage",
        description="Le lampadaire ne s’allume plus.",
        street="rue des Lilas",
        status=changes[-1][0] if changes else "received",
        created_at=created,
        updated_at=created,
    )
    row.changes.append(ReportChangeRow(status="received", by="bot", at=created))
    for status, after in changes:
        row.changes.append(ReportChangeRow(status=status, by="agent:x", at=created + after))
    session.add(row)
    session.flush()


def test_median_resolution_counts_each_report_s_first_resolution_in_the_span(
    session: Session,
) -> None:
    today = date(2026, 6, 14)
    span = Span.days(90, today, PARIS)
    filed = local(today - timedelta(days=10))
    h = timedelta(hours=1)
    report(session, filed, ("resolved", 2 * h))
    report(session, filed, ("resolved", 4 * h), ("received", 5 * h), ("resolved", 30 * h))
    report(session, filed, ("acknowledged", h), ("resolved", 6 * h))
    report(session, local(today - timedelta(days=200)), ("resolved", 10 * h))  # long ago
    report(session, filed, ("acknowledged", h))  # still open
    assert resolution(session, span).reports == 3
    assert resolution(session, span).median == 4 * h
    report(session, filed, ("resolved", 9 * h))
    assert resolution(session, span).median == 5 * h  # (4 h + 6 h) / 2


def test_no_resolved_report_gives_no_median(session: Session) -> None:
    found = resolution(session, Span.days(90, date(2026, 6, 14), PARIS))
    assert (found.reports, found.median) == (0, None)
