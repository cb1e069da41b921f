"""`guichet run` starts Rasa and the action server where RASA_URL and ACTION_SERVER_URL say: two
stacks side by side, each with its own ports, database and commune file, each answering."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from sqlalchemy import select

from bot.addresses import tracker_file
from bot.db import make_engine, make_session_factory, migrate
from bot.models import Conversation
from bot.settings import ROOT
from bot.stack import MODEL, RASA_BIN, health
from tests.conftest import DEMO_COMMUNE
from tests.helpers.stack import free_port, say, skip_or_fail, text_of

pytestmark = pytest.mark.stack

PHONE = "01 99 00 12 34"
# Every channel off, whatever the developer's environment or .env says.
QUIET = {
    "TELEGRAM_BOT_TOKEN": "",
    "TWILIO_ACCOUNT_SID": "",
    "SMTP_HOST": "",
    "PUBLIC_URL": "",
    "RASA_TOKEN": "",
    "STORES": "local",
    "GATEWAY_HOST": "127.0.0.1",
}


@dataclass
class Side:
    """One `guichet run`, its ports, database and the phone number of its commune file."""

    name: str
    folder: Path
    phone: str
    rasa_port: int
    actions_port: int
    gateway_port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'guichet.db'}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def start(self) -> None:
        # Its own commune file: the phone number in an answer tells which action server wrote it.
        commune = self.folder / "commune.yml"
        commune.write_text(
            DEMO_COMMUNE.read_text().replace(f"telephone: {PHONE}", f"telephone: {self.phone}")
        )
        migrate(self.database_url)
        env = {
            **os.environ,
            **QUIET,
            "DATABASE_URL": self.database_url,
            "COMMUNE_FILE": str(commune),
            "RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "ACTION_SERVER_URL": f"http://localhost:{self.actions_port}",
            "GATEWAY_PORT": str(self.gateway_port),
        }
        with (self.folder / "guichet-run.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        path = self.folder / "guichet-run.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        """Ctrl-C, as a person would; what is left after 30 s is killed (ours only)."""
        if self.process is None or self.process.poll() is not None:
            return
        children = psutil.Process(self.process.pid).children(recursive=True)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def wait_until_healthy(sides: list[Side], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(sides)
    while waiting:
        for side in list(waiting):
            assert side.process is not None
            if side.process.poll() is not None:
                pytest.fail(f"guichet run ({side.name}) stopped:\n{side.log()}")
            if health(side.gateway_url)[0] == 200:
                waiting.remove(side)
        if time.monotonic() > deadline:
            pytest.fail(f"not healthy after {timeout:.0f} s: {[s.name for s in waiting]}")
        time.sleep(0.5)


@pytest.fixture
def sides(tmp_path: Path) -> Iterator[list[Side]]:
    if not MODEL.exists() or not RASA_BIN.exists():
        skip_or_fail("no trained model or Rasa venv: run `make setup` first")
    pair = []
    for name, phone in (("a", "01 99 00 00 01"), ("b", "01 99 00 00 02")):
        (tmp_path / name).mkdir()
        pair.append(Side(name, tmp_path / name, phone, free_port(), free_port(), free_port()))
    try:
        for side in pair:
            side.start()
        wait_until_healthy(pair)
        yield pair
    finally:
        for side in pair:
            side.stop()


def conversations(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            return set(session.scalars(select(Conversation.id)))
    finally:
        engine.dispose()


def test_two_stacks_side_by_side_each_answer_on_their_own_ports(sides: list[Side]) -> None:
    for side in sides:
        # Rasa and the action server listen on the ports of RASA_URL and ACTION_SERVER_URL …
        assert httpx.get(f"http://127.0.0.1:{side.rasa_port}/", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{side.actions_port}/health", timeout=10).is_success
        # … and Rasa calls its own action server: the answer has its commune's phone number.
        with httpx.Client(base_url=side.gateway_url, timeout=60) as client:
            answer = text_of(say(client, f"voisin-{side.name}", "/ask_contact"))
        assert side.phone in answer, answer
    for side in sides:
        assert conversations(side.database_url) == {f"web:voisin-{side.name}"}
        assert tracker_file(side.database_url).exists()  # its own Rasa conversations
