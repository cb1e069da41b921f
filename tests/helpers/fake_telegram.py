"""A fake Telegram Bot API on 127.0.0.1 speaking the real HTTP protocol, with update builders."""

from __future__ import annotations

import argparse
import base64
import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.helpers.telegram_updates import (
    BOT_ID,
    BOT_USER,
    Json,
    callback_update,
    channel_post_update,
    chat_of,
    edited_update,
    location_update,
    message_update,
    photo_update,
    sticker_update,
    text_update,
)

TOKEN = f"{BOT_ID}:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw4"
TELEGRAM_MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files
# PTB posts form fields whose values are JSON-encoded unless they are strings.
_INT_FIELDS = {"chat_id", "offset", "limit", "timeout", "cache_time", "max_connections"}
_JSON_FIELDS = {"reply_markup", "allowed_updates", "entities", "link_preview_options"}
_BOOL_FIELDS = {"drop_pending_updates", "show_alert", "disable_notification"}


class _ApiError(Exception):
    def __init__(self, status: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.parameters = status, description, parameters


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


class FakeTelegram:
    """Records what the bot sends and serves what a test queues; faults on demand."""

    def __init__(self, token: str = TOKEN, port: int = 0, record: Path | None = None) -> None:
        self.token, self.port, self.record = token, port, record
        self.url = ""
        self.calls: list[Json] = []
        self.sent: list[Json] = []
        self.callbacks_answered: list[Json] = []
        self.webhook: Json | None = None
        self._cond = threading.Condition()
        self._updates: list[Json] = []
        self._files: dict[str, tuple[bytes, int | None, str]] = {}
        self._blocked: set[int] = set()
        self._unknown: set[int] = set()
        self._expired: set[str] = set()
        self._faults: list[tuple[str | None, _ApiError]] = []
        self._ids = itertools.count(1)
        self._stopping = False
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle
    def start(self) -> FakeTelegram:
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()  # wake long polls
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
        self._server = self._thread = None

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what tests set up
    def queue_update(self, update: Json) -> None:
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()

    def add_file(self, content: bytes, file_size: int | None = None) -> str:
        with self._cond:
            n = next(self._ids)
            file_id = f"AgACAgQAAxkBAAIB{n:06d}"
            self._files[file_id] = (content, file_size, f"photos/file_{n}.jpg")
        return file_id

    def block(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unknown_chat(self, chat_id: int) -> None:
        self._unknown.add(chat_id)

    def expire_callback(self, callback_query_id: str) -> None:
        self._expired.add(callback_query_id)

    def throttle_next(
        self, count: int, retry_after: int = 1, method: str | None = "sendMessage"
    ) -> None:
        """The next `count` calls of `method` (None: any but getMe) get 429 Too Many Requests."""
        error = _ApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )
        with self._cond:
            self._faults.extend([(method, error)] * count)

    def fail_next(self, count: int, status: int = 502, method: str | None = "sendMessage") -> None:
        error = _ApiError(status, HTTPStatus(status).phrase)
        with self._cond:
            self._faults.extend([(method, error)] * count)

    # -- what tests read
    def wait_for(self, count: int, timeout: float = 5.0) -> list[Json]:
        """The sent messages once there are at least `count` of them."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self.sent) >= count, timeout):
                raise AssertionError(
                    f"{len(self.sent)} messages sent, {count} expected: {self.sent}"
                )
            return list(self.sent)

    def per_chat_violations(self, min_interval: float = 1.0) -> list[tuple[int, float]]:
        last: dict[int, float] = {}
        violations = []
        for message in self.sent:
            chat, at = message["chat_id"], message["at"]
            if chat in last and at - last[chat] < min_interval:
                violations.append((chat, at - last[chat]))
            last[chat] = at
        return violations

    def max_per_second(self) -> int:
        times = sorted(m["at"] for m in self.sent)
        best, start = 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= 1.0:
                start += 1
            best = max(best, end - start + 1)
        return best

    # -- the protocol
    def handle(
        self, verb: str, target: str, content_type: str | None, body: bytes
    ) -> tuple[int, str, bytes]:
        """One HTTP request: (status, content type, body)."""
        url = urlsplit(target)
        path = unquote(url.path)
        if path.startswith("/file/bot"):
            return self._download(path.removeprefix("/file/bot"))
        token, _, method = path.removeprefix("/bot").partition("/")
        status = 200
        reply: Json = {"ok": True, "result": None}
        params: Json = {}
        try:
            if path.startswith("/_fake/"):
                reply["result"] = self._control(path.removeprefix("/_fake/"), body)
                return status, "application/json", json.dumps(reply).encode()
            if not path.startswith("/bot"):
                raise _ApiError(404, "Not Found")
            if token != self.token:
                raise _ApiError(401, "Unauthorized")
            handler = _METHODS.get(method.lower())
            if handler is None:
                raise _ApiError(404, "Not Found")
            params = _params(url.query, content_type, body)
            self._fault(method)
            reply["result"] = handler(self, params)
        except _ApiError as error:
            status = error.status
            reply = {"ok": False, "error_code": error.status, "description": error.description}
            if error.parameters:
                reply["parameters"] = error.parameters
        if not path.startswith("/_fake/"):
            self._log(
                {
                    "verb": verb,
                    "method": method,
                    "params": params,
                    "status": status,
                    "description": reply.get("description"),
                }
            )
        return status, "application/json", json.dumps(reply).encode()

    def _fault(self, method: str) -> None:
        with self._cond:
            for i, (wanted, error) in enumerate(self._faults):
                if wanted == method or (wanted is None and method != "getMe"):
                    del self._faults[i]
                    raise error

    def _log(self, call: Json) -> None:
        call["at"] = time.time()
        with self._cond:
            self.calls.append(call)
            if self.record is not None:
                with self.record.open("a", encoding="utf-8") as out:
                    out.write(json.dumps(call, default=lambda b: f"<{len(b)} bytes>") + "\n")

    def _download(self, rest: str) -> tuple[int, str, bytes]:
        token, _, file_path = rest.partition("/")
        found = [c for c, _, p in self._files.values() if p == file_path]
        ok = token == self.token and bool(found)
        self._log(
            {
                "verb": "GET",
                "method": "file",
                "params": {"file_path": file_path},
                "status": 200 if ok else 404,
            }
        )
        if not ok:
            return (
                404,
                "application/json",
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
            )
        return 200, "application/octet-stream", found[0]

    def _control(self, action: str, body: bytes) -> Any:
        """For a fake run as its own process: POST /_fake/<action> with JSON arguments."""
        args = json.loads(body or b"{}")
        if action == "queue_update":
            return self.queue_update(args)
        if action == "add_file":
            return self.add_file(base64.b64decode(args["content_base64"]), args.get("file_size"))
        if action == "state":
            return {
                "sent": self.sent,
                "callbacks_answered": self.callbacks_answered,
                "webhook": self.webhook,
            }
        if action in {"block", "unknown_chat", "expire_callback", "throttle_next", "fail_next"}:
            return getattr(self, action)(**args)
        raise _ApiError(404, "Not Found")

    def _chat_ok(self, params: Json) -> int:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise _bad("chat_id is empty")
        if not isinstance(chat_id, int):
            raise _bad("chat not found")
        if chat_id in self._blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self._unknown:
            raise _bad("chat not found")
        return chat_id

    def _get_me(self, params: Json) -> Json:
        return {
            **BOT_USER,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _send_message(self, params: Json) -> Json:
        chat_id = self._chat_ok(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("message text is empty")
        if len(text) > 4096:
            raise _bad("message is too long")
        markup = _markup(params.get("reply_markup"))
        message = {
            "message_id": next(self._ids),
            "from": BOT_USER,
            "chat": chat_of(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if markup is not None:
            message["reply_markup"] = markup
        with self._cond:
            self.sent.append(
                {
                    "chat_id": chat_id,
                    "text": text,
                    "reply_markup": markup,
                    "at": time.time(),
                    "message_id": message["message_id"],
                }
            )
            self._cond.notify_all()
        return message

    def _answer_callback(self, params: Json) -> bool:
        query_id = params.get("callback_query_id")
        if not query_id:
            raise _bad("QUERY_ID_INVALID")
        if query_id in self._expired:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self.callbacks_answered.append(
            {"callback_query_id": query_id, "text": params.get("text"), "at": time.time()}
        )
        return True

    def _get_file(self, params: Json) -> Json:
        file_id = str(params.get("file_id") or "")
        if file_id not in self._files:
            raise _bad("invalid file_id")
        content, claimed, file_path = self._files[file_id]
        size = len(content) if claimed is None else claimed
        if size > TELEGRAM_MAX_DOWNLOAD:
            raise _bad("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id[-8:]}",
            "file_size": size,
            "file_path": file_path,
        }

    def _set_webhook(self, params: Json) -> bool:
        secret = params.get("secret_token")
        if secret is not None and not (
            isinstance(secret, str)
            and 0 < len(secret) <= 256
            and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
        ):
            raise _bad("secret token contains unallowed characters")
        url = params.get("url") or ""
        self.webhook = (
            {
                "url": url,
                "secret_token": secret,
                "allowed_updates": params.get("allowed_updates"),
                "drop_pending_updates": params.get("drop_pending_updates"),
            }
            if url
            else None
        )
        return True

    def _delete_webhook(self, params: Json) -> bool:
        with self._cond:
            self.webhook = None
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    def _webhook_info(self, params: Json) -> Json:
        info: Json = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook and self.webhook["allowed_updates"]:
            info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    def _get_updates(self, params: Json) -> list[Json]:
        if self.webhook is not None:
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset, limit = int(params.get("offset") or 0), int(params.get("limit") or 100)
        with self._cond:
            # Asking from `offset` confirms every earlier update: Telegram forgets them.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._cond.wait_for(
                lambda: bool(self._updates) or self._stopping, float(params.get("timeout") or 0)
            )
            return list(self._updates[:limit])


_METHODS: dict[str, Callable[[FakeTelegram, Json], Any]] = {
    "getme": FakeTelegram._get_me,
    "sendmessage": FakeTelegram._send_message,
    "answercallbackquery": FakeTelegram._answer_callback,
    "getfile": FakeTelegram._get_file,
    "setwebhook": FakeTelegram._set_webhook,
    "deletewebhook": FakeTelegram._delete_webhook,
    "getwebhookinfo": FakeTelegram._webhook_info,
    "getupdates": FakeTelegram._get_updates,
}


def _params(query: str, content_type: str | None, body: bytes) -> Json:
    """Query string and body (JSON, form or multipart, as Bot API clients send them)."""
    media = (content_type or "").split(";")[0].strip().lower()
    raw: Json = dict(parse_qsl(query))
    if media == "application/json" and body:
        try:
            return {**raw, **json.loads(body)}
        except (ValueError, TypeError):
            raise _bad("can't parse JSON object") from None
    if media == "application/x-www-form-urlencoded":
        raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif media == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                raw[name] = payload if part.get_filename() else payload.decode("utf-8")
    return {key: _typed(key, value) for key, value in raw.items()}


def _typed(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in _BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def _markup(markup: Any) -> Json | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboards and the like: accepted as they are
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad('can\'t parse inline keyboard button: field "inline_keyboard" must be an Array')
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not button.get("text"):
            raise _bad("can't parse inline keyboard button: Text must be non-empty")
        data = button.get("callback_data")
        if data is None and "url" not in button:
            raise _bad(
                "can't parse inline keyboard button: "
                "Text buttons are unallowed in the inline keyboard"
            )
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
            raise _bad("BUTTON_DATA_INVALID")
    return markup


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeTelegram


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, content_type, payload = self.server.fake.handle(
            self.command, self.path, self.headers.get("Content-Type"), body
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # tests read `calls`, not stderr


def main(argv: list[str] | None = None) -> None:
    """Serve until killed, appending every call to --record as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", default=TOKEN)
    parser.add_argument("--record", type=Path)
    args = parser.parse_args(argv)
    fake = FakeTelegram(args.token, args.port, args.record).start()
    print(f"fake Telegram Bot API on {fake.url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()


# The update builders, re-exported: tests build updates and run the fake from one import.
__all__ = [
    "BOT_ID",
    "BOT_USER",
    "TOKEN",
    "FakeTelegram",
    "callback_update",
    "channel_post_update",
    "edited_update",
    "location_update",
    "message_update",
    "photo_update",
    "sticker_update",
    "text_update",
]
