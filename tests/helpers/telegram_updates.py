"""Telegram updates as the Bot API posts them to a webhook (real JSON shapes), for tests."""

from __future__ import annotations

import time
from typing import Any

Json = dict[str, Any]
BOT_ID = 123456789
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "Guichet", "username": "guichet_test_bot"}


def chat_of(chat_id: int) -> Json:
    """The chat object: private for a resident, a group for a negative id."""
    if chat_id > 0:
        return {"id": chat_id, "first_name": "Camille", "type": "private"}
    return {
        "id": chat_id,
        "title": "Conseil de quartier",
        "type": "supergroup" if str(chat_id).startswith("-100") else "group",
    }


def _user(chat_id: int) -> Json:
    return {"id": chat_id, "is_bot": False, "first_name": "Camille", "language_code": "fr"}


def message_update(update_id: int, chat_id: int, key: str = "message", **fields: Any) -> Json:
    """An update carrying one message from a resident in a private chat."""
    message = {
        "message_id": update_id,
        "from": _user(chat_id),
        "chat": chat_of(chat_id),
        "date": int(time.time()),
        **fields,
    }
    return {"update_id": update_id, key: message}


def text_update(update_id: int, chat_id: int, text: str) -> Json:
    return message_update(update_id, chat_id, text=text)


def photo_update(
    update_id: int, chat_id: int, file_id: str, caption: str | None = None, file_size: int = 84_000
) -> Json:
    """A photo in three sizes, the largest being `file_id` (as Telegram orders them)."""
    sizes = [
        (f"{file_id}-s", file_size // 16, 90, 67),
        (f"{file_id}-m", file_size // 4, 320, 240),
        (file_id, file_size, 1280, 960),
    ]
    photo = [
        {"file_id": f, "file_unique_id": f"u{f[-10:]}", "file_size": s, "width": w, "height": h}
        for f, s, w, h in sizes
    ]
    extra = {"caption": caption} if caption is not None else {}
    return message_update(update_id, chat_id, photo=photo, **extra)


def location_update(update_id: int, chat_id: int, lat: float, lon: float) -> Json:
    return message_update(update_id, chat_id, location={"latitude": lat, "longitude": lon})


def callback_update(
    update_id: int, chat_id: int, data: str, callback_id: str | None = None
) -> Json:
    """A press on an inline button of one of the bot's messages."""
    bot_message = {
        "message_id": update_id - 1,
        "from": BOT_USER,
        "chat": chat_of(chat_id),
        "date": int(time.time()) - 5,
        "text": "Choisissez\u00a0:",
        "reply_markup": {"inline_keyboard": [[{"text": "Oui", "callback_data": data}]]},
    }
    query = {
        "id": callback_id or str(4_382_000_000_000_000_000 + update_id),
        "from": _user(chat_id),
        "message": bot_message,
        "chat_instance": "-5126493821456123789",
        "data": data,
    }
    return {"update_id": update_id, "callback_query": query}


def sticker_update(update_id: int, chat_id: int) -> Json:
    sticker = {
        "file_id": "CAACAgIAAxkBAAIC",
        "file_unique_id": "AgADtwADVp29Cg",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    return message_update(update_id, chat_id, sticker=sticker)


def edited_update(update_id: int, chat_id: int, text: str = "Bonjour") -> Json:
    return message_update(
        update_id, chat_id, "edited_message", text=text, edit_date=int(time.time())
    )


def channel_post_update(
    update_id: int, chat_id: int = -1001234567890, text: str = "Annonce"
) -> Json:
    post = {
        "message_id": update_id,
        "sender_chat": {"id": chat_id, "title": "Mairie", "type": "channel"},
        "chat": {"id": chat_id, "title": "Mairie", "type": "channel"},
        "date": int(time.time()),
        "text": text,
    }
    return {"update_id": update_id, "channel_post": post}
