"""Channels: the inbox of deliveries, SMS opt-outs, and the outbox worker's bookkeeping.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("message_id", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_until", UTCDateTime(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("channel", "message_id", name="uq_inbound_channel_message"),
    )
    op.create_index("ix_inbound_messages_claimed_until", "inbound_messages", ["claimed_until"])
    op.create_table(
        "sms_opt_outs",
        sa.Column("phone", sa.String(20), primary_key=True),
        sa.Column("opted_out_at", UTCDateTime(), nullable=False),
        sa.Column("how", sa.String(40), nullable=False),
    )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("claimed_until", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("started_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("route", sa.String(20), nullable=True))
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))
        batch.add_column(sa.Column("external_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        for column in (
            "last_error",
            "external_id",
            "text",
            "route",
            "started_at",
            "claimed_until",
        ):
            batch.drop_column(column)
    op.drop_table("sms_opt_outs")
    op.drop_table("inbound_messages")
