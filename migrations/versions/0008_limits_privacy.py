"""Limits and privacy: bookings counted per person (ANTS number, indexed contacts), photos
named by a random id and owned by their conversation, reports' agent-approved public text.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bookings", sa.Column("contact_ants", sa.String(20), nullable=True))
    # E-mail addresses are now stored (and counted) in lower case.
    op.execute("UPDATE bookings SET contact_email = lower(contact_email)")
    op.create_index("ix_bookings_contact_phone", "bookings", ["contact_phone"])
    op.create_index("ix_bookings_contact_email", "bookings", ["contact_email"])
    op.create_index("ix_bookings_contact_ants", "bookings", ["contact_ants"])

    op.add_column("reports", sa.Column("public_description", sa.Text(), nullable=True))

    op.add_column("report_photos", sa.Column("public_id", sa.String(32), nullable=True))
    op.add_column("report_photos", sa.Column("owner", sa.String(200), nullable=True))
    connection = op.get_bind()
    table = sa.table("report_photos", sa.column("id", sa.Integer()), sa.column("public_id"))
    for (photo_id,) in connection.execute(sa.select(table.c.id)).all():
        connection.execute(
            table.update().where(table.c.id == photo_id).values(public_id=secrets.token_hex(16))
        )
    # Nullable for SQLite's sake (making it NOT NULL would rebuild a table others point to);
    # the store always sets it, and this fills the rows kept from before.
    op.create_index("ix_report_photos_public_id", "report_photos", ["public_id"], unique=True)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite ≥ 3.35): a batch rebuild would trip over the reports' foreign key.
    op.drop_index("ix_report_photos_public_id", "report_photos")
    op.drop_column("report_photos", "owner")
    op.drop_column("report_photos", "public_id")
    op.drop_column("reports", "public_description")
    op.drop_index("ix_bookings_contact_ants", "bookings")
    op.drop_index("ix_bookings_contact_email", "bookings")
    op.drop_index("ix_bookings_contact_phone", "bookings")
    op.drop_column("bookings", "contact_ants")
