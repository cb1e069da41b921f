"""Start, watch and stop the processes: Rasa, the action server, the gateway, the outbox worker."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url

from bot.settings import DEFAULT_REDIS_URL, ROOT

# Rasa's REST channel has no authentication: only the gateway may reach it, on loopback.
INTERNAL = "127.0.0.1"
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
MODEL = ROOT / "models" / "guichet.tar.gz"
TICKET_LOCK_SECONDS = "10"
QUIET_RASA = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "LOG_LEVEL_LIBRARIES": "ERROR",
    "PYTHONWARNINGS": "ignore",
}


@dataclass(frozen=True)
class StackConfig:
    """Ports, files and database of one running stack."""

    database_url: str
    commune_file: Path
    tracker_db: Path  # Rasa's trackers with local stores (SQLite)
    # One port per replica: Rasa server i calls action server i.
    rasa_ports: tuple[int, ...] = (5005,)
    actions_ports: tuple[int, ...] = (5055,)
    gateway_port: int = 8000
    gateway_workers: int = 1
    # "shared": Rasa keeps its trackers in our PostgreSQL database and its locks in Redis.
    stores: str = "local"
    redis_url: str = DEFAULT_REDIS_URL
    gateway_host: str = "127.0.0.1"  # Rasa and the actions always stay on INTERNAL
    # Hex: a urlsafe token may start with '-', which Rasa's argument parser takes for an option.
    rasa_token: str = field(default_factory=lambda: secrets.token_hex(24))
    model: Path = MODEL
    log_dir: Path | None = None  # None: the processes write to this terminal
    # Settings our processes get besides the environment (tests: fake Telegram and Twilio).
    env: dict[str, str] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        listening_everywhere = self.gateway_host in ("0.0.0.0", "::")  # noqa: S104
        return (
            f"http://{INTERNAL if listening_everywhere else self.gateway_host}:{self.gateway_port}"
        )

    def __post_init__(self) -> None:
        if not self.rasa_ports or len(self.rasa_ports) != len(self.actions_ports):
            raise ValueError("one action server port per Rasa port")
        if len(self.rasa_ports) > 1 and self.stores != "shared":
            raise ValueError("several Rasa servers need shared stores (STORES=shared)")

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        return tuple(f"http://{INTERNAL}:{port}" for port in self.rasa_ports)

    @property
    def actions_urls(self) -> tuple[str, ...]:
        return tuple(f"http://{INTERNAL}:{port}" for port in self.actions_ports)

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def actions_url(self) -> str:
        return self.actions_urls[0]


def replica_name(part: str, index: int) -> str:
    """The name of replica `index` of a part: rasa, rasa-2, rasa-3…"""
    return part if index == 0 else f"{part}-{index + 1}"


def rasa_stores(config: StackConfig) -> tuple[Path, dict[str, str]]:
    """Rasa's endpoints file and the settings it reads: its tracker and lock stores."""
    if config.stores != "shared":
        return ROOT / "endpoints.yml", {"RASA_TRACKER_DB": str(config.tracker_db)}
    database = make_url(config.database_url)
    redis = make_url(config.redis_url)
    return ROOT / "endpoints-shared.yml", {
        "RASA_TRACKER_HOST": database.host or INTERNAL,
        "RASA_TRACKER_PORT": str(database.port or 5432),
        "RASA_TRACKER_DB": database.database or "guichet",
        "RASA_TRACKER_USER": database.username or "postgres",
        "RASA_TRACKER_PASSWORD": database.password or "",
        "REDIS_HOST": redis.host or INTERNAL,
        "REDIS_PORT": str(redis.port or 6379),
        "REDIS_DB": redis.database or "0",
        "REDIS_PASSWORD": redis.password or "",
        # A Rasa server that dies holding a conversation's lock holds it until the lock's
        # lifetime ends (60 s by default): the resident's next message would wait that long.
        # A turn takes well under a second; 10 s leaves room under load.
        "TICKET_LOCK_LIFETIME": TICKET_LOCK_SECONDS,
        "PYTHONPATH": str(ROOT),  # the lock store of rasa_plugins/
    }


