"""Sign-in limits: growing delays per (login, address) pair and a ceiling per address.

Counting per pair slows someone guessing a password without locking the real agent out: a
stranger who knows an agent's login only delays themselves. The ceiling per address stops one
address from trying many logins (password spraying) and touches no other address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Boolean, Index, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, UTCDateTime

FIRST_DELAY = timedelta(seconds=1)  # after one failure; doubled after each further one
MAX_DELAY = timedelta(minutes=15)
WINDOW = timedelta(minutes=15)  # the per-address ceiling counts failures this recent
IP_LIMIT = 20
KEEP_ATTEMPTS = timedelta(days=1)
_COUNTED = 64  # failures read per pair: far beyond the cap already


class LoginAttempt(Base):
    """One sign-in attempt: rows, not memory, so that every gateway process counts them."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_login_at", "login", "at"),
        Index("ix_login_attempts_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(60))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    success: Mapped[bool] = mapped_column(Boolean)


@dataclass(frozen=True)
class Failures:
    """A login's failed attempts since its last successful sign-in, for the agents page."""

    count: int
    last: datetime


def delay(failures: int) -> timedelta:
    """How long a pair waits after `failures` failures in a row: 0, 1 s, 2 s, 4 s … 15 min."""
    if failures <= 0:
        return timedelta(0)
    return min(FIRST_DELAY * (1 << min(failures - 1, 32)), MAX_DELAY)


def retry_at(db: Session, login: str, ip: str, now: datetime) -> datetime | None:
    """When this login may be tried again from this address; None when it may be now."""
    ends: list[datetime] = []
    ip = ip[:64]  # as stored
    # The pair's own success resets its count; nobody else's does.
    success = db.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.login == login, LoginAttempt.ip == ip, LoginAttempt.success.is_(True)
        )
    )
    since = max(now - KEEP_ATTEMPTS, success) if success else now - KEEP_ATTEMPTS
    pair = list(
        db.scalars(
            select(LoginAttempt.at)
            .where(
                LoginAttempt.login == login,
                LoginAttempt.ip == ip,
                LoginAttempt.success.is_(False),
                LoginAttempt.at > since,
            )
            .order_by(LoginAttempt.at.desc())
            .limit(_COUNTED)
        )
    )
    if pair:
        ends.append(pair[0] + delay(len(pair)))
    spraying = list(
        db.scalars(
            select(LoginAttempt.at)
            .where(
                LoginAttempt.ip == ip,
                LoginAttempt.success.is_(False),
                LoginAttempt.at > now - WINDOW,
            )
            .order_by(LoginAttempt.at.desc())
            .limit(IP_LIMIT)
        )
    )
    if len(spraying) >= IP_LIMIT:
        ends.append(spraying[-1] + WINDOW)  # the oldest counted failure leaves the window
    end = max(ends, default=None)
    return end if end is not None and end > now else None


def record(db: Session, login: str, ip: str, now: datetime, success: bool) -> None:
    """Count one attempt (a refused one is not: waiting must not lengthen the wait)."""
    db.add(LoginAttempt(login=login, ip=ip[:64], at=now, success=success))
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))


def failing(db: Session, now: datetime) -> dict[str, Failures]:
    """Logins with failures since their last successful sign-in (from any address)."""
    last_success = (
        select(LoginAttempt.login, func.max(LoginAttempt.at).label("at"))
        .where(LoginAttempt.success.is_(True))
        .group_by(LoginAttempt.login)
        .subquery()
    )
    rows = db.execute(
        select(LoginAttempt.login, func.count(), func.max(LoginAttempt.at))
        .outerjoin(last_success, last_success.c.login == LoginAttempt.login)
        .where(
            LoginAttempt.success.is_(False),
            LoginAttempt.at > now - KEEP_ATTEMPTS,
            (last_success.c.at.is_(None)) | (LoginAttempt.at > last_success.c.at),
        )
        .group_by(LoginAttempt.login)
    ).all()
    return {login: Failures(int(count), last) for login, count, last in rows}


def forget(db: Session, login: str) -> int:
    """Erase a login's failed attempts from every address (an administrator unlocks it)."""
    result = db.execute(
        delete(LoginAttempt).where(LoginAttempt.login == login, LoginAttempt.success.is_(False))
    )
    return int(getattr(result, "rowcount", 0) or 0)
