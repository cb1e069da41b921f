"""Alembic environment: migrates the database named by the settings (or by the caller)."""

from __future__ import annotations

from alembic import context

# Imported for their side effect: they register their tables on Base.metadata.
import bot.accounts
import bot.audit
import bot.handoff_records
import bot.inbox
import bot.models
import bot.optouts
import bot.outbox
import bot.report_records  # noqa: F401
from bot.db import Base, make_engine
from bot.settings import load_settings
from calendar_store.tables import CalendarBase

config = context.config
url = config.attributes.get("database_url") or load_settings().database_url
# Two schemas, one database: the application's and the calendar's (which imports nothing of ours).
target_metadata = [Base.metadata, CalendarBase.metadata]

if context.is_offline_mode():
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
