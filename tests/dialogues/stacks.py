"""A whole stack (Rasa, actions, gateway, worker) for one clock, on its own fresh database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from bot.db import make_engine, migrate
from bot.settings import ROOT
from bot.stack import Stack, StackConfig
from tests.dialogues.clocks import ClockSpec, SimClock
from tests.helpers.stack import free_port


@dataclass
class Running:
    """What the residents need: the gateway's address, the database, the clock it runs on."""

    stack: Stack
    engine: Engine
    clock: SimClock

    @property
    def url(self) -> str:
        return self.stack.config.gateway_url


@contextmanager
def running(workdir: Path, spec: ClockSpec) -> Iterator[Running]:
    """Start every process with GUICHET_CLOCK_START set for a frozen clock; stop them after."""
    workdir.mkdir(parents=True, exist_ok=True)
    commune = workdir / "commune.yml"
    shutil.copy(ROOT / "communes" / "clairval.yml", commune)
    database_url = f"sqlite:///{workdir / 'guichet.db'}"
    migrate(database_url)
    gateway_port = free_port()
    config = StackConfig(
        database_url=database_url,
        commune_file=commune,
        tracker_db=workdir / "tracker.db",
        rasa_ports=(free_port(),),
        actions_ports=(free_port(),),
        gateway_port=gateway_port,
        log_dir=workdir / "logs",
        env={
            "PUBLIC_URL": f"http://127.0.0.1:{gateway_port}",
            "OUTBOX_POLL_SECONDS": "0.5",
            "RATE_LIMITS": "off",  # hundreds of residents, all from this machine
            **spec.env(),
        },
    )
    stack = Stack(config)
    clock = SimClock(spec)
    clock.restart()
    stack.start()
    engine = make_engine(database_url)
    try:
        stack.wait_healthy()
        yield Running(stack, engine, clock)
    finally:
        engine.dispose()
        stack.stop()
