"""Channels: webhook acknowledgement time (Telegram, Twilio) and outbox throughput.

`webhooks` starts the real gateway (uvicorn) with both channels on, their remote ends being the
local fake Bot API and fake Twilio REST API of the tests, and times the webhook's answer to
signed, distinct deliveries (the turn itself runs after the answer; Rasa is not running here,
so each turn ends at once with the apology, sent through the fake API, still inside the run).
`outbox` queues notices in a migrated SQLite database and times the real worker process
(`python -m channels.outbox_worker`) sending them all to the fakes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from bench_common import (
    COMMUNE,
    ROOT,
    free_port,
    gateway,
    latency,
    log,
    spawn,
    stop_group,
    wait_until,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import make_engine, migrate
from bot.outbox import Notification, queue
from tests.helpers.fake_telegram import FakeTelegram, text_update
from tests.helpers.fake_twilio import FakeTwilio, inbound_params, sign

SECRET = "bench-telegram-secret"  # noqa: S105 (a local fake, not a credential)
PAYLOAD = {
    "reference": "SIG-7K2P",
    "category": "eclairage",
    "street": "rue des Lilas",
    "status": "resolved",
    "objet": "le lampadaire signalé",
    "lieu": "rue des Lilas",
    "fait": "réparé",
    "text": "Bonne nouvelle : le lampadaire signalé rue des Lilas a été réparé.",
}


@dataclass(frozen=True)
class Remote:
    """Where the fake Bot API and Twilio API listen, and the credentials they accept."""

    telegram_url: str
    telegram_token: str
    twilio_url: str
    twilio_sid: str
    twilio_token: str
    twilio_from: str


def channel_env(remote: Remote) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": remote.telegram_token,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_BASE_URL": remote.telegram_url,
        "TELEGRAM_POLLING": "off",
        "TWILIO_ACCOUNT_SID": remote.twilio_sid,
        "TWILIO_AUTH_TOKEN": remote.twilio_token,
        "TWILIO_FROM_NUMBER": remote.twilio_from,
        "TWILIO_API_BASE_URL": remote.twilio_url,
    }


def remote_of(telegram: FakeTelegram, twilio: FakeTwilio) -> Remote:
    return Remote(
        telegram.url,
        telegram.token,
        twilio.url,
        twilio.account_sid,
        twilio.auth_token,
        twilio.from_number,
    )


@contextmanager
def fake_processes(workdir: Path) -> Iterator[Remote]:
    """The fakes in their own processes, so that serving them does not slow the timed client
    (they would share its interpreter lock in-process)."""
    telegram, twilio = FakeTelegram(), FakeTwilio()  # for their credentials only
    ports = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    commands = {
        "telegram": ["--port", str(ports[0]), "--token", telegram.token],
        "twilio": ["--port", str(ports[1]), "--sid", twilio.account_sid],
    }
    commands["twilio"] += ["--token", twilio.auth_token]
    processes = [
        spawn(
            [
                sys.executable,
                "-m",
                f"tests.helpers.fake_{name}",
                *argv,
                "--record",
                str(workdir / f"{name}.jsonl"),
            ],
            ROOT,
            env,
            workdir / f"fake-{name}.log",
        )
        for name, argv in commands.items()
    ]
    try:
        for port in ports:
            wait_until(partial(_listening, port), 30)
        yield Remote(
            f"http://127.0.0.1:{ports[0]}",
            telegram.token,
            f"http://127.0.0.1:{ports[1]}",
            twilio.account_sid,
            twilio.auth_token,
            twilio.from_number,
        )
    finally:
        for process in processes:
            stop_group(process, signal.SIGTERM)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


async def _timed(
    client: httpx.AsyncClient, requests: list[dict[str, Any]], clients: int
) -> list[float]:
    """POST each request, `clients` at a time; milliseconds to each 2xx answer."""
    pending = list(reversed(requests))
    times: list[float] = []

    async def worker() -> None:
        while pending:
            request = pending.pop()
            began = time.perf_counter()
            response = await client.post(**request)
            if response.status_code != 200:
                raise RuntimeError(f"{request['url']}: {response.status_code} {response.text}")
            times.append((time.perf_counter() - began) * 1000)

    await asyncio.gather(*(worker() for _ in range(clients)))
    return times


def webhooks(count: int, clients: int) -> dict[str, Any]:
    """Acknowledgement time of each webhook, sequential and with concurrent clients."""
    with tempfile.TemporaryDirectory() as tmp, fake_processes(Path(tmp)) as remote:
        url = f"sqlite:///{Path(tmp) / 'guichet.db'}"
        migrate(url)
        port = free_port()
        public = f"http://127.0.0.1:{port}"
        extra = channel_env(remote) | {"PUBLIC_URL": public}
        with gateway(url, Path(tmp) / "gateway.log", extra, port=port) as base:
            figures: dict[str, Any] = {}
            for label, concurrency in (("sequential", 1), (f"{clients}_clients", clients)):
                updates = [
                    {
                        "url": f"{base}/webhooks/telegram",
                        "json": text_update(10_000_000 + n, 7_000 + n, "bonjour"),
                        "headers": {"X-Telegram-Bot-Api-Secret-Token": SECRET},
                    }
                    for n in range(count * (concurrency > 1), count * (1 + (concurrency > 1)))
                ]
                sms = []
                for n in range(count):
                    params = inbound_params(f"+3361{concurrency:02d}{n:05d}", "bonjour")
                    signature = sign(remote.twilio_token, f"{public}/webhooks/twilio", params)
                    sms.append(
                        {
                            "url": f"{base}/webhooks/twilio",
                            "content": urlencode(params),
                            "headers": {
                                "Content-Type": "application/x-www-form-urlencoded",
                                "X-Twilio-Signature": signature,
                            },
                        }
                    )

                async def run(
                    updates: list[dict[str, Any]] = updates,
                    sms: list[dict[str, Any]] = sms,
                    concurrency: int = concurrency,
                ) -> tuple[list[float], list[float]]:
                    async with httpx.AsyncClient(timeout=30) as client:
                        return (
                            await _timed(client, updates, concurrency),
                            await _timed(client, sms, concurrency),
                        )

                log(f"webhooks: {count} Telegram + {count} SMS, {label}")
                telegram_ms, twilio_ms = asyncio.run(run())
                figures[label] = {"telegram": latency(telegram_ms), "twilio": latency(twilio_ms)}
            # Every delivery was processed after its answer: each got its (apology) reply.
            sent = Path(tmp) / "telegram.jsonl", Path(tmp) / "twilio.jsonl"
            began = time.monotonic()
            while time.monotonic() - began < 300 and (
                _lines(sent[0]) < 2 * count or _lines(sent[1]) < 2 * count
            ):
                time.sleep(0.2)
            figures["drained_s"] = round(time.monotonic() - began, 1)
            figures["deliveries_each"] = 2 * count
            figures["replies_sent"] = {"telegram": _lines(sent[0]), "sms": _lines(sent[1])}
            return figures


def outbox(count: int, chats: int) -> dict[str, Any]:
    """The worker sending `count` Telegram notices over `chats` chats, then as many SMS."""
    figures: dict[str, Any] = {}
    for route in ("telegram", "sms"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            FakeTelegram() as telegram,
            FakeTwilio() as twilio,
        ):
            url = f"sqlite:///{Path(tmp) / 'guichet.db'}"
            migrate(url)
            engine = make_engine(url)
            with Session(engine) as session, session.begin():
                for n in range(count):
                    who = (
                        f"telegram:{5_000 + n % chats}"
                        if route == "telegram"
                        else f"sms:+3362{n:07d}"
                    )
                    queue(
                        session,
                        "report_resolved",
                        dict(PAYLOAD),
                        conversation_id=who,
                        channel=route,
                    )
            env = {
                **os.environ,
                **channel_env(remote_of(telegram, twilio)),
                "DATABASE_URL": url,
                "COMMUNE_FILE": str(COMMUNE),
                "OUTBOX_POLL_SECONDS": "0.2",
                "PYTHONPATH": str(ROOT),
            }
            log(f"outbox: {count} {route} notices")
            began = time.monotonic()
            worker = spawn(
                [sys.executable, "-m", "channels.outbox_worker"],
                ROOT,
                env,
                Path(tmp) / "worker.log",
            )
            try:
                sent = 0
                while time.monotonic() - began < 600:
                    with Session(engine) as session:
                        sent = (
                            session.scalar(
                                select(func.count()).where(Notification.status == "sent")
                            )
                            or 0
                        )
                    if sent >= count:
                        break
                    time.sleep(0.1)
                elapsed = time.monotonic() - began
            finally:
                stop_group(worker)
                engine.dispose()
            figure: dict[str, Any] = {
                "notices": count,
                "sent": sent,
                "seconds": round(elapsed, 2),
                "per_second": round(sent / elapsed, 1),
            }
            if route == "telegram":
                times = sorted(m["at"] for m in telegram.sent)
                steady = times[-1] - times[0] if len(times) > 1 else 0.0
                figure |= {
                    "chats": chats,
                    "per_second_after_start": round((len(times) - 1) / steady, 1) if steady else 0,
                    "max_in_any_second": telegram.max_per_second(),
                    "per_chat_gaps_under_1s": len(telegram.per_chat_violations(1.0)),
                }
            figures[route] = figure
    return figures


def channels(count: int, clients: int, notices: int) -> dict[str, Any]:
    return {
        "webhooks": webhooks(count, clients),
        "outbox": outbox(notices, chats=max(1, notices // 3)),
        "note": "worker start-up (about 1 s) is inside `seconds`; `per_second_after_start` "
        "counts from the first message to the last",
    }
