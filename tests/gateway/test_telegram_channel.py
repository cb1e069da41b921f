"""Telegram end to end: real update JSON posted to the real gateway's webhook, replies and
notices out to a fake Bot API that speaks Telegram's protocol."""

from __future__ import annotations

import io
import random
import re
import time
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.commune import load_commune
from bot.inbox import InboundRow
from bot.reports import ReportStore, Status, commune_notices
from bot.settings import ROOT
from tests.helpers import fake_telegram as tg
from tests.helpers.channels import telegram_post, until

pytestmark = pytest.mark.stack
REFERENCE = re.compile(r"\b(SIG-[A-Z0-9]{4})\b")
CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
_updates = iter(range(random.randint(10_000, 90_000) * 1000, 10**12))


class Chat:
    """One resident's private chat with the bot."""

    def __init__(self, gateway: httpx.Client, fake: tg.FakeTelegram) -> None:
        self.id = random.randint(10**8, 10**9)
        self.gateway, self.fake = gateway, fake
        self.seen = 0

    def received(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.sent if m["chat_id"] == self.id]

    def post(self, update: dict[str, Any]) -> httpx.Response:
        response = telegram_post(self.gateway, update)
        assert response.status_code == 200, response.text
        return response

    def send(self, make: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        update: dict[str, Any] = make(next(_updates), self.id, *args, **kwargs)
        self.post(update)
        return update

    def reply(self) -> list[dict[str, Any]]:
        until(lambda: self.received()[self.seen :], what="a Telegram reply")
        count = len(self.received())
        while True:  # a turn may be several messages
            time.sleep(0.5)
            if len(self.received()) == count:
                break
            count = len(self.received())
        new = self.received()[self.seen : count]
        self.seen = count
        return new


def text_of(messages: list[dict[str, Any]]) -> str:
    return "\n".join(str(m["text"]) for m in messages)


def buttons_of(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = (messages[-1].get("reply_markup") or {}).get("inline_keyboard") or []
    return [button for row in rows for button in row]


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 90, 90)).save(out, "JPEG")
    return out.getvalue()


def test_a_streetlight_reported_on_telegram_with_photo_and_position_up_to_fixed(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram, stack_engine: Engine
) -> None:
    chat = Chat(gateway, fake_telegram)
    chat.send(tg.text_update, "Le lampadaire au bout du chemin ne s'allume plus depuis hier")
    assert "rue" in text_of(chat.reply()).lower()
    chat.send(tg.location_update, 48.8545, 2.3968)  # chemin du Stade
    asked = chat.reply()
    assert "photo" in text_of(asked).lower()
    assert [b["text"] for b in buttons_of(asked)] == ["Pas de photo"]
    chat.send(tg.photo_update, fake_telegram.add_file(jpeg()), caption=None)
    summary = chat.reply()
    assert "avec une photo" in text_of(summary)
    yes = next(b for b in buttons_of(summary) if b["text"].startswith("Oui"))
    chat.send(tg.callback_update, yes["callback_data"])
    filed = text_of(chat.reply())
    found = REFERENCE.search(filed)
    assert found is not None, filed
    reference = found.group(1)
    assert fake_telegram.callbacks_answered, "the button press was answered (no spinner)"
    store = ReportStore(
        stack_engine,
        lambda: CLAIRVAL.data.signalements,
        notices=commune_notices(lambda: CLAIRVAL),
    )
    report = store.get(reference)
    assert report.photo_key is not None and report.lat == pytest.approx(48.8545)
    store.change(reference, Status.ACKNOWLEDGED, by="agent:test")
    store.change(reference, Status.RESOLVED, by="agent:test", comment="ampoule changée")
    fixed = until(
        lambda: [m for m in chat.received()[chat.seen :] if "réparé" in str(m["text"])],
        what="the 'fixed' notice on Telegram",
    )
    assert reference in str(fixed[0]["text"])


def test_the_webhook_refuses_a_wrong_or_missing_secret(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram
) -> None:
    update = tg.text_update(next(_updates), 4242, "bonjour")
    assert telegram_post(gateway, update, secret=None).status_code == 403
    assert telegram_post(gateway, update, secret="pas-le-bon").status_code == 403
    assert telegram_post(gateway, update, secret="").status_code == 403


def test_the_same_update_twice_is_processed_once(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram, stack_engine: Engine
) -> None:
    chat = Chat(gateway, fake_telegram)
    update = chat.send(tg.text_update, "Quels sont les horaires de la mairie ?")
    assert chat.post(update).json()["outcome"] == "duplicate"
    assert "lundi" in text_of(chat.reply()).lower()
    time.sleep(1.0)
    assert len(chat.received()) == chat.seen  # no second answer
    with Session(stack_engine) as session:
        rows = session.scalars(
            select(InboundRow).where(
                InboundRow.channel == "telegram",
                InboundRow.message_id == str(update["update_id"]),
            )
        ).all()
        assert [row.status for row in rows] == ["done"]


def test_other_update_types_are_acknowledged_and_ignored(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram
) -> None:
    chat = Chat(gateway, fake_telegram)
    for make in (tg.sticker_update, tg.edited_update, tg.channel_post_update):
        assert chat.send(make) is not None
    garbages: list[object] = [{"update_id": 1}, {"message": "x"}, [], "texte"]
    for garbage in garbages:
        response = telegram_post(gateway, garbage)  # type: ignore[arg-type]
        assert response.status_code == 200
        assert response.json()["outcome"] == "ignored"
    time.sleep(1.0)
    assert chat.received() == []


def test_a_photo_over_the_limit_is_refused_in_french_without_downloading(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram
) -> None:
    chat = Chat(gateway, fake_telegram)
    huge = fake_telegram.add_file(b"\xff\xd8 not really", file_size=25 * 1024 * 1024)
    chat.send(tg.photo_update, huge, file_size=25 * 1024 * 1024)
    said = text_of(chat.reply())
    assert "trop lourde" in said


def test_a_press_on_a_button_no_longer_offered_is_told(
    gateway: httpx.Client, fake_telegram: tg.FakeTelegram
) -> None:
    chat = Chat(gateway, fake_telegram)
    chat.send(tg.callback_update, "#" + "0" * 32)
    assert "plus proposé" in text_of(chat.reply())
    assert fake_telegram.callbacks_answered
