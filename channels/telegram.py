"""Telegram channel without network: verify webhook calls, parse updates, render replies."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import telegram

from bot.typography import french
from channels.rest import Button, OutgoingMessage

CHANNEL = "telegram"
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64  # bytes, Bot API limit for InlineKeyboardButton.callback_data
CHOOSE = french("Choisissez :")

_HASH_MARK = "#"
_HASH_CHARS = 32
# A sentence ends at . ! ? or … followed by a space; French puts a thin space before ! and ?.
_SENTENCE_END = re.compile(r"[.!?…](?=\s)")
_SPACE = re.compile(r"\s")


def secret_valid(header: str | None, secret: str) -> bool:
    """Whether X-Telegram-Bot-Api-Secret-Token matches our secret (constant time)."""
    if not secret or header is None:
        return False
    return hmac.compare_digest(header.encode("utf-8"), secret.encode("utf-8"))


@dataclass(frozen=True)
class PhotoRef:
    """The largest size of a photo a resident sent; downloaded later with getFile."""

    file_id: str
    file_unique_id: str
    file_size: int | None


@dataclass(frozen=True)
class TelegramInbound:
    """What the gateway needs from one update: who wrote, and what."""

    update_id: int
    chat_id: int
    text: str | None
    location: tuple[float, float] | None
    photo: PhotoRef | None
    callback_query_id: str | None
    callback_data: str | None
    first_name: str | None


def update_id_of(data: object) -> int | None:
    """The update_id of a raw update, to drop duplicates before parsing it."""
    if not isinstance(data, Mapping):
        return None
    value = data.get("update_id")
    # bool is an int to Python, never to Telegram.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def parse(data: Mapping[str, Any]) -> TelegramInbound | None:
    """A message (text, photo, location) or a button press; None for anything else."""
    update_id = update_id_of(data)
    if update_id is None:
        return None
    try:
        update = telegram.Update.de_json(dict(data), None)
        if update.callback_query is not None:
            return _callback(update_id, update.callback_query)
        if update.message is not None:
            return _message(update_id, update.message)
    except Exception:  # a body Telegram never sends must not break the webhook
        return None
    return None


def _message(update_id: int, message: telegram.Message) -> TelegramInbound | None:
    photo = None
    if message.photo:
        largest = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        photo = PhotoRef(largest.file_id, largest.file_unique_id, largest.file_size)
    location = None
    if message.location is not None:
        location = (float(message.location.latitude), float(message.location.longitude))
    text = message.text or message.caption or None
    if text is None and photo is None and location is None:
        return None  # stickers, voice notes, documents, service messages
    user = message.from_user
    return TelegramInbound(
        update_id=update_id,
        chat_id=int(message.chat.id),
        text=text,
        location=location,
        photo=photo,
        callback_query_id=None,
        callback_data=None,
        first_name=user.first_name if user is not None else None,
    )


def _callback(update_id: int, query: telegram.CallbackQuery) -> TelegramInbound | None:
    # Game buttons carry no data; inline-mode buttons have no chat to answer in.
    if not query.data or query.message is None:
        return None
    return TelegramInbound(
        update_id=update_id,
        chat_id=int(query.message.chat.id),
        text=None,
        location=None,
        photo=None,
        callback_query_id=query.id,
        callback_data=query.data,
        first_name=query.from_user.first_name,
    )


def button_data(payload: str) -> str:
    """callback_data for a payload: itself when it fits in 64 bytes, else a marked hash."""
    size = len(payload.encode("utf-8"))
    if 0 < size <= MAX_CALLBACK_DATA and not payload.startswith(_HASH_MARK):
        return payload
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return _HASH_MARK + digest[:_HASH_CHARS]


def resolve_button(data: str, recent: Sequence[Button]) -> str | None:
    """The payload behind callback_data; None when the keyboard is no longer known."""
    if not data.startswith(_HASH_MARK):
        return data
    for button in recent:
        if button_data(button["payload"]) == data:
            return button["payload"]
    return None


@dataclass(frozen=True)
class TelegramReply:
    """One sendMessage: plain text and inline buttons as (title, callback_data)."""

    text: str
    buttons: tuple[tuple[str, str], ...] = ()


def render(replies: Sequence[OutgoingMessage]) -> list[TelegramReply]:
    """One Telegram message per reply, split when longer than Telegram allows."""
    rendered: list[TelegramReply] = []
    for reply in replies:
        text = reply.get("text") or ""
        image = reply.get("image")
        if image:
            # Telegram previews the first link of a message: the image shows under the text.
            text = f"{text}\n{image}" if text else image
        buttons = tuple(
            (button["title"].strip() or button["payload"], button_data(button["payload"]))
            for button in reply.get("buttons") or []
        )
        if not text.strip():
            if not buttons:
                continue
            text = CHOOSE
        pieces = split_text(text)  # never empty: text is not blank here
        rendered.extend(TelegramReply(piece) for piece in pieces[:-1])
        rendered.append(TelegramReply(pieces[-1], buttons))
    return rendered


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line, sentence or word."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut(rest[: limit + 1], limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut(window: str, limit: int) -> int:
    """Where to end a piece inside `window` (the next piece starts there)."""
    paragraph = window.rfind("\n\n", 0, limit)
    candidates = [
        paragraph + 2 if paragraph >= 0 else 0,
        window.rfind("\n", 0, limit) + 1,
        max((m.end() for m in _SENTENCE_END.finditer(window, 0, limit)), default=0),
        max((m.start() for m in _SPACE.finditer(window, 0, limit + 1)), default=0),
    ]
    # Prefer the strongest boundary unless it leaves a piece less than half full.
    for position in candidates:
        if position > limit // 2:
            return position
    return max((p for p in candidates if 0 < p <= limit), default=limit)
