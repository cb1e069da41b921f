"""The audit log: who did what, when, in the console (written in the change's own transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, column, select, table
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db import Base, UTCDateTime, utcnow

# French labels of the actions this package records; other actions show their code.
LABELS = {
    "login.success": "Connexion",
    "login.failure": "Connexion refusée",
    "logout": "Déconnexion",
    "agent.create": "Compte créé",
    "agent.deactivate": "Compte désactivé",
    "agent.unlock": "Connexion débloquée",
    "conversation.reply": "Réponse à un habitant",
    "conversation.returned": "Conversation rendue à l’assistant",
    "conversation.closed": "Conversation close",
    "booking.approve": "Réservation approuvée",
    "booking.reject": "Réservation refusée",
    "booking.cancel": "Réservation annulée",
    "report.status": "État d’un signalement changé",
    "notification.resend": "Notification renvoyée",
}


class AuditRow(Base):
    """One recorded action; `agent_id` is None when nobody was logged in (CLI, failed login)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # No foreign key on purpose: the log is history and must never block nor cascade.
    agent_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON)


@dataclass(frozen=True)
class AuditEntry:
    """An audit row as the console shows it, with the agent's name when known."""

    at: datetime
    agent_id: int | None
    agent_login: str | None
    agent_name: str | None
    action: str
    target: str | None
    details: dict[str, Any]

    @property
    def label(self) -> str:
        return label(self.action)


def label(action: str) -> str:
    """The French label of an action code (the code itself when unknown)."""
    return LABELS.get(action, action)


def audit(
    session: Session,
    agent_id: int | None,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Record an action inside the caller's transaction: it commits or rolls back with it."""
    session.add(
        AuditRow(
            at=utcnow(),
            agent_id=agent_id,
            action=action[:60],
            target=None if target is None else target[:200],
            details=details,
        )
    )


# A lightweight view of the agents table: bot.accounts imports this module, not the reverse.
_agents = table("agents", column("id", Integer), column("login"), column("name"))


def recent(session: Session, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first."""
    rows = session.execute(
        select(AuditRow, _agents.c.login, _agents.c.name)
        .outerjoin(_agents, _agents.c.id == AuditRow.agent_id)
        .order_by(AuditRow.id.desc())
        .limit(limit)
    ).all()
    return [
        AuditEntry(
            at=row.at,
            agent_id=row.agent_id,
            agent_login=login,
            agent_name=name,
            action=row.action,
            target=row.target,
            details=dict(row.details or {}),
        )
        for row, login, name in rows
    ]
