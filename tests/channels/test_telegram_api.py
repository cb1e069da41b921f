from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from bot.settings import ROOT
from channels.telegram import TelegramReply, button_data, parse
from channels.telegram_api import TelegramError, TelegramSender
from tests.helpers.fake_telegram import (
    TOKEN,
    FakeTelegram,
    callback_update,
    location_update,
    photo_update,
    text_update,
)
from tests.helpers.stack import free_port

CHAT = 555000111
T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coroutine)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


def sender_for(fake: FakeTelegram, token: str | None = None) -> TelegramSender:
    return TelegramSender(token or fake.token, api_base_url=fake.url, timeout=5.0)


async def sending(sender: TelegramSender, *calls: Coroutine[Any, Any, Any]) -> list[Any]:
    """Run calls one after the other, then close the sender, whatever happened."""
    try:
        return [await call for call in calls]
    finally:
        for call in calls:
            call.close()  # those left unawaited after a failure
        await sender.close()


def methods(fake: FakeTelegram) -> list[str]:
    return [call["method"] for call in fake.calls]


def failure(fake: FakeTelegram, call: Any, token: str | None = None) -> TelegramError:
    async def attempt() -> TelegramError:
        sender = sender_for(fake, token)
        try:
            await call(sender)
        except TelegramError as exc:
            return exc
        finally:
            await sender.close()
        raise AssertionError("no TelegramError")

    return run(attempt())


def test_the_token_looks_like_a_real_one() -> None:
    bot_id, _, secret = TOKEN.partition(":")
    assert bot_id.isdigit() and secret.startswith("AA") and len(secret) == 35


def test_send_with_an_inline_keyboard_as_telegram_receives_it(fake: FakeTelegram) -> None:
    long_payload = "/book" + "x" * 100
    reply = TelegramReply(
        "Voulez-vous réserver ?", (("Oui", "/affirm"), ("Réserver", button_data(long_payload)))
    )
    sender = sender_for(fake)
    first, second = run(
        sending(sender, sender.send(CHAT, reply), sender.send(str(CHAT), TelegramReply("Merci")))
    )
    assert [m["message_id"] for m in fake.sent] == [first, second]
    assert fake.sent[0]["chat_id"] == CHAT and fake.sent[1]["chat_id"] == CHAT
    assert fake.sent[0]["text"] == "Voulez-vous réserver ?"
    assert fake.sent[0]["reply_markup"] == {
        "inline_keyboard": [
            [{"text": "Oui", "callback_data": "/affirm"}],
            [{"text": "Réserver", "callback_data": button_data(long_payload)}],
        ]
    }
    assert fake.sent[1]["reply_markup"] is None
    assert methods(fake) == ["getMe", "sendMessage", "sendMessage"]  # initialized once, lazily


def test_concurrent_first_calls_initialize_once(fake: FakeTelegram) -> None:
    async def burst() -> list[int]:
        sender = sender_for(fake)
        try:
            return await asyncio.gather(
                *(sender.send(CHAT + i, TelegramReply(f"n°{i}")) for i in range(5))
            )
        finally:
            await sender.close()

    ids = run(burst())
    assert len(set(ids)) == 5
    assert methods(fake).count("getMe") == 1
    assert sorted(m["chat_id"] for m in fake.sent) == [CHAT + i for i in range(5)]


def test_a_closed_sender_opens_again(fake: FakeTelegram) -> None:
    sender = sender_for(fake)
    run(sending(sender, sender.send(CHAT, TelegramReply("un"))))
    run(sending(sender, sender.send(CHAT, TelegramReply("deux"))))
    assert [m["text"] for m in fake.sent] == ["un", "deux"]


def test_answer_callback_including_a_query_too_old(fake: FakeTelegram) -> None:
    fake.expire_callback("old-query")
    sender = sender_for(fake)
    run(
        sending(
            sender,
            sender.answer_callback("4382bfdwdsb323b2d9"),
            sender.answer_callback("old-query"),
        )
    )
    assert [c["callback_query_id"] for c in fake.callbacks_answered] == ["4382bfdwdsb323b2d9"]
    assert [c["status"] for c in fake.calls if c["method"] == "answerCallbackQuery"] == [200, 400]


