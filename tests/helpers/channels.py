"""Builders for channel tests: signed webhook calls, a local SMTP sink, waiting for results."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.helpers.fake_twilio import sign
from tests.helpers.stack import free_port

T = TypeVar("T")
SECRET = "le-secret-du-webhook-telegram-0123456789"


def until(check: Callable[[], T | None], timeout: float = 15.0, what: str = "") -> T:
    """Poll `check` until it returns something truthy (background work: worker, turns)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing after {timeout} s: {what}")
        time.sleep(0.05)


def telegram_post(
    gateway: httpx.Client, update: dict[str, Any], secret: str | None = SECRET
) -> httpx.Response:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return gateway.post("/webhooks/telegram", json=update, headers=headers)


def twilio_post(
    gateway: httpx.Client,
    public_url: str,
    auth_token: str,
    params: dict[str, str],
    *,
    signature: str | None = None,
) -> httpx.Response:
    """POST the form Twilio would, signed for the public URL unless told otherwise."""
    url = f"{public_url}/webhooks/twilio"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    headers["X-Twilio-Signature"] = signature or sign(auth_token, url, params)
    return gateway.post("/webhooks/twilio", content=urlencode(params), headers=headers)


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that keeps what it receives (aiosmtpd)."""

    port: int = field(default_factory=free_port)
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: Controller | None = None

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        message = BytesParser(policy=default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(([str(r) for r in envelope.rcpt_tos], message))
        return "250 OK"

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for rcpt, m in self.received if address in rcpt]
