"""Health of the whole assistant: the gateway's database, Rasa with its model, the actions.

With replicas, a part is up while one of its servers answers; the others are reported as
"degraded" (the gateway still serves every conversation).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
from anyio import to_thread
from sqlalchemy import Engine, text

from gateway.rasa import RasaClient


async def _actions(http: httpx.AsyncClient, url: str) -> str | None:
    try:
        response = await http.get(f"{url}/health", timeout=2.0)
    except httpx.HTTPError as error:
        return f"injoignable ({type(error).__name__})"
    return None if response.status_code == 200 else f"répond {response.status_code}"


def _database(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "down", reported as such
        return f"inaccessible ({type(error).__name__})"
    return None


def _pooled(states: dict[str, str | None]) -> tuple[str | None, dict[str, str]]:
    """One state for replicas: up while one answers; the others are listed as degraded."""
    down = {url: why for url, why in states.items() if why is not None}
    if len(down) == len(states):
        return next(iter(down.values())), {}
    return None, down


async def check(
    rasa: RasaClient, http: httpx.AsyncClient, actions_urls: Sequence[str], engine: Engine
) -> tuple[dict[str, str], dict[str, str]]:
    """Each part's state ("ok" or why it is down), and the replicas down beside live ones."""
    rasa_states, actions_states, database_state = await asyncio.gather(
        rasa.model_loaded(),
        asyncio.gather(*(_actions(http, url) for url in actions_urls)),
        to_thread.run_sync(_database, engine),
    )
    rasa_state, rasa_down = _pooled(rasa_states)
    actions_state, actions_down = _pooled(dict(zip(actions_urls, actions_states, strict=True)))
    states = {
        "gateway": None,
        "database": database_state,
        "rasa": rasa_state,
        "actions": actions_state,
    }
    degraded = {
        f"{part} {url}": why
        for part, down in (("rasa", rasa_down), ("actions", actions_down))
        for url, why in down.items()
    }
    return {part: state or "ok" for part, state in states.items()}, degraded
