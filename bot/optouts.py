"""SMS opt-outs: a number that sent STOP gets nothing more, of any kind, until START."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, String, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, UTCDateTime, make_session_factory, utcnow


class OptOut(Base):
    """A phone number (E.164) that asked for no more SMS."""

    __tablename__ = "sms_opt_outs"

    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    opted_out_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    how: Mapped[str] = mapped_column(String(40))  # "STOP received", "Twilio 21610"


def opt_out(session: Session, phone: str, how: str) -> None:
    """Record the opt-out inside the caller's transaction (a second one changes nothing)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(OptOut)
        .values(phone=phone, opted_out_at=utcnow(), how=how)
        .on_conflict_do_nothing(index_elements=["phone"])
    )


class OptOuts:
    """Read and change the opt-out list, one transaction per call."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = make_session_factory(engine)

    def add(self, phone: str, how: str) -> None:
        with self._sessions.begin() as session:
            opt_out(session, phone, how)

    def remove(self, phone: str) -> bool:
        """START: the number may receive SMS again; False if it was not opted out."""
        with self._sessions.begin() as session:
            result = session.execute(delete(OptOut).where(OptOut.phone == phone))
            return bool(getattr(result, "rowcount", 0))

    def contains(self, phone: str) -> bool:
        with self._sessions() as session:
            return session.scalar(select(OptOut.phone).where(OptOut.phone == phone)) is not None
