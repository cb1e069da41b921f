"""The console dashboard's figures: activity, autonomy, topics, misses, occupancy, delays."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from bot.handoff_records import HandoffRow
from bot.models import Conversation, Message
from bot.report_records import ReportChangeRow, ReportRow
from calendar_store.spec import Kind, ResourceSpec, Status, Unit
from calendar_store.tables import BookingRow

# Topics the gateway stores when the assistant did not answer the question itself
# ("out_of_scope": the intent's name, which actions/answer.py stores for off-topic questions).
MISSED_TOPICS = ("reformuler", "hors_sujet", "out_of_scope")


@dataclass(frozen=True)
class Span:
    """A half-open range of instants [start, end), timezone-aware."""

    start: datetime
    end: datetime

    @classmethod
    def days(cls, count: int, today: date, tz: ZoneInfo) -> Span:
        """The `count` whole local days ending with `today` (included)."""
        first = today - timedelta(days=count - 1)
        return cls(midnight(first, tz), midnight(today + timedelta(days=1), tz))

    def local_days(self, tz: ZoneInfo) -> list[date]:
        """Every local date the span touches, in order."""
        first = self.start.astimezone(tz).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(tz).date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class DayActivity:
    """Conversations in which a resident wrote on one local day, per channel."""

    day: date
    channels: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.channels.values())


@dataclass(frozen=True)
class Autonomy:
    """Conversations where residents wrote, and how many of them reached an agent."""

    conversations: int
    escalated: int

    @property
    def alone(self) -> int:
        return self.conversations - self.escalated

    @property
    def share(self) -> float | None:
        """Share answered without an agent; None when nobody wrote."""
        return self.alone / self.conversations if self.conversations else None


@dataclass(frozen=True)
class TopicCount:
    """How many assistant messages answered one topic."""

    topic: str
    answers: int


@dataclass(frozen=True)
class Miss:
    """A question the assistant did not answer, how often it came, and when last."""

    text: str
    times: int
    last_at: datetime


@dataclass(frozen=True)
class Occupancy:
    """What share of a resource's open time (or stock) confirmed bookings took."""

    slug: str
    name: str
    booked: float
    available: float
    unit: str  # "jours", "heures" or "objets-jours", for the page

    @property
    def rate(self) -> float | None:
        return self.booked / self.available if self.available else None


