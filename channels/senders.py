"""The outbound side of every channel, built from the settings: None where a channel is off."""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from channels.email import EmailSender, SmtpSettings
from channels.telegram_api import TelegramSender
from channels.twilio_api import TwilioSender


@dataclass
class Senders:
    """What can be sent right now; nothing here connects before its first message."""

    telegram: TelegramSender | None = None
    sms: TwilioSender | None = None
    email: EmailSender | None = None

    async def close(self) -> None:
        if self.telegram is not None:
            await self.telegram.close()


def senders_from(settings: Settings) -> Senders:
    """One sender per channel whose settings are complete."""
    telegram = (
        TelegramSender(settings.telegram_bot_token, settings.telegram_api_base_url)
        if settings.telegram_on
        else None
    )
    sms = (
        TwilioSender(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from_number,
            settings.twilio_api_base_url,
        )
        if settings.sms_on
        else None
    )
    email = (
        EmailSender(
            SmtpSettings(
                host=settings.smtp_host,
                port=settings.smtp_port,
                user=settings.smtp_user or None,
                password=settings.smtp_password or None,
                sender=settings.smtp_from,
            )
        )
        if settings.email_on
        else None
    )
    return Senders(telegram, sms, email)