def commands(config: StackConfig) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each process's command line and the environment it adds."""
    shared = {
        **config.env,
        "DATABASE_URL": config.database_url,
        "COMMUNE_FILE": str(config.commune_file),
        "PYTHONPATH": str(ROOT),
        "STORES": config.stores,
        "REDIS_URL": config.redis_url,
    }
    endpoints, store_env = rasa_stores(config)
    specs: dict[str, tuple[list[str], dict[str, str]]] = {}
    for index, (rasa_port, actions_url) in enumerate(
        zip(config.rasa_ports, config.actions_urls, strict=True)
    ):
        specs[replica_name("rasa", index)] = (
            [
                str(RASA_BIN),
                "run",
                "--model",
                str(config.model),
                "--interface",
                INTERNAL,
                "--port",
                str(rasa_port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                str(ROOT / "credentials.yml"),
                # The HTTP API answers only with this token; the gateway uses it for /status.
                "--enable-api",
                "--auth-token",
                config.rasa_token,
            ],
            {**QUIET_RASA, **store_env, "ACTION_ENDPOINT_URL": f"{actions_url}/webhook"},
        )
    for index, actions_port in enumerate(config.actions_ports):
        specs[replica_name("actions", index)] = (
            [
                sys.executable,
                "-m",
                "rasa_sdk",
                "--actions",
                "actions",
                "--port",
                str(actions_port),
            ],
            {**shared, "SANIC_HOST": INTERNAL},
        )
    workers = ["--workers", str(config.gateway_workers)] if config.gateway_workers > 1 else []
    specs["gateway"] = (
        [
            sys.executable,
            "-m",
            "uvicorn",
            "gateway.app:create_app",
            "--factory",
            "--host",
            config.gateway_host,
            "--port",
            str(config.gateway_port),
            *workers,
            "--no-access-log",
            # The console's live feeds never end by themselves: close them at shutdown.
            "--timeout-graceful-shutdown",
            "5",
        ],
        {
            **shared,
            "RASA_URL": ",".join(config.rasa_urls),
            "RASA_TOKEN": config.rasa_token,
            "ACTION_SERVER_URL": ",".join(config.actions_urls),
            "GATEWAY_PORT": str(config.gateway_port),
        },
    )
    # Sends the notifications queued by the others (confirmations, reminders, reports).
    specs["worker"] = ([sys.executable, "-m", "channels.outbox_worker"], shared)
    return specs


class Stack:
    """The running processes; each in its own session so Ctrl-C reaches only the supervisor."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._logs: dict[str, IO[bytes]] = {}

    def start(self, *names: str) -> None:
        """Start the named processes (all of them by default)."""
        specs = commands(self.config)
        for name in names or tuple(specs):
            argv, extra = specs[name]
            output: IO[bytes] | None = None
            if self.config.log_dir is not None:
                self.config.log_dir.mkdir(parents=True, exist_ok=True)
                output = open(self.config.log_dir / f"{name}.log", "ab")  # noqa: SIM115
                self._logs[name] = output
            self.processes[name] = subprocess.Popen(
                argv,
                cwd=ROOT,
                env={**os.environ, **extra},
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                start_new_session=True,
            )

    def log_tail(self, name: str, lines: int = 40) -> str:
        if self.config.log_dir is None:
            return ""
        path = self.config.log_dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def wait_healthy(self, timeout: float = 240.0) -> float:
        """Wait until the gateway's /healthz says 200; return the seconds it took."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} exited with code {process.returncode}\n{self.log_tail(name)}"
                    )
            status, body = health(self.config.gateway_url)
            # With replicas, wait for every one of them, not only the first to answer.
            if status == 200 and not body.get("degraded"):
                return time.monotonic() - began
            time.sleep(0.5)
        raise TimeoutError(f"the stack was not healthy after {timeout:.0f} s")

    def stop(self, *names: str, grace: float = 15.0) -> None:
        """Stop the named processes (all by default): SIGTERM, then SIGKILL after `grace`."""
        chosen = [n for n in (names or tuple(self.processes)) if n in self.processes]
        for name in chosen:
            _signal(self.processes[name], signal.SIGTERM)
        deadline = time.monotonic() + grace
        for name in chosen:
            process = self.processes.pop(name)
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal(process, signal.SIGKILL)
                process.wait()
            log = self._logs.pop(name, None)
            if log is not None:
                log.close()


def _signal(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def health(gateway_url: str) -> tuple[int | None, dict[str, Any]]:
    """The HTTP status of the gateway's /healthz and its body; (None, {}) if it does not answer."""
    try:
        with urllib.request.urlopen(f"{gateway_url}/healthz", timeout=5) as response:  # noqa: S310
            return int(response.status), _json(response.read())
    except urllib.error.HTTPError as error:
        return error.code, _json(error.read())
    except (urllib.error.URLError, OSError):
        return None, {}


def health_status(gateway_url: str) -> int | None:
    """The HTTP status of the gateway's /healthz, or None if it does not answer."""
    return health(gateway_url)[0]


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
