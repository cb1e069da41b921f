"""What every action shares: the commune file, opened lazily from the settings."""

from __future__ import annotations

from functools import cache

from bot.commune import Commune, CommuneStore
from bot.settings import load_settings


@cache
def _store() -> CommuneStore:
    return CommuneStore(load_settings().commune_file)


def commune() -> Commune:
    """The commune as the file says now (edits apply without a restart)."""
    return _store().get()
