"""Fixtures: a migrated database per test, and one real stack (Rasa, actions, gateway)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from bot.db import make_engine, make_session_factory, migrate
from bot.settings import ROOT
from bot.stack import MODEL, RASA_BIN, Stack, StackConfig
from bot.transcript import Transcript
from calendar_store.store import Store
from tests.helpers.calendar import CLAIRVAL, PARIS, Clock
from tests.helpers.channels import SECRET, SmtpSink
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import FakeTwilio
from tests.helpers.stack import free_port, postgres_database, skip_or_fail

DEMO_COMMUNE = ROOT / "communes" / "clairval.yml"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'guichet.db'}"
    migrate(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    """A clock tests move by hand (calendar and outbox tests)."""
    return Clock()


@pytest.fixture
def store(engine: Engine, clock: Clock) -> Store:
    """The calendar over Clairval's resources, on the test's database and clock."""
    store = Store(engine, CLAIRVAL, tz=PARIS, clock=clock)
    store.sync()
    return store


@pytest.fixture
def transcript(engine: Engine) -> Transcript:
    return Transcript(make_session_factory(engine))


@pytest.fixture(scope="session")
def stack_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack")


@pytest.fixture(scope="session")
def fake_telegram() -> Iterator[FakeTelegram]:
    """Telegram's Bot API, local: the stack's gateway and worker talk to it."""
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture(scope="session")
def fake_twilio() -> Iterator[FakeTwilio]:
    """Twilio's REST API, local."""
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def stack(
    stack_dir: Path, fake_telegram: FakeTelegram, fake_twilio: FakeTwilio, smtp: SmtpSink
) -> Iterator[Stack]:
    """Rasa with the trained model, the action server, the gateway and the outbox worker,
    on free ports, with every channel on (their remote ends are local fakes)."""
    if not MODEL.exists() or not RASA_BIN.exists():
        skip_or_fail("no trained model or Rasa venv: run `make setup` first")
    commune = stack_dir / "commune.yml"
    shutil.copy(DEMO_COMMUNE, commune)
    database_url = f"sqlite:///{stack_dir / 'guichet.db'}"
    migrate(database_url)
    gateway_port = free_port()
    config = StackConfig(
        database_url=database_url,
        commune_file=commune,
        tracker_db=stack_dir / "tracker.db",
        rasa_ports=(free_port(),),
        actions_ports=(free_port(),),
        gateway_port=gateway_port,
        log_dir=stack_dir / "logs",
        env={
            "PUBLIC_URL": f"http://127.0.0.1:{gateway_port}",
            "TELEGRAM_BOT_TOKEN": fake_telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": fake_telegram.url,
            "TELEGRAM_POLLING": "off",
            "TWILIO_ACCOUNT_SID": fake_twilio.account_sid,
            "TWILIO_AUTH_TOKEN": fake_twilio.auth_token,
            "TWILIO_FROM_NUMBER": fake_twilio.from_number,
            "TWILIO_API_BASE_URL": fake_twilio.url,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port),
            "SMTP_FROM": "Mairie de Clairval <ne-pas-repondre@clairval.example>",
            "OUTBOX_POLL_SECONDS": "0.2",
            "RECOVERY_SECONDS": "1",
            # Every test talks from this machine; the rates have their own tests.
            "RATE_LIMITS": "off",
        },
    )
    running = Stack(config)
    running.start()
    try:
        running.wait_healthy()
        yield running
    finally:
        running.stop()


@pytest.fixture
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.config.gateway_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="session")
def stack_engine(stack: Stack) -> Iterator[Engine]:
    engine = make_engine(stack.config.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with postgres_database() as url:
        yield url