def test_answer_callback_still_reports_a_network_failure(fake: FakeTelegram) -> None:
    fake.fail_next(1, status=502, method="answerCallbackQuery")
    error = failure(fake, lambda s: s.answer_callback("q"))
    assert not error.permanent


def test_download_a_photo(fake: FakeTelegram) -> None:
    content = bytes(range(256)) * 40
    file_id = fake.add_file(content)
    sender = sender_for(fake)
    (data,) = run(sending(sender, sender.download(file_id, max_bytes=len(content))))
    assert data == content


def test_a_file_said_too_big_is_refused_before_downloading(fake: FakeTelegram) -> None:
    file_id = fake.add_file(b"tiny", file_size=10 * 1024 * 1024)
    error = failure(fake, lambda s: s.download(file_id, max_bytes=5 * 1024 * 1024))
    assert error.too_big and error.permanent
    assert "file" not in methods(fake)


def test_a_25_mb_file_is_refused_by_telegram_itself(fake: FakeTelegram) -> None:
    file_id = fake.add_file(b"tiny", file_size=25 * 1024 * 1024)
    error = failure(fake, lambda s: s.download(file_id, max_bytes=50 * 1024 * 1024))
    assert error.too_big and error.permanent
    assert "file" not in methods(fake)
    error = failure(fake, lambda s: s.download(file_id, max_bytes=10 * 1024 * 1024))
    assert error.too_big and error.permanent


def test_a_file_bigger_than_it_said_is_refused_after_reading(fake: FakeTelegram) -> None:
    file_id = fake.add_file(b"x" * 2000, file_size=100)
    error = failure(fake, lambda s: s.download(file_id, max_bytes=1000))
    assert error.too_big and error.permanent
    assert "file" in methods(fake)


def test_an_unknown_file_is_a_permanent_failure(fake: FakeTelegram) -> None:
    error = failure(fake, lambda s: s.download("nope", max_bytes=1000))
    assert error.permanent and not error.too_big


def test_set_webhook_records_the_secret_and_blocks_polling(fake: FakeTelegram) -> None:
    sender = sender_for(fake)
    run(
        sending(
            sender, sender.set_webhook("https://guichet.example.org/telegram", "s3cr3t-Token_42")
        )
    )
    assert fake.webhook == {
        "url": "https://guichet.example.org/telegram",
        "secret_token": "s3cr3t-Token_42",
        "allowed_updates": ["message", "callback_query"],
        "drop_pending_updates": False,
    }
    error = failure(fake, lambda s: s.get_updates(None, 0))
    assert error.permanent and "webhook is active" in error.args[0]
    run(sending(sender, sender.delete_webhook()))
    assert fake.webhook is None


def test_a_secret_telegram_refuses_is_a_permanent_failure(fake: FakeTelegram) -> None:
    error = failure(fake, lambda s: s.set_webhook("https://guichet.example.org/t", "pas de ça"))
    assert error.permanent and fake.webhook is None


def test_get_updates_with_offset_goes_through_the_same_parse(fake: FakeTelegram) -> None:
    fake.queue_update(text_update(1, CHAT, "Bonjour"))
    fake.queue_update(photo_update(2, CHAT, "AgACPhoto", caption="Dépôt sauvage", file_size=90_000))
    fake.queue_update(location_update(3, CHAT, 45.75, 4.85))
    fake.queue_update(callback_update(4, CHAT, "/affirm", callback_id="cb4"))
    sender = sender_for(fake)
    everything, rest, nothing = run(
        sending(
            sender, sender.get_updates(None, 0), sender.get_updates(3, 0), sender.get_updates(5, 0)
        )
    )
    assert [u["update_id"] for u in everything] == [1, 2, 3, 4]
    assert [u["update_id"] for u in rest] == [3, 4]
    assert nothing == []
    json.dumps(everything)  # plain JSON, as a webhook body
    parsed = [parse(u) for u in everything]
    assert parsed[0] is not None and parsed[0].text == "Bonjour"
    assert (
        parsed[1] is not None
        and parsed[1].photo is not None
        and parsed[1].photo.file_size == 90_000
    )
    assert parsed[1].text == "Dépôt sauvage"
    assert parsed[2] is not None and parsed[2].location == (45.75, 4.85)
    assert parsed[3] is not None and (parsed[3].callback_query_id, parsed[3].callback_data) == (
        "cb4",
        "/affirm",
    )
    polls = [c for c in fake.calls if c["method"] == "getUpdates"]
    assert polls[0]["params"]["allowed_updates"] == ["message", "callback_query"]


