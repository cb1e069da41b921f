"""Settings read from the environment, in one place (`.env.example` lists them all)."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
STORES = ("local", "shared")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/guichet"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Settings:
    """Everything the processes need to know about where things are."""

    database_url: str
    commune_file: Path
    # Rasa servers the gateway spreads conversations over (one by default), and their actions.
    rasa_urls: tuple[str, ...]
    rasa_token: str
    action_server_urls: tuple[str, ...]
    gateway_host: str
    gateway_port: int
    rasa_timeout: float
    max_message_chars: int
    public_url: str
    # Keys of the Open311 clients allowed to post reports, and bearer tokens of the agents' API.
    open311_api_keys: tuple[str, ...] = ()
    agent_api_tokens: tuple[str, ...] = ()
    # Channels: each is off while its settings are absent (see `channels_off`).
    telegram_bot_token: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org"
    telegram_polling: bool | None = None  # None: poll when there is no public https URL
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    twilio_api_base_url: str = "https://api.twilio.com"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    notification_templates: Path = ROOT / "communes" / "notifications"
    # The outbox worker: how often it looks for due notifications, and how long a claim lasts
    # before another worker may take over a notification whose sender died.
    outbox_poll_seconds: float = 1.0
    outbox_claim_seconds: float = 120.0
    # Seconds between two looks, by the gateway, for conversations an outage gave to the
    # agents that can come back to the assistant.
    recovery_seconds: float = 30.0
    # "local": SQLite and Rasa's in-memory lock store, for one machine and one process of
    # each. "shared": PostgreSQL for our data and Rasa's trackers, Redis for Rasa's locks, so
    # that several replicas of every process can serve the same conversations.
    stores: str = "local"
    redis_url: str = DEFAULT_REDIS_URL
    # Rates of public writes (the commune file's limites.envois), counted where the stores
    # are: off only for load tests and benchmarks that send everything from one address.
    rate_limits: bool = True
    # Tests and demonstrations only: the instant every process's clock starts from.
    clock_start: datetime | None = None

    @property
    def telegram_on(self) -> bool:
        return bool(self.telegram_bot_token)

    @property
    def telegram_polls(self) -> bool:
        """Long polling instead of a webhook (a developer's machine has no public https URL)."""
        if self.telegram_polling is not None:
            return self.telegram_polling and self.telegram_on
        return self.telegram_on and not self.public_url.startswith("https://")

    @property
    def rate_limit_storage(self) -> str | None:
        """Where rates are counted (the `limits` package's URI); None when they are off."""
        if not self.rate_limits:
            return None
        return self.redis_url if self.stores == "shared" else "memory://"

    @property
    def sms_on(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_host and self.smtp_from)

    def channels_off(self) -> dict[str, str]:
        """Each channel that is off, with the French reason to say at start."""
        off: dict[str, str] = {}
        if not self.telegram_on:
            off["telegram"] = "Telegram désactivé : TELEGRAM_BOT_TOKEN n’est pas défini."
        elif not self.telegram_webhook_secret and not self.telegram_polls:
            off["telegram"] = (
                "Telegram désactivé : TELEGRAM_WEBHOOK_SECRET est nécessaire pour le webhook."
            )
        if not self.sms_on:
            off["sms"] = (
                "SMS désactivés : TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN et TWILIO_FROM_NUMBER "
                "sont nécessaires."
            )
        if not self.email_on:
            off["email"] = "E-mails désactivés : SMTP_HOST et SMTP_FROM sont nécessaires."
        return off


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


def _flag(env: Mapping[str, str], name: str) -> bool | None:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "auto"):
        return None
    if raw in ("1", "true", "yes", "oui", "on"):
        return True
    if raw in ("0", "false", "no", "non", "off"):
        return False
    raise SettingsError(f"{name} doit valoir auto, on ou off (reçu : {raw!r})")


def _urls(env: Mapping[str, str], name: str, default: str) -> tuple[str, ...]:
    return tuple(url.rstrip("/") for url in _list(env, name)) or (default,)


