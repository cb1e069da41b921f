"""Calendar: resources, bookings and their status history; no overlap on PostgreSQL.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from calendar_store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resources",
        sa.Column("slug", sa.String(60), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("resource", sa.String(60), sa.ForeignKey("resources.slug"), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("exclusive", sa.Boolean(), nullable=False),
        sa.Column("hold_until", UTCDateTime(), nullable=True),
        sa.Column("contact_name", sa.String(200), nullable=False),
        sa.Column("contact_type", sa.String(20), nullable=False),
        sa.Column("contact_phone", sa.String(32), nullable=True),
        sa.Column("contact_email", sa.String(254), nullable=True),
        sa.Column("contact_association", sa.String(200), nullable=True),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("deposit", sa.Numeric(10, 2), nullable=False),
        sa.Column("cancel_token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name="ck_bookings_range"),
        sa.CheckConstraint("quantity > 0", name="ck_bookings_quantity"),
        sa.UniqueConstraint("reference", name="uq_bookings_reference"),
    )
    op.create_index("ix_bookings_resource_starts_at", "bookings", ["resource", "starts_at"])
    op.create_index("ix_bookings_owner", "bookings", ["owner"])
    op.create_table(
        "booking_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "booking_id",
            sa.Integer(),
            sa.ForeignKey("bookings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index("ix_booking_changes_booking_id", "booking_changes", ["booking_id"])
    if op.get_bind().dialect.name == "postgresql":
        # The last line of defence behind the row lock the store takes: even a writer that
        # skipped it cannot make two live bookings of one exclusive resource overlap.
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE bookings ADD CONSTRAINT ex_bookings_no_overlap "
            "EXCLUDE USING gist (resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            "WHERE (exclusive AND status IN ('held', 'pending', 'confirmed'))"
        )


def downgrade() -> None:
    op.drop_table("booking_changes")
    op.drop_table("bookings")
    op.drop_table("resources")
