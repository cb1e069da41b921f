"""Handoffs: conversations taken over by the agents' console.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column(
            "conversation_id",
            sa.String(200),
            sa.ForeignKey("conversations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("escalated_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("agent_id", sa.Integer(), nullable=True),
        sa.Column("escalations", sa.Integer(), nullable=False),
    )
    op.create_index("ix_handoffs_state_escalated_at", "handoffs", ["state", "escalated_at"])


def downgrade() -> None:
    op.drop_table("handoffs")