def _database_url(env: Mapping[str, str], stores: str) -> str:
    given = env.get("DATABASE_URL", "").strip()
    if stores == "local":
        return given or f"sqlite:///{ROOT / 'var' / 'guichet.db'}"
    if given and not given.startswith("postgresql"):
        raise SettingsError(
            "STORES=shared demande une base PostgreSQL : DATABASE_URL doit commencer par "
            f"postgresql (reçu : {given.split(':', 1)[0]}:…)"
        )
    return given or DEFAULT_POSTGRES_URL


def _folder(env: Mapping[str, str], name: str, default: Path) -> Path:
    path = Path(env.get(name) or default)
    return path if path.is_absolute() else ROOT / path


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    commune = Path(env.get("COMMUNE_FILE") or ROOT / "communes" / "clairval.yml")
    if not commune.is_absolute():
        commune = ROOT / commune
    stores = env.get("STORES", "").strip().lower() or "local"
    if stores not in STORES:
        raise SettingsError(f"STORES doit valoir local ou shared (reçu : {stores!r})")
    host = env.get("GATEWAY_HOST") or "127.0.0.1"
    port = _number(env, "GATEWAY_PORT", 8000, int)
    return Settings(
        database_url=_database_url(env, stores),
        commune_file=commune,
        rasa_urls=_urls(env, "RASA_URL", "http://127.0.0.1:5005"),
        rasa_token=env.get("RASA_TOKEN", ""),
        action_server_urls=_urls(env, "ACTION_SERVER_URL", "http://127.0.0.1:5055"),
        gateway_host=host,
        gateway_port=port,
        rasa_timeout=_number(env, "RASA_TIMEOUT", 20.0, float),
        max_message_chars=_number(env, "MAX_MESSAGE_CHARS", 2000, int),
        public_url=(env.get("PUBLIC_URL") or f"http://{host}:{port}").rstrip("/"),
        open311_api_keys=_list(env, "OPEN311_API_KEYS"),
        agent_api_tokens=_list(env, "AGENT_API_TOKENS"),
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
        telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
        telegram_api_base_url=(
            env.get("TELEGRAM_API_BASE_URL") or "https://api.telegram.org"
        ).rstrip("/"),
        telegram_polling=_flag(env, "TELEGRAM_POLLING"),
        twilio_account_sid=env.get("TWILIO_ACCOUNT_SID", "").strip(),
        twilio_auth_token=env.get("TWILIO_AUTH_TOKEN", "").strip(),
        twilio_from_number=env.get("TWILIO_FROM_NUMBER", "").strip(),
        twilio_api_base_url=(env.get("TWILIO_API_BASE_URL") or "https://api.twilio.com").rstrip(
            "/"
        ),
        smtp_host=env.get("SMTP_HOST", "").strip(),
        smtp_port=_number(env, "SMTP_PORT", 587, int),
        smtp_user=env.get("SMTP_USER", "").strip(),
        smtp_password=env.get("SMTP_PASSWORD", ""),
        smtp_from=env.get("SMTP_FROM", "").strip(),
        notification_templates=_folder(
            env, "NOTIFICATION_TEMPLATES", ROOT / "communes" / "notifications"
        ),
        outbox_poll_seconds=_number(env, "OUTBOX_POLL_SECONDS", 1.0, float),
        outbox_claim_seconds=_number(env, "OUTBOX_CLAIM_SECONDS", 120.0, float),
        recovery_seconds=_number(env, "RECOVERY_SECONDS", 30.0, float),
        stores=stores,
        redis_url=env.get("REDIS_URL", "").strip() or DEFAULT_REDIS_URL,
        rate_limits=_flag(env, "RATE_LIMITS") is not False,
        clock_start=clock_start(env),
    )


def clock_start(env: Mapping[str, str] | None = None) -> datetime | None:
    """GUICHET_CLOCK_START: an ISO 8601 instant with its offset, or None for the real clock."""
    env = os.environ if env is None else env
    raw = env.get("GUICHET_CLOCK_START", "").strip()
    if not raw:
        return None
    try:
        start = datetime.fromisoformat(raw)
    except ValueError:
        start = None
    if start is None or start.tzinfo is None:
        raise SettingsError(
            "GUICHET_CLOCK_START doit être un instant ISO 8601 avec son décalage, "
            f"par exemple 2027-03-27T23:50:00+01:00 (reçu : {raw!r})"
        )
    return start
