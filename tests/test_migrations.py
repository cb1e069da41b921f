"""The migrations build exactly the schema the models declare (no drift either way)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Engine, MetaData, String, Table

import bot.accounts
import bot.audit
import bot.handoff_records
import bot.inbox
import bot.models
import bot.optouts
import bot.outbox
import bot.report_records  # noqa: F401  (they register their tables)
from bot.db import Base
from calendar_store.tables import CalendarBase


def both(*schemas: MetaData) -> MetaData:
    """The application's and the calendar's schemas as one (they share the database)."""
    merged = MetaData()
    for schema in schemas:
        for table in schema.tables.values():
            table.to_metadata(merged)
    return merged


def test_the_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, both(Base.metadata, CalendarBase.metadata))
    assert differences == []


def test_a_model_change_without_its_migration_is_caught(engine: Engine) -> None:
    # The comparison can fail: a column only the model has shows up as a difference.
    extra = both(Base.metadata, CalendarBase.metadata)
    Table("sms_opt_outs", extra, Column("note", String(10)), extend_existing=True)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, extra)
    assert [d[0] for d in differences] == ["add_column"]
