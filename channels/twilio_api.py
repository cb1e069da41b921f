"""Twilio REST client for the outbox worker: send SMS, list what was sent, fetch MMS photos."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from twilio.base.exceptions import TwilioException  # type: ignore[import-untyped]
from twilio.http.http_client import TwilioHttpClient  # type: ignore[import-untyped]
from twilio.rest import Client  # type: ignore[import-untyped]

from bot.typography import french

TWILIO_API = "https://api.twilio.com"
OPTED_OUT = 21610  # "Attempt to send to unsubscribed recipient": the resident sent STOP
# Numbers that cannot receive this SMS whatever we retry: invalid, unreachable, not mobile,
# region not enabled, sender not SMS-capable.
PERMANENT_CODES = frozenset({21211, 21214, 21408, 21612, 21614, 21606})
# A bad account SID or token fails every message: retrying later, once an operator has fixed
# the settings, must not have thrown the whole queue away.
_CONFIGURATION_STATUSES = frozenset({401, 403, 404})


class TwilioError(Exception):
    """A send or list that failed; `permanent` says whether retrying can ever help."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        permanent: bool = False,
        opted_out: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.permanent = permanent
        self.opted_out = opted_out
        self.retry_after = retry_after


class MediaError(Exception):
    """A photo that could not be downloaded: a stable code and a French message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = french(message)


@dataclass(frozen=True)
class SentSms:
    """A message Twilio has on record as sent to a number."""

    sid: str
    to: str
    body: str
    date_created: datetime | None


def _retry_after(headers: dict[str, str]) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date)."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _RebasedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """twilio's own HTTP client, sending what it addresses to api.twilio.com elsewhere."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")
        # The worker may share one sender between threads: each keeps its last headers.
        self._last = threading.local()

    def rebase(self, url: str) -> str:
        if url.startswith(TWILIO_API):
            return self.base_url + url[len(TWILIO_API) :]
        return url

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        self._last.headers = {}
        response = super().request(method, self.rebase(url), *args, **kwargs)
        self._last.headers = dict(response.headers or {})
        return response

    def last_headers(self) -> dict[str, str]:
        headers: dict[str, str] = getattr(self._last, "headers", {})
        return headers


def _status_and_code(exc: Exception) -> tuple[int | None, int | None]:
    """HTTP status and Twilio code of a create error, or of a list page's bare TwilioException."""
    status, code = getattr(exc, "status", None), getattr(exc, "code", None)
    # A list page raises a bare TwilioException("Unable to fetch page", response).
    response: Any = exc.args[1] if len(exc.args) > 1 else None
    if status is None and isinstance(getattr(response, "status_code", None), int):
        status = response.status_code
        try:
            document = json.loads(response.text)
            code = int(document["code"])
        except (TypeError, ValueError, KeyError):
            code = None
    return (status if isinstance(status, int) else None), (code if isinstance(code, int) else None)


def _classify(status: int | None, code: int | None, retry_after: float | None) -> TwilioError:
    message = f"Twilio HTTP {status}, code {code}"
    if code == OPTED_OUT:
        return TwilioError(message, status=status, code=code, permanent=True, opted_out=True)
    if code in PERMANENT_CODES:
        return TwilioError(message, status=status, code=code, permanent=True)
    if status == 429 or code == 20429:
        return TwilioError(message, status=status, code=code, retry_after=retry_after)
    permanent = status is not None and 400 <= status < 500 and status not in _CONFIGURATION_STATUSES
    return TwilioError(message, status=status, code=code, permanent=permanent)


class TwilioSender:
    """Sends SMS from one Twilio number with the real twilio library (synchronous)."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        api_base_url: str = TWILIO_API,
        timeout: float = 10.0,
    ) -> None:
        self.account_sid = account_sid
        self.from_number = from_number
        self._auth_token = auth_token
        self._http = _RebasedHttpClient(api_base_url, timeout)
        self._client = Client(account_sid, auth_token, http_client=self._http)
        # Settings come from our constructor only, never from TWILIO_EDGE/TWILIO_REGION.
        self._client.edge = None
        self._client.region = None

    def _call(self, action: str, function: Any, **kwargs: Any) -> Any:
        try:
            return function(**kwargs)
        except TwilioException as exc:
            status, code = _status_and_code(exc)
            retry = _retry_after(self._http.last_headers())
            raise _classify(status, code, retry) from exc
        except OSError as exc:  # requests' connection errors and timeouts are OSErrors
            # Perhaps sent before the connection dropped: sent_to() tells.
            raise TwilioError(f"Twilio {action}: {type(exc).__name__}") from exc

    def send(self, to: str, body: str) -> str:
        """Send one SMS; returns its message SID or raises TwilioError."""
        message = self._call(
            "send", self._client.messages.create, to=to, from_=self.from_number, body=body
        )
        return str(message.sid)

    def sent_to(self, to: str, since: datetime) -> list[SentSms]:
        """Messages from our number to `to` sent (or created) at or after `since`."""
        if since.tzinfo is None:
            raise ValueError("since must be timezone-aware")
        # Twilio dates have whole seconds: a message sent at .4 s must not be missed.
        since = since.astimezone(UTC).replace(microsecond=0)
        records = self._call(
            "list",
            self._client.messages.list,
            to=to,
            from_=self.from_number,
            date_sent_after=since,
        )
        found: list[SentSms] = []
        for record in records:
            when = record.date_sent or record.date_created
            if isinstance(when, datetime) and when >= since:
                found.append(SentSms(record.sid, record.to, record.body or "", record.date_created))
        return found

    def fetch_media(self, url: str, max_bytes: int, timeout: float) -> bytes:
        """Download an MMS attachment, at most `max_bytes`, within `timeout` seconds."""
        url = self._http.rebase(url)
        # Our credentials go to Twilio's own media host only, never to a URL found elsewhere.
        ours = urlsplit(self._http.base_url)
        target = urlsplit(url)
        same = (target.scheme, target.netloc) == (ours.scheme, ours.netloc)
        auth = (self.account_sid, self._auth_token) if same else None
        deadline = time.monotonic() + timeout
        try:
            with (
                httpx.Client(timeout=timeout, follow_redirects=True) as client,
                client.stream("GET", url, auth=auth) as response,
            ):
                if not response.is_success:
                    raise MediaError(
                        "unavailable",
                        "La photo n’a pas pu être récupérée. Pouvez-vous la renvoyer ?",
                    )
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise _too_big(max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise _too_big(max_bytes)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("media download too slow")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException:
            raise MediaError(
                "timeout",
                "La photo n’a pas pu être récupérée à temps. Pouvez-vous la renvoyer ?",
            ) from None
        except httpx.HTTPError:
            raise MediaError(
                "unavailable", "La photo n’a pas pu être récupérée. Pouvez-vous la renvoyer ?"
            ) from None


def _size(count: int) -> str:
    """A byte count as a French reader says it: "5 Mo", "2,5 Mo", "300 ko"."""
    for unit, name in ((1_000_000, "Mo"), (1000, "ko")):
        if count >= unit:
            number = f"{count / unit:.1f}".removesuffix(".0").replace(".", ",")
            return f"{number}\u00a0{name}"
    return f"{count}\u00a0octets"


def _too_big(max_bytes: int) -> MediaError:
    limit = _size(max_bytes)
    return MediaError(
        "too_big",
        f"La photo est trop lourde ({limit} au plus). Pouvez-vous en envoyer une plus légère ?",
    )