def test_long_polling_waits_for_the_next_update(fake: FakeTelegram) -> None:
    sender = sender_for(fake)
    later = threading.Timer(0.5, fake.queue_update, [text_update(9, CHAT, "Enfin")])
    started = time.monotonic()
    later.start()
    (updates,) = run(sending(sender, sender.get_updates(None, 5)))
    waited = time.monotonic() - started
    later.join()
    assert [u["update_id"] for u in updates] == [9]  # an empty answer would have no update
    assert waited < 3  # answered when the update came, not at the end of the timeout


def test_a_blocked_bot_is_a_permanent_blocked_failure(fake: FakeTelegram) -> None:
    fake.block(CHAT)
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("Rappel")))
    assert error.blocked and error.permanent and error.retry_after is None
    assert fake.sent == []


def test_a_chat_not_found_counts_as_blocked(fake: FakeTelegram) -> None:
    fake.unknown_chat(CHAT)
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("Rappel")))
    assert error.blocked and error.permanent


def test_flood_control_gives_retry_after(fake: FakeTelegram) -> None:
    fake.throttle_next(1, retry_after=3)
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("Rappel")))
    assert error.retry_after == 3.0 and not error.permanent and not error.blocked
    sender = sender_for(fake)
    run(sending(sender, sender.send(CHAT, TelegramReply("Rappel"))))  # the next one goes through
    assert [m["text"] for m in fake.sent] == ["Rappel"]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_are_transient(fake: FakeTelegram, status: int) -> None:
    fake.fail_next(1, status=status)
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("Rappel")))
    assert not error.permanent and not error.blocked


def test_an_unreachable_api_is_transient() -> None:
    sender = TelegramSender(TOKEN, api_base_url=f"http://127.0.0.1:{free_port()}", timeout=2.0)

    async def attempt() -> TelegramError:
        with pytest.raises(TelegramError) as caught:
            await sending(sender, sender.send(CHAT, TelegramReply("Rappel")))
        return caught.value

    error = run(attempt())
    assert not error.permanent


def test_a_message_telegram_refuses_is_permanent(fake: FakeTelegram) -> None:
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("x" * 4097)))
    assert error.permanent and not error.blocked and "too long" in error.args[0]


def test_a_wrong_token_is_permanent_and_not_logged(fake: FakeTelegram) -> None:
    wrong = "987654321:AAwrongwrongwrongwrongwrongwrongwro"
    error = failure(fake, lambda s: s.send(CHAT, TelegramReply("Rappel")), token=wrong)
    assert error.permanent and not error.blocked
    assert wrong not in str(error)
    assert [c["status"] for c in fake.calls] == [401]
    with pytest.raises(TelegramError) as caught:
        TelegramSender("")
    assert caught.value.permanent


def test_the_fake_measures_pace(fake: FakeTelegram) -> None:
    sender = sender_for(fake)
    run(
        sending(
            sender,
            *(sender.send(CHAT, TelegramReply(str(i))) for i in range(3)),
            sender.send(CHAT + 1, TelegramReply("x")),
        )
    )
    assert fake.wait_for(4, timeout=1) == fake.sent
    assert [chat for chat, _ in fake.per_chat_violations(1.0)] == [CHAT, CHAT]
    assert fake.per_chat_violations(0.0) == []
    assert fake.max_per_second() == 4
    with pytest.raises(AssertionError):
        fake.wait_for(5, timeout=0.1)


