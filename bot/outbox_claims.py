"""The outbox worker's bookkeeping: claim due notifications, record what became of each.

A claim is a lease: the row is "sending" until `claimed_until`. Right before the remote call the
worker stamps `started_at`; a row found "sending" after its lease lapsed with that stamp may have
gone out (the worker died between sending and recording), so it is only resent when the channel
can prove it did not go out. Several workers may run: PostgreSQL claims with SKIP LOCKED, SQLite
with its single writer lock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, text, update
from sqlalchemy.orm import Session

from bot.db import make_session_factory, utcnow
from bot.outbox import Notification

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=15)
LAST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    """A claimed notification, as the worker needs it (no live database object)."""

    id: int
    kind: str
    conversation_id: str | None
    channel: str | None
    phone: str | None
    email: str | None
    reference: str | None
    payload: dict[str, Any]
    route: str | None
    text: str | None
    attempts: int
    started_at: datetime | None
    in_doubt: bool  # the previous attempt began and its outcome was never recorded


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: doubling from 15 s to an hour, with jitter against herds."""
    delay: timedelta = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)
    jitter = random.uniform(0.8, 1.2)  # noqa: S311 (not cryptographic)
    return timedelta(seconds=delay.total_seconds() * jitter)


class Claims:
    """One transaction per call; safe to use from several threads and processes."""

    def __init__(self, engine: Engine, claim_for: timedelta) -> None:
        self._sessions = make_session_factory(engine)
        self._claim_for = claim_for

    def claim(self, limit: int, now: datetime | None = None) -> list[Job]:
        """Take up to `limit` due notifications (oldest first) for this worker."""
        now = now or utcnow()
        with self._sessions() as session, session.begin():
            postgres = session.get_bind().dialect.name == "postgresql"
            if not postgres:
                session.execute(text("BEGIN IMMEDIATE"))
            query = (
                select(Notification)
                .where(
                    or_(
                        (Notification.status == "queued") & (Notification.send_after <= now),
                        (Notification.status == "sending") & (Notification.claimed_until < now),
                    )
                )
                .order_by(Notification.send_after, Notification.id)
                .limit(limit)
            )
            if postgres:
                query = query.with_for_update(skip_locked=True)
            jobs = []
            for row in session.scalars(query):
                in_doubt = row.status == "sending" and row.started_at is not None
                if row.status == "queued":
                    row.attempts += 1
                row.status = "sending"
                row.claimed_until = now + self._claim_for
                row.started_at = row.started_at if in_doubt else None
                jobs.append(_job(row, in_doubt))
            return jobs

    def started(self, job_id: int, route: str, sent_text: str) -> None:
        """Stamp the row just before the remote call (see the module docstring)."""
        self._set(job_id, started_at=utcnow(), route=route, text=sent_text)

    def sent(self, job_id: int, route: str, sent_text: str | None, external_id: str | None) -> None:
        self._set(
            job_id,
            status="sent",
            sent_at=utcnow(),
            route=route,
            text=sent_text,
            external_id=external_id,
            claimed_until=None,
            last_error=None,
        )

    def retry(self, job: Job, error: str, after: timedelta | None = None) -> bool:
        """Try again later; False (and failed) once the attempts are spent."""
        if job.attempts >= MAX_ATTEMPTS:
            self.finish(job.id, "failed", f"{error} (après {job.attempts} essais)")
            return False
        self._set(
            job.id,
            status="queued",
            send_after=utcnow() + (after if after is not None else backoff(job.attempts)),
            claimed_until=None,
            started_at=None,
            last_error=error[:500],
        )
        return True

    def finish(self, job_id: int, status: str, reason: str) -> None:
        """failed, skipped (opted out, no way to reach), uncertain (possibly sent already)."""
        self._set(job_id, status=status, claimed_until=None, last_error=reason[:500])

    def _set(self, job_id: int, **values: Any) -> None:
        with self._sessions.begin() as session:
            session.execute(update(Notification).where(Notification.id == job_id).values(**values))

    def get(self, job_id: int) -> Notification | None:
        with self._sessions() as session:
            return _detached(session, job_id)


def _detached(session: Session, job_id: int) -> Notification | None:
    row = session.get(Notification, job_id)
    if row is not None:
        session.expunge(row)
    return row


def _job(row: Notification, in_doubt: bool) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        conversation_id=row.conversation_id,
        channel=row.channel,
        phone=row.phone,
        email=row.email,
        reference=row.reference,
        payload=dict(row.payload or {}),
        route=row.route,
        text=row.text,
        attempts=row.attempts,
        started_at=row.started_at,
        in_doubt=in_doubt,
    )
