"""A fake Twilio REST API on 127.0.0.1 that the real twilio library talks to unchanged."""

from __future__ import annotations

import argparse
import base64
import json
import re
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlencode, urlsplit

from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from bot.gsm import segments

API = "/2010-04-01"
DEFAULT_NUMBER = "+33757000001"  # the commune's Twilio number in tests
_MESSAGES = re.compile(rf"^{API}/Accounts/([^/]+)/Messages\.json$")
_MEDIA = re.compile(rf"^{API}/Accounts/([^/]+)/Messages/MM[0-9a-f]{{32}}/Media/(ME[0-9a-f]{{32}})$")
_CDN = re.compile(r"^/_cdn/(ME[0-9a-f]{32})$")
Reply = tuple[int, dict[str, str], bytes]


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """The X-Twilio-Signature Twilio would send for this webhook URL and form."""
    signature: str = RequestValidator(auth_token).compute_signature(url, dict(params))
    return signature


def inbound_params(
    from_: str,
    body: str,
    *,
    account_sid: str | None = None,
    to: str = DEFAULT_NUMBER,
    media_urls: Sequence[str] = (),
    media_types: Sequence[str] = (),
    message_sid: str | None = None,
    messaging_service_sid: str | None = None,
) -> dict[str, str]:
    """The exact form Twilio posts to an incoming-message webhook."""
    sid = message_sid or ("MM" if media_urls else "SM") + secrets.token_hex(16)
    params = dict.fromkeys(("ToState", "ToCity", "ToZip", "FromState", "FromCity", "FromZip"), "")
    params |= {
        "ToCountry": "FR" if to.startswith("+33") else "US",
        "FromCountry": "FR" if from_.startswith("+33") else "US",
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "MessageSid": sid,
        "SmsStatus": "received",
        "NumMedia": str(len(media_urls)),
        "ReferralNumMedia": "0",
        "NumSegments": str(segments(body)),
        "Body": body,
        "To": to,
        "From": from_,
        "AccountSid": account_sid or "AC" + secrets.token_hex(16),
        "ApiVersion": "2010-04-01",
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    for index, url in enumerate(media_urls):
        params[f"MediaUrl{index}"] = url
        kinds = list(media_types)
        params[f"MediaContentType{index}"] = kinds[index] if index < len(kinds) else "image/jpeg"
    return params


def _json(status: int, document: object, **headers: str) -> Reply:
    body = json.dumps(document).encode()
    return status, {"Content-Type": "application/json; charset=utf-8", **headers}, body


def _error(status: int, code: int, message: str, **headers: str) -> Reply:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    document = {"code": code, "message": message, "more_info": more_info, "status": status}
    return _json(status, document, **headers)


def _rfc2822(moment: datetime) -> str:
    return format_datetime(moment)  # "Thu, 24 Aug 2023 05:01:45 +0000", as Twilio writes dates


def _moment(value: str) -> datetime | None:
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=UTC)
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    authorization: str
    raw: bytes
    content_type: str