def test_the_fake_speaks_json_form_and_multipart_like_the_real_api(fake: FakeTelegram) -> None:
    api = f"{fake.url}/bot{fake.token}"
    with httpx.Client() as client:
        by_json = client.post(f"{api}/sendMessage", json={"chat_id": CHAT, "text": "json"})
        by_query = client.get(f"{api}/sendMessage", params={"chat_id": CHAT, "text": "query"})
        by_multipart = client.post(
            f"{api}/sendMessage",
            data={"chat_id": str(CHAT), "text": "multipart"},
            files={"x": b"1"},
        )
        bad_button = client.post(
            f"{api}/sendMessage",
            json={
                "chat_id": CHAT,
                "text": "b",
                "reply_markup": {"inline_keyboard": [[{"text": "t", "callback_data": "d" * 65}]]},
            },
        )
        empty = client.post(f"{api}/sendMessage", json={"chat_id": CHAT, "text": " "})
        wrong_token = client.post(f"{fake.url}/bot{TOKEN[:-1]}x/getMe")
        unknown = client.post(f"{api}/sendTelepathy")
        info = client.get(f"{api}/getWebhookInfo")
    for response in (by_json, by_query, by_multipart):
        assert response.status_code == 200
        message = response.json()["result"]
        assert message["from"]["is_bot"] and message["chat"] == {
            "id": CHAT,
            "first_name": "Camille",
            "type": "private",
        }
        assert isinstance(message["date"], int) and message["message_id"] > 0
    assert [m["text"] for m in fake.sent] == ["json", "query", "multipart"]
    assert bad_button.json() == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: BUTTON_DATA_INVALID",
    }
    assert empty.json()["description"] == "Bad Request: message text is empty"
    assert wrong_token.status_code == 401
    assert wrong_token.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert info.json() == {
        "ok": True,
        "result": {"url": "", "has_custom_certificate": False, "pending_update_count": 0},
    }


def test_the_fake_runs_as_its_own_process_and_records_calls(tmp_path: Path) -> None:
    port, record = free_port(), tmp_path / "calls.jsonl"
    command = [sys.executable, "-m", "tests.helpers.fake_telegram", "--port", str(port)]
    command += ["--token", TOKEN, "--record", str(record)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            assert f"127.0.0.1:{port}" in process.stdout.readline()
            url = f"http://127.0.0.1:{port}"
            update = text_update(1, CHAT, "Salut")
            httpx.post(f"{url}/_fake/queue_update", json=update).raise_for_status()
            httpx.post(f"{url}/_fake/block", json={"chat_id": CHAT + 1}).raise_for_status()
            sender = TelegramSender(TOKEN, api_base_url=url)
            updates, message_id = run(
                sending(
                    sender, sender.get_updates(None, 0), sender.send(CHAT, TelegramReply("Oui"))
                )
            )
            blocked = failure_at(url, CHAT + 1)
            state = httpx.post(f"{url}/_fake/state").json()["result"]
        finally:
            process.terminate()
    assert [u["update_id"] for u in updates] == [1] and message_id > 0
    assert blocked.blocked
    assert [m["text"] for m in state["sent"]] == ["Oui"]
    calls = [json.loads(line) for line in record.read_text().splitlines()]
    assert [c["method"] for c in calls] == [
        "getMe",
        "getUpdates",
        "sendMessage",
        "getMe",
        "sendMessage",
    ]
    assert calls[2]["params"] == {"chat_id": CHAT, "text": "Oui"} and calls[2]["status"] == 200
    assert calls[4]["status"] == 403


def failure_at(url: str, chat_id: int) -> TelegramError:
    sender = TelegramSender(TOKEN, api_base_url=url)
    with pytest.raises(TelegramError) as caught:
        run(sending(sender, sender.send(chat_id, TelegramReply("Non"))))
    return caught.value
