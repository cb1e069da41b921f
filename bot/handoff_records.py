"""The handoff table: which conversations an agent has taken over, why, and since when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base, UTCDateTime, utcnow

# waiting: the resident waits for an agent; answered: an agent replied and the conversation is
# still theirs; returned: handed back to the assistant; closed: ended by an agent.
ACTIVE = ("waiting", "answered")
STATES = (*ACTIVE, "returned", "closed")
# asked: the resident asked for a person; misunderstood: two misunderstandings in a row;
# failure: a flow failed while every part answered; outage: Rasa or the action server was down
# (the conversation comes back to the assistant with them); emergency: a danger described in
# the message; grief: a death said in the message.
OUTAGE = "outage"
REASONS = ("asked", "misunderstood", "failure", OUTAGE, "emergency", "grief")


class HandoffRow(Base):
    """The latest escalation of one conversation (a new escalation reuses the row)."""

    __tablename__ = "handoffs"
    __table_args__ = (Index("ix_handoffs_state_escalated_at", "state", "escalated_at"),)

    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(20))
    escalated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    agent_id: Mapped[int | None] = mapped_column(Integer)  # the agent who last answered
    escalations: Mapped[int] = mapped_column(Integer, default=1)  # over the conversation's life
