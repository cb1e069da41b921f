"""Settings read from the environment, in one place (`.env.example` lists them all)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """Everything the processes need to know about where things are."""

    database_url: str
    commune_file: Path
    rasa_url: str
    rasa_token: str
    action_server_url: str
    gateway_host: str
    gateway_port: int
    rasa_timeout: float
    max_message_chars: int
    public_url: str
    # Keys of the Open311 clients allowed to post reports, and bearer tokens of the agents' API.
    open311_api_keys: tuple[str, ...] = ()
    agent_api_tokens: tuple[str, ...] = ()


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, default: N, kind: Callable[[str], N]) -> N:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        what = "un nombre entier" if kind is int else "un nombre"
        raise SettingsError(f"{name} doit être {what} (reçu : {raw!r})") from None


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    commune = Path(env.get("COMMUNE_FILE") or ROOT / "communes" / "clairval.yml")
    if not commune.is_absolute():
        commune = ROOT / commune
    host = env.get("GATEWAY_HOST") or "127.0.0.1"
    port = _number(env, "GATEWAY_PORT", 8000, int)
    return Settings(
        database_url=env.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'guichet.db'}",
        commune_file=commune,
        rasa_url=(env.get("RASA_URL") or "http://127.0.0.1:5005").rstrip("/"),
        rasa_token=env.get("RASA_TOKEN", ""),
        action_server_url=(env.get("ACTION_SERVER_URL") or "http://127.0.0.1:5055").rstrip("/"),
        gateway_host=host,
        gateway_port=port,
        rasa_timeout=_number(env, "RASA_TIMEOUT", 20.0, float),
        max_message_chars=_number(env, "MAX_MESSAGE_CHARS", 2000, int),
        public_url=(env.get("PUBLIC_URL") or f"http://{host}:{port}").rstrip("/"),
        open311_api_keys=_list(env, "OPEN311_API_KEYS"),
        agent_api_tokens=_list(env, "AGENT_API_TOKENS"),
    )
