"""Telegram without a public URL: the gateway polls getUpdates; and registering the webhook."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.db import migrate
from bot.settings import ROOT, load_settings
from channels.telegram_setup import problems, register
from gateway.app import create_app
from tests.helpers.bookings import serve_in_thread
from tests.helpers.channels import SECRET, until
from tests.helpers.fake_telegram import FakeTelegram, text_update


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def test_without_a_public_url_the_gateway_polls_and_answers(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'guichet.db'}"
    migrate(url)
    settings = load_settings(
        {
            "DATABASE_URL": url,
            "COMMUNE_FILE": str(ROOT / "communes" / "clairval.yml"),
            "RASA_URL": "http://127.0.0.1:9",  # down: the turn ends with the apology
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_API_BASE_URL": telegram.url,
        }
    )
    assert settings.telegram_polls  # no https PUBLIC_URL: polling, no webhook secret needed
    assert "telegram" not in settings.channels_off()
    telegram.queue_update(text_update(31, 2024, "Bonjour"))
    with serve_in_thread(create_app(settings)) as base:
        sent = until(lambda: [m for m in telegram.sent if m["chat_id"] == 2024], what="a reply")
        assert "indisponible" in sent[0]["text"]
        polled = [c for c in telegram.calls if c["method"] == "getUpdates"]
        assert polled and any(c["method"] == "deleteWebhook" for c in telegram.calls)
        # The webhook route is not served in polling mode without a secret.
        assert httpx.post(f"{base}/webhooks/telegram", json={}).status_code == 404


def test_the_webhook_is_registered_with_its_secret(telegram: FakeTelegram) -> None:
    settings = load_settings(
        {
            "PUBLIC_URL": "https://guichet.clairval.example",
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_BASE_URL": telegram.url,
        }
    )
    assert problems(settings) == []
    assert not settings.telegram_polls
    registered = asyncio.run(register(settings))
    assert registered == "https://guichet.clairval.example/webhooks/telegram"
    assert telegram.webhook is not None
    assert telegram.webhook["url"] == registered
    assert telegram.webhook["secret_token"] == SECRET


def test_registering_says_what_is_missing_in_french() -> None:
    said = problems(load_settings({"PUBLIC_URL": "http://127.0.0.1:8000"}))
    assert len(said) == 3
    assert any("TELEGRAM_BOT_TOKEN" in p for p in said)
    assert any("https" in p for p in said)
