"""The Telegram Bot API through python-telegram-bot: send, answer buttons, download, poll."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import telegram
import telegram.error as tg
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from channels.telegram import TelegramReply

ALLOWED_UPDATES = ("message", "callback_query")
_T = TypeVar("_T")
_LOG = logging.getLogger(__name__)


class TelegramError(Exception):
    """A failed Bot API call, classified for the outbox: retry later or give up."""

    def __init__(
        self,
        message: str,
        *,
        permanent: bool,
        blocked: bool = False,
        retry_after: float | None = None,
        too_big: bool = False,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.blocked = blocked
        self.retry_after = retry_after
        self.too_big = too_big


class TelegramSender:
    """One bot, one event loop: PTB's httpx clients belong to the loop that first used them."""

    def __init__(
        self, token: str, api_base_url: str = "https://api.telegram.org", timeout: float = 10.0
    ) -> None:
        # PTB 22 warns (DeprecationWarning) each time it builds a RetryAfter unless the process
        # opts in to timedelta durations, the behaviour of its next major version.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        api = api_base_url.rstrip("/")
        self._token = token
        try:
            self._bot = telegram.Bot(
                token,
                base_url=f"{api}/bot",
                base_file_url=f"{api}/file/bot",
                request=HTTPXRequest(
                    connection_pool_size=8,
                    connect_timeout=timeout,
                    read_timeout=timeout,
                    write_timeout=timeout,
                    pool_timeout=timeout,
                ),
                # PTB adds the long-polling timeout to this read timeout for each getUpdates.
                get_updates_request=HTTPXRequest(
                    connection_pool_size=1,
                    connect_timeout=timeout,
                    read_timeout=timeout,
                    write_timeout=timeout,
                    pool_timeout=timeout,
                ),
            )
        except tg.TelegramError as exc:  # an empty token, refused before any request
            raise TelegramError(str(exc), permanent=True) from None
        self._ready = False
        self._lock = asyncio.Lock()

    async def send(self, chat_id: int | str, reply: TelegramReply) -> int:
        """sendMessage with one inline button per row; the new message_id."""
        markup = None
        if reply.buttons:
            markup = telegram.InlineKeyboardMarkup(
                [
                    [telegram.InlineKeyboardButton(title, callback_data=data)]
                    for title, data in reply.buttons
                ]
            )
        message = await self._call(
            lambda: self._bot.send_message(chat_id=chat_id, text=reply.text, reply_markup=markup)
        )
        return int(message.message_id)

    async def answer_callback(self, callback_query_id: str) -> None:
        """Stop the button's spinner; an expired query is not the caller's problem."""
        try:
            await self._call(lambda: self._bot.answer_callback_query(callback_query_id))
        except TelegramError as exc:
            if not isinstance(exc.__cause__, tg.BadRequest):
                raise
            _LOG.info("callback query not answered: %s", exc)

    async def download(self, file_id: str, max_bytes: int) -> bytes:
        """A file's bytes, refused before downloading when Telegram says it is too big."""
        file = await self._call(lambda: self._bot.get_file(file_id))
        if file.file_size is not None and file.file_size > max_bytes:
            raise TelegramError(
                f"file of {file.file_size} bytes, {max_bytes} at most", permanent=True, too_big=True
            )
        content = await self._call(file.download_as_bytearray)
        if len(content) > max_bytes:  # file_size is optional and only Telegram's word
            raise TelegramError(
                f"file of {len(content)} bytes, {max_bytes} at most", permanent=True, too_big=True
            )
        return bytes(content)

    async def set_webhook(self, url: str, secret: str) -> None:
        """Ask Telegram to POST updates to `url` with our secret in a header."""
        await self._call(
            lambda: self._bot.set_webhook(
                url=url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
                drop_pending_updates=False,
            )
        )

    async def delete_webhook(self) -> None:
        """Stop webhook delivery (needed before long polling); pending updates are kept."""
        await self._call(lambda: self._bot.delete_webhook(drop_pending_updates=False))

    async def get_updates(self, offset: int | None, timeout: int) -> list[dict[str, Any]]:
        """Long polling: updates as the JSON a webhook would receive, for the same parse()."""
        updates = await self._call(
            lambda: self._bot.get_updates(
                offset=offset, timeout=timeout, allowed_updates=list(ALLOWED_UPDATES)
            )
        )
        # to_json, not to_dict: plain JSON types (to_dict keeps PTB's enums and objects).
        return [json.loads(update.to_json()) for update in updates]

    async def close(self) -> None:
        """Close the HTTP clients; a later call opens them again."""
        async with self._lock:
            await self._bot.shutdown()
            self._ready = False

    async def _call(self, request: Callable[[], Awaitable[_T]]) -> _T:
        """Run one Bot API request, initializing the bot first, with errors classified."""
        try:
            await self._initialize()
            return await request()
        except tg.TelegramError as exc:
            raise self._classify(exc) from exc

    async def _initialize(self) -> None:
        # Bot.initialize opens the request clients and calls getMe once; PTB's own docs ask
        # for it before any request, and it is the place where a wrong token shows.
        if self._ready:
            return
        async with self._lock:
            if not self._ready:
                await self._bot.initialize()
                self._ready = True

    def _classify(self, exc: tg.TelegramError) -> TelegramError:
        message = str(exc).replace(self._token, "<token>") if self._token else str(exc)
        lowered = message.lower()
        if isinstance(exc, tg.RetryAfter):
            return TelegramError(message, permanent=False, retry_after=_seconds(exc))
        if isinstance(exc, tg.Forbidden):
            return TelegramError(message, permanent=True, blocked=True)
        if isinstance(exc, tg.BadRequest):
            return TelegramError(
                message,
                permanent=True,
                blocked="chat not found" in lowered,
                too_big="too big" in lowered,
            )
        if isinstance(exc, (tg.InvalidToken, tg.EndPointNotFound, tg.ChatMigrated, tg.Conflict)):
            return TelegramError(message, permanent=True)
        # TimedOut, NetworkError (502 included) and unreadable responses: try again later.
        return TelegramError(message, permanent=False)


def _seconds(exc: tg.RetryAfter) -> float:
    # An int (and a warning) if PTB_TIMEDELTA was set to false before us.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | dt.timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