@dataclass(frozen=True)
class Resolution:
    """The median time from filing to first resolution, over the reports resolved in a span."""

    reports: int
    median: timedelta | None


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The local start of a day."""
    return datetime.combine(day, time(0), tzinfo=tz)


def conversations_per_day(session: Session, span: Span, tz: ZoneInfo) -> list[DayActivity]:
    """Every local day of the span, with the conversations a resident wrote in, per channel."""
    days = span.local_days(tz)
    # A CASE over the UTC bounds of each local day: portable, and right across DST changes.
    bucket = case(
        *[
            (Message.created_at < min(midnight(d + timedelta(days=1), tz), span.end), index)
            for index, d in enumerate(days)
        ],
        else_=len(days) - 1,
    )
    active = (
        select(bucket.label("day"), Message.conversation_id, Conversation.channel)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.author == "resident",
            Message.created_at >= span.start,
            Message.created_at < span.end,
        )
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(active.c.day, active.c.channel, func.count()).group_by(
            active.c.day, active.c.channel
        )
    ).all()
    table: list[dict[str, int]] = [{} for _ in days]
    for index, channel, count in rows:
        table[int(index)][str(channel)] = int(count)
    return [DayActivity(day, dict(sorted(table[i].items()))) for i, day in enumerate(days)]


def autonomy(session: Session, span: Span) -> Autonomy:
    """Conversations with a resident message in the span, and those escalated in it."""
    active = (
        select(Message.conversation_id)
        .where(
            Message.author == "resident",
            Message.created_at >= span.start,
            Message.created_at < span.end,
        )
        .distinct()
        .subquery()
    )
    escalated = and_(
        HandoffRow.conversation_id == active.c.conversation_id,
        HandoffRow.escalated_at >= span.start,
        HandoffRow.escalated_at < span.end,
    )
    total, reached = session.execute(
        select(func.count(), func.count(HandoffRow.conversation_id))
        .select_from(active)
        .outerjoin(HandoffRow, escalated)
    ).one()
    return Autonomy(int(total), int(reached))


def top_topics(session: Session, span: Span, limit: int = 10) -> list[TopicCount]:
    """The topics the assistant answered most in the span (its `payload["topic"]`)."""
    topic = Message.payload["topic"].as_string()
    answered = (
        select(topic.label("topic"))
        .where(
            Message.author == "assistant",
            Message.created_at >= span.start,
            Message.created_at < span.end,
        )
        .subquery()
    )
    # Grouping a subquery's column: PostgreSQL would not see two JSON paths as one expression.
    count = func.count().label("answers")
    rows = session.execute(
        select(answered.c.topic, count)
        .where(answered.c.topic.is_not(None))
        .group_by(answered.c.topic)
        .order_by(count.desc(), answered.c.topic)
        .limit(limit)
    ).all()
    return [TopicCount(str(topic), int(n)) for topic, n in rows]


def unanswered(session: Session, span: Span, limit: int = 30) -> list[Miss]:
    """What residents wrote just before the assistant said it did not understand (or that it
    was off-topic): the most recent texts first, each with how many times it came."""
    asked = aliased(Message)
    previous = (
        select(func.max(asked.id))
        .where(
            asked.conversation_id == Message.conversation_id,
            asked.id < Message.id,
            asked.author == "resident",
        )
        .correlate(Message)
        .scalar_subquery()
    )
    misses = (
        select(previous.label("question_id"))
        .where(
            Message.author == "assistant",
            Message.payload["topic"].as_string().in_(MISSED_TOPICS),
            Message.created_at >= span.start,
            Message.created_at < span.end,
        )
        .distinct()
        .subquery()
    )
    question = aliased(Message)
    key = func.lower(question.text)
    rows = session.execute(
        select(func.max(question.text), func.count(), func.max(question.created_at))
        .join(misses, misses.c.question_id == question.id)
        .where(question.text.is_not(None))
        .group_by(key)
    ).all()
    # SQLite lowers ASCII only: merge what differs by accented capitals or spacing here.
    merged: dict[str, Miss] = {}
    for text, times, last_at in rows:
        same = " ".join(str(text).split()).casefold()
        before = merged.get(same)
        if before is None:
            merged[same] = Miss(str(text), int(times), last_at)
        else:
            newest = max(before.last_at, last_at)
            shown = before.text if newest == before.last_at else str(text)
            merged[same] = Miss(shown, before.times + int(times), newest)
    ordered = sorted(merged.values(), key=lambda m: (m.last_at, m.times), reverse=True)
    return ordered[:limit]


def occupancy(
    session: Session, specs: Sequence[ResourceSpec], span: Span, tz: ZoneInfo
) -> list[Occupancy]:
    """Per resource: confirmed bookings against open time (days or hours), stock for equipment."""
    rows = session.execute(
        select(
            BookingRow.resource, BookingRow.starts_at, BookingRow.ends_at, BookingRow.quantity
        ).where(
            BookingRow.status == Status.CONFIRMED.value,
            BookingRow.resource.in_([s.slug for s in specs]),
            BookingRow.starts_at < span.end,
            BookingRow.ends_at > span.start,
        )
    ).all()
    bookings: dict[str, list[tuple[datetime, datetime, int]]] = {s.slug: [] for s in specs}
    for slug, start, end, quantity in rows:
        bookings[slug].append((start, end, int(quantity)))
    days = span.local_days(tz)
    return [_occupancy(spec, bookings[spec.slug], span, days, tz) for spec in specs]


def _occupancy(
    spec: ResourceSpec,
    bookings: Iterable[tuple[datetime, datetime, int]],
    span: Span,
    days: list[date],
    tz: ZoneInfo,
) -> Occupancy:
    minutes = {w: 0 for w in range(7)}
    for window in spec.windows:
        minutes[window.weekday] += window.end - window.start
    open_days = [d for d in days if minutes[d.weekday()] > 0]
    if spec.unit is Unit.DAY:
        # Whole days: a day counts once per booking (per item for equipment) that covers it.
        each = spec.kind is Kind.EQUIPMENT
        booked = 0
        for start, end, quantity in bookings:
            covered = sum(
                1
                for d in open_days
                if start < midnight(d + timedelta(days=1), tz) and end > midnight(d, tz)
            )
            booked += covered * (quantity if each else 1)
        stock = spec.stock if each else 1
        unit = "objets-jours" if each else "jours"
        return Occupancy(spec.slug, spec.name, float(booked), float(len(open_days) * stock), unit)
    hours = sum(minutes[d.weekday()] for d in days) / 60
    taken = sum(
        (min(end, span.end) - max(start, span.start)).total_seconds() / 3600
        for start, end, _quantity in bookings
    )
    return Occupancy(spec.slug, spec.name, taken, float(hours), "heures")


def resolution(session: Session, span: Span) -> Resolution:
    """Median of (first "resolved" change − filing) over reports first resolved in the span."""
    first = (
        select(
            ReportChangeRow.report_id,
            func.min(ReportChangeRow.at).label("resolved_at"),
        )
        .where(ReportChangeRow.status == "resolved")
        .group_by(ReportChangeRow.report_id)
        .subquery()
    )
    rows = session.execute(
        select(ReportRow.created_at, first.c.resolved_at)
        .join(first, first.c.report_id == ReportRow.id)
        .where(first.c.resolved_at >= span.start, first.c.resolved_at < span.end)
    ).all()
    waits = sorted((resolved - created).total_seconds() for created, resolved in rows)
    if not waits:
        return Resolution(0, None)
    middle = len(waits) // 2
    seconds = waits[middle] if len(waits) % 2 else (waits[middle - 1] + waits[middle]) / 2
    return Resolution(len(waits), timedelta(seconds=seconds))