class _Server(ThreadingHTTPServer):
    fake: FakeTwilio

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected, not an error to print."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        form: dict[str, str] = {}
        if "form-urlencoded" in (self.headers.get("Content-Type") or ""):
            pairs = parse_qs(raw.decode(), keep_blank_values=True).items()
            form = {k: v[-1] for k, v in pairs}
        authorization, kind = self.headers.get("Authorization"), self.headers.get("Content-Type")
        request = _Request(method, parts.path, query, form, authorization or "", raw, kind or "")
        status, headers, body = cast(_Server, self.server).fake.respond(request)
        self.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the recorded messages, not an access log."""


class FakeTwilio:
    """Twilio's Messages API and media URLs, with opt-outs, failures and throttling on demand."""

    def __init__(
        self,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str = DEFAULT_NUMBER,
        port: int = 0,
        record: Path | None = None,
    ) -> None:
        self.account_sid = account_sid or "AC" + secrets.token_hex(16)
        self.auth_token = auth_token or secrets.token_hex(16)
        self.from_number = from_number
        self.attempts = 0  # every POST to Messages.json, refused ones included
        self._port, self._record = port, record
        self._lock = threading.Condition()
        self._messages: list[dict[str, Any]] = []
        self._resources: list[tuple[datetime, dict[str, Any]]] = []
        self._opted_out: set[str] = set()
        self._failures: list[tuple[int, int]] = []
        self._throttles: list[float | None] = []
        self._holds: list[float] = []
        self._media: dict[str, tuple[bytes, str, float]] = {}
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeTwilio is not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeTwilio:
        self._server = _Server(("127.0.0.1", self._port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes media answers still waiting out their delay
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def opt_out(self, number: str) -> None:
        with self._lock:
            self._opted_out.add(number)

    def fail_next(self, count: int, status: int = 500, code: int | None = None) -> None:
        """The next `count` API calls fail with this status and Twilio error code."""
        with self._lock:
            self._failures.extend([(status, code or 20000 + status)] * count)

    def throttle_next(self, count: int, retry_after: float | None = 1.0) -> None:
        with self._lock:
            self._throttles.extend([retry_after] * count)

    def hold_next(self, count: int, seconds: float) -> None:
        """The next `count` messages are recorded as sent, but the answer waits `seconds`:
        a client killed meanwhile sent an SMS it never heard about."""
        with self._lock:
            self._holds.extend([seconds] * count)

    def media(self, content: bytes, content_type: str, delay: float = 0.0) -> str:
        """Serve `content` at a Twilio media URL (behind basic auth, then a CDN redirect)."""
        message, media = "MM" + secrets.token_hex(16), "ME" + secrets.token_hex(16)
        with self._lock:
            self._media[media] = (content, content_type, delay)
        return f"{self.url}{API}/Accounts/{self.account_sid}/Messages/{message}/Media/{media}"

    @property
    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(m) for m in self._messages]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """The messages sent so far, once there are at least `count` of them."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(f"{len(self._messages)} SMS sent, {count} expected")
            return [dict(m) for m in self._messages]

    def respond(self, request: _Request) -> Reply:
        """One HTTP answer, as Twilio would give it."""
        method, path = request.method, request.path
        if path.startswith("/_fake/"):
            return self._control(request)
        if match := _CDN.match(path):
            return self._cdn(match.group(1))
        expected = f"{self.account_sid}:{self.auth_token}".encode()
        if request.authorization != "Basic " + base64.b64encode(expected).decode():
            return _error(401, 20003, "Authenticate")
        if (match := _MEDIA.match(path)) and match.group(1) == self.account_sid:
            if method == "GET" and match.group(2) in self._media:
                expires = int(time.time()) + 300
                return 307, {"Location": f"{self.url}/_cdn/{match.group(2)}?Expires={expires}"}, b""
        elif (match := _MESSAGES.match(path)) and match.group(1) == self.account_sid:
            with self._lock:
                self.attempts += method == "POST"
                if self._throttles:
                    wait = self._throttles.pop(0)
                    headers = {} if wait is None else {"Retry-After": f"{wait:g}"}
                    return _error(429, 20429, "Too Many Requests", **headers)
                if self._failures:
                    status, code = self._failures.pop(0)
                    return _error(status, code, "Injected failure (FakeTwilio.fail_next)")
                if method == "POST":
                    reply = self._create(request.form)
                    hold = self._holds.pop(0) if self._holds and reply[0] == 201 else 0.0
                if method == "GET":
                    return self._list(path, request.query)
            if method == "POST":
                self._stopping.wait(hold)
                return reply
        return _error(404, 20404, f"The requested resource {path} was not found")

    def _create(self, form: dict[str, str]) -> Reply:
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
        if not to:
            return _error(400, 21604, "A 'To' phone number is required.")
        if not sender:
            return _error(400, 21603, "A 'From' phone number is required.")
        if not body:
            return _error(400, 21602, "Message body is required.")
        if len(body) > 1600:
            return _error(400, 21617, "The concatenated message body exceeds the 1600 limit.")
        if to in self._opted_out:
            return _error(400, 21610, "Attempt to send to unsubscribed recipient")
        now = datetime.now(UTC).replace(microsecond=0)
        sid, account = "SM" + secrets.token_hex(16), self.account_sid
        resource: dict[str, Any] = dict.fromkeys(
            ("error_code", "error_message", "messaging_service_sid", "price")
        )
        resource |= dict.fromkeys(("date_created", "date_sent", "date_updated"), _rfc2822(now))
        resource |= {
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": body,
            "direction": "outbound-api",
            "from": sender,
            "num_media": "0",
            "num_segments": str(segments(body)),
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": f"{API}/Accounts/{account}/Messages/{sid}/Media.json"},
            "to": to,
            "uri": f"{API}/Accounts/{account}/Messages/{sid}.json",
        }
        message = {"to": to, "from": sender, "body": body, "sid": sid, "at": time.time()}
        self._resources.append((now, resource))
        self._messages.append(message)
        if self._record is not None:
            with self._record.open("a", encoding="utf-8") as file:
                file.write(json.dumps(message, ensure_ascii=False) + "\n")
        self._lock.notify_all()
        return _json(201, resource)

    def _list(self, path: str, query: dict[str, str]) -> Reply:
        after, before = _moment(query.get("DateSent>", "")), _moment(query.get("DateSent<", ""))
        on = _moment(query.get("DateSent", ""))
        found = [
            resource
            for sent, resource in reversed(self._resources)  # Twilio lists newest first
            if query.get("To", resource["to"]) == resource["to"]
            and query.get("From", resource["from"]) == resource["from"]
            and (after is None or sent >= after)
            and (before is None or sent <= before)
            and (on is None or sent.date() == on.date())
        ]
        size = int(query.get("PageSize") or 50)
        filters = urlencode({k: v for k, v in query.items() if k not in ("Page", "PageSize")})
        first = f"{path}?{filters}&PageSize={size}&Page=0"
        page: dict[str, Any] = dict.fromkeys(("next_page_uri", "previous_page_uri"))
        page |= {"messages": found, "page": 0, "page_size": size, "start": 0}
        page |= {"end": max(0, len(found) - 1), "first_page_uri": first, "uri": first}
        return _json(200, page)

    def _cdn(self, media: str) -> Reply:
        with self._lock:
            found = self._media.get(media)
        if found is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        content, kind, delay = found
        if delay:
            self._stopping.wait(delay)
        return 200, {"Content-Type": kind}, content

    def _control(self, request: _Request) -> Reply:
        """Fault injection for a fake running as a separate process (see main)."""
        action, form = request.path.removeprefix("/_fake/"), request.form
        if action == "messages":
            return _json(200, self.messages)
        if action == "opt_out":
            self.opt_out(form["Number"])
        elif action == "fail_next":
            code = int(form["Code"]) if form.get("Code") else None
            self.fail_next(int(form.get("Count", "1")), int(form.get("Status", "500")), code)
        elif action == "throttle_next":
            self.throttle_next(int(form.get("Count", "1")))
        elif action == "media":
            delay = float(request.query.get("delay", "0"))
            kind = request.content_type or "application/octet-stream"
            return _json(200, {"url": self.media(request.raw, kind, delay)})
        else:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        return _json(200, {"ok": True})


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until killed; print the base URL once listening."""
    parser = argparse.ArgumentParser(description="Fake Twilio REST API for end-to-end tests")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--sid", default=None, help="account SID (AC + 32 hex)")
    parser.add_argument("--token", default=None, help="auth token (32 hex)")
    parser.add_argument("--from", dest="from_number", default=DEFAULT_NUMBER)
    parser.add_argument("--record", type=Path, default=None, help="JSON-lines file of sent SMS")
    options = parser.parse_args(argv)
    fake = FakeTwilio(options.sid, options.token, options.from_number, options.port, options.record)
    fake.start()
    print(fake.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
