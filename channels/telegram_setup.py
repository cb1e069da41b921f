"""`guichet telegram-webhook`: tell Telegram where to deliver updates, with the secret."""

from __future__ import annotations

import asyncio
import sys

from bot.settings import Settings, load_settings
from channels.telegram_api import TelegramError, TelegramSender


async def register(settings: Settings) -> str:
    """setWebhook at PUBLIC_URL/webhooks/telegram; returns the URL registered."""
    url = f"{settings.public_url}/webhooks/telegram"
    sender = TelegramSender(settings.telegram_bot_token, settings.telegram_api_base_url)
    try:
        await sender.set_webhook(url, settings.telegram_webhook_secret)
    finally:
        await sender.close()
    return url


def problems(settings: Settings) -> list[str]:
    """What prevents registering the webhook, in French."""
    found = []
    if not settings.telegram_bot_token:
        found.append("TELEGRAM_BOT_TOKEN n’est pas défini.")
    if not settings.telegram_webhook_secret:
        found.append("TELEGRAM_WEBHOOK_SECRET n’est pas défini (openssl rand -hex 32).")
    if not settings.public_url.startswith("https://"):
        found.append(
            f"PUBLIC_URL doit être une adresse https joignable par Telegram "
            f"(actuellement : {settings.public_url})."
        )
    return found


def main() -> int:
    settings = load_settings()
    found = problems(settings)
    if found:
        print("Impossible d’enregistrer le webhook Telegram :", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    try:
        url = asyncio.run(register(settings))
    except TelegramError as error:
        print(f"Telegram a refusé : {error}", file=sys.stderr)
        return 1
    print(f"Webhook Telegram enregistré : {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
