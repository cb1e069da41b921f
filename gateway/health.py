"""Health of the whole assistant: the gateway's database, Rasa with its model, the actions."""

from __future__ import annotations

import asyncio

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


async def check(
    rasa: RasaClient, http: httpx.AsyncClient, actions_url: str, engine: Engine
) -> dict[str, str]:
    """Each part's state: "ok" or why it is down."""
    rasa_state, actions_state, database_state = await asyncio.gather(
        rasa.model_loaded(), _actions(http, actions_url), to_thread.run_sync(_database, engine)
    )
    states = {
        "gateway": None,
        "database": database_state,
        "rasa": rasa_state,
        "actions": actions_state,
    }
    return {part: state or "ok" for part, state in states.items()}
