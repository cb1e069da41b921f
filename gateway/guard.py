"""What a resident's message must pass before Rasa sees it: the conversation's rate of
messages, and a photo it names must be one this conversation sent."""

from __future__ import annotations

import re

from anyio import to_thread

from bot.emergency import alarm
from bot.quotas import Write
from bot.reports import ReportStore
from channels.rest import Inbound
from gateway.throttle import Throttle

PUBLIC_ID = re.compile(r"[0-9a-f]{32}")


class Guard:
    """Per-conversation checks on every channel (the web chat, SMS, Telegram)."""

    def __init__(self, throttle: Throttle, reports: ReportStore) -> None:
        self._throttle = throttle
        self._reports = reports

    async def flooding(self, inbound: Inbound) -> str | None:
        """None to go on; else what to answer a conversation sending too many messages ("" to
        stay silent: it was told less than a minute ago). A danger described always goes on."""
        conversation = inbound.ref.id
        seconds = await self._throttle.wait(Write.MESSAGE, "conversation", conversation)
        if seconds is None:
            return None
        if alarm(inbound.text, self._throttle.commune.get().data.urgences) is not None:
            return None
        if not await self._throttle.first_notice(conversation):
            return ""
        return self._throttle.message(seconds)

    async def foreign_photo(self, inbound: Inbound) -> str | None:
        """What to answer a message naming a photo this conversation did not send (a guessed
        or copied id); None when it names none, or one of its own."""
        photo = inbound.metadata.get("photo")
        if photo is None:
            return None
        said = str(photo) if isinstance(photo, str | int) else ""
        if PUBLIC_ID.fullmatch(said):
            owner = await to_thread.run_sync(self._reports.photo_owner, said)
            if owner is not None and owner == inbound.ref.id:
                return None
        return self._throttle.commune.get().message("photo_autre_conversation")
