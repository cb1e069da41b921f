"""The judge: what a conversation left in the database, against what the resident wanted.

Every conversation also keeps the invariants: no question three times, no side effect the resident
did not confirm, nothing internal or English shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.report_records import ReportRow, SubscriberRow
from calendar_store.tables import BookingRow
from tests.dialogues.clocks import PARIS
from tests.dialogues.model import BookingOutcome, ReportOutcome
from tests.dialogues.reading import norm
from tests.dialogues.record import Run

LIVE = ("pending", "confirmed")
# What a resident must never read: names from the code, raw values, English.
LEAKS = (
    (r"\b[a-z]+_[a-z0-9_]+\b", "nom interne"),
    (r"(^|\s)/[a-z_]+(\{|\b)|\butter_|\baction_|requested_slot", "commande interne"),
    (
        r"\bNone\b|\bnull\b|\bTrue\b|\bFalse\b|\{'|\['|Traceback|<[A-Za-z_.]+ object",
        "valeur Python",
    ),
    (r"\{\{|\}\}|\{%|%\}", "modèle non rempli"),
    (r"\b\d{4}-\d{2}-\d{2}\b|\b\d{2}:\d{2}-\d{2}:\d{2}\b", "date ou heure brute"),
)
ENGLISH = re.compile(
    r"\b(the|and|please|sorry|error|booking|bookings|slot|slots|form|yes|your|you|not found"
    r"|failed|request|cancelled|canceled|confirm|undefined|unknown|submit|none|book)\b",
    re.IGNORECASE,
)
URL = re.compile(r"https?://\S+|\b[\w.-]+@[\w.-]+\.\w+\b")


@dataclass
class Verdict:
    """Success, and if not, every reason, worded for the failure report."""

    run: Run
    outcome: list[str] = field(default_factory=list)  # what the database lacks or has wrong
    side_effects: list[str] = field(default_factory=list)
    triples: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # the rows, as the report shows them

    @property
    def ok(self) -> bool:
        return not (self.outcome or self.side_effects or self.triples or self.leaks or self.checks)

    def classes(self) -> list[str]:
        """Short names of what went wrong, to count failures by kind."""
        found = []
        if self.outcome:
            found.append("outcome")
        if self.side_effects:
            found.append("side effect")
        if self.triples:
            found.append("question three times")
        if self.leaks:
            found.append("internal or English text")
        if self.checks:
            found.append("behaviour check")
        return found


def judge(run: Run, engine: Engine) -> Verdict:
    verdict = Verdict(run)
    with Session(engine) as session:
        bookings = list(
            session.scalars(
                select(BookingRow).where(BookingRow.owner == run.owner).order_by(BookingRow.id)
            )
        )
        reports = list(
            session.scalars(
                select(ReportRow)
                .join(SubscriberRow, SubscriberRow.report_id == ReportRow.id)
                .where(SubscriberRow.conversation_id == run.owner)
                .order_by(ReportRow.id)
            )
        )
        filed = {
            r.id for r in reports if r.subscribers and r.subscribers[0].conversation_id == run.owner
        }
        verdict.found = [_booking_line(b) for b in bookings] + [_report_line(r) for r in reports]
        _bookings(verdict, bookings)
        _reports(verdict, reports, filed)
    _invariants(verdict)
    verdict.checks += [f"{c.name} : {c.detail}".rstrip(" :") for c in run.checks if not c.ok]
    verdict.checks += [f"l'habitant n'a pas pu faire : {s.do} ({s.at})" for s in run.unplayed]
    return verdict


def _bookings(verdict: Verdict, rows: list[BookingRow]) -> None:
    run = verdict.run
    expected = [o for o in run.scenario.expected if isinstance(o, BookingOutcome)]
    pool = list(rows)
    for want in expected:
        match = next((r for r in pool if _same(r, want)), None)
        if match is None:
            verdict.outcome.append(f"attendu : {_wanted_line(want)}")
            # The very booking, in another status (not cancelled, not confirmed): no side effect.
            other = next((r for r in pool if _same(r, want, status=False)), None)
            if other is not None:
                pool.remove(other)
            continue
        pool.remove(match)
        name = norm(f"{match.contact_name} {match.contact_association or ''}")
        if norm(want.name_key) not in name:
            verdict.outcome.append(
                f"{match.reference} : nom « {match.contact_name} », attendu « {want.name_key} »"
            )
        if not _contact_ok(match, want.contact):
            given = match.contact_phone or match.contact_email
            verdict.outcome.append(f"{match.reference} : contact {given}, attendu {want.contact}")
    for row in pool:
        if row.status in LIVE:
            verdict.side_effects.append(f"réservation non demandée : {_booking_line(row)}")
    if run.yes_booking == 0 and any(r.status in LIVE for r in rows):
        verdict.side_effects.append("réservation faite sans « oui » à un résumé")
    if any(r.status == "held" for r in rows) and run.abandoned:
        verdict.side_effects.append("créneau laissé retenu (held) en fin de conversation")


def _reports(verdict: Verdict, rows: list[ReportRow], filed: set[int]) -> None:
    run = verdict.run
    expected = [o for o in run.scenario.expected if isinstance(o, ReportOutcome)]
    pool = list(rows)
    for want in expected:
        match = next(
            (r for r in pool if r.category == want.category and r.street == want.street), None
        )
        if match is None:
            verdict.outcome.append(f"attendu : signalement {want.category}, {want.street}")
            continue
        pool.remove(match)
        if match.id in filed and want.photo != (match.photo_id is not None):
            verdict.outcome.append(
                f"{match.reference} : photo {'absente' if want.photo else 'en trop'}"
            )
    for row in pool:
        verdict.side_effects.append(f"signalement non demandé : {_report_line(row)}")
    if rows and run.yes_report == 0:
        verdict.side_effects.append("signalement enregistré sans « oui » au résumé")


def _invariants(verdict: Verdict) -> None:
    asked: Counter[str] = Counter()
    for turn in verdict.run.turns:
        for reply in turn.replies:
            text = str(reply.get("text") or "")
            if "?" in text:
                asked[re.sub(r"\s+", " ", text).strip()] += 1
            shown = [text, *(str(b.get("title", "")) for b in reply.get("buttons") or [])]
            for piece in shown:
                _leaks(verdict, piece)
    verdict.triples = [f"{n} fois : « {q[:160]} »" for q, n in asked.items() if n >= 3]


def _leaks(verdict: Verdict, text: str) -> None:
    plain = URL.sub(" ", text)
    for pattern, what in LEAKS:
        found = re.search(pattern, plain)
        if found:
            verdict.leaks.append(f"{what} : « {found.group(0)} » dans « {text[:120]} »")
    english = ENGLISH.search(plain)
    if english:
        verdict.leaks.append(f"anglais : « {english.group(0)} » dans « {text[:120]} »")


def bounds(day: date, start: time | None, end: time | None) -> tuple[datetime, datetime]:
    """The local instants a booking must span: midnight to midnight for a whole day."""
    if start is None or end is None:
        after = day + timedelta(days=1)
        return (
            datetime(day.year, day.month, day.day, tzinfo=PARIS),
            datetime(after.year, after.month, after.day, tzinfo=PARIS),
        )
    return datetime.combine(day, start, PARIS), datetime.combine(day, end, PARIS)


def _same(row: BookingRow, want: BookingOutcome, *, status: bool = True) -> bool:
    start, end = bounds(want.day, want.start, want.end)
    return (
        row.resource == want.resource
        and row.starts_at == start
        and row.ends_at == end
        and row.quantity == want.quantity
        and (row.status == want.status or not status)
    )


def _contact_ok(row: BookingRow, contact: str) -> bool:
    if "@" in contact:
        return (row.contact_email or "").lower() == contact.lower()
    digits = re.sub(r"\D", "", row.contact_phone or "")
    return digits.endswith(contact[1:])


def _booking_line(row: BookingRow) -> str:
    start, end = row.starts_at.astimezone(PARIS), row.ends_at.astimezone(PARIS)
    return (
        f"{row.reference} {row.resource} {start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M} "
        f"×{row.quantity} {row.status} ({row.contact_name})"
    )


def _wanted_line(want: BookingOutcome) -> str:
    start, end = bounds(want.day, want.start, want.end)
    span = f"{start:%Y-%m-%d %H:%M} → {end:%Y-%m-%d %H:%M}"
    return f"{want.resource} {span} ×{want.quantity} {want.status}"


def _report_line(row: ReportRow) -> str:
    photo = ", photo" if row.photo_id is not None else ""
    return f"{row.reference} {row.category}, {row.street or 'position'}{photo} ({row.status})"
