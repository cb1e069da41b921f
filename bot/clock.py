"""The instant every process reads: the real clock, or (tests and demonstrations) one that
starts at GUICHET_CLOCK_START when the process first reads it and runs from there."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import cache

from bot.settings import clock_start


@cache
def _origin() -> tuple[datetime, float] | None:
    start = clock_start()
    return None if start is None else (start.astimezone(UTC), time.monotonic())


def utcnow() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    origin = _origin()
    if origin is None:
        return datetime.now(UTC)
    return origin[0] + timedelta(seconds=time.monotonic() - origin[1])
