from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from channels.twilio_api import MediaError, TwilioError, TwilioSender
from tests.helpers.fake_twilio import FakeTwilio
from tests.helpers.stack import free_port

RESIDENT = "+33639980001"
NEIGHBOUR = "+33639980002"


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def sender(fake: FakeTwilio) -> TwilioSender:
    return TwilioSender(fake.account_sid, fake.auth_token, fake.from_number, fake.url, timeout=2)


def send_error(sender: TwilioSender, to: str = RESIDENT, body: str = "Bonjour") -> TwilioError:
    with pytest.raises(TwilioError) as caught:
        sender.send(to, body)
    return caught.value


def test_the_fake_speaks_twilio_credentials_and_formats(fake: FakeTwilio) -> None:
    assert fake.account_sid.startswith("AC") and len(fake.account_sid) == 34
    int(fake.account_sid[2:], 16)
    assert len(fake.auth_token) == 32
    assert fake.url.startswith("http://127.0.0.1:")


def test_send_goes_through_the_real_twilio_library(fake: FakeTwilio, sender: TwilioSender) -> None:
    sid = sender.send(RESIDENT, "Votre réservation est confirmée. Répondez STOP pour arrêter.")
    assert sid.startswith("SM") and len(sid) == 34
    [message] = fake.wait_for(1)
    assert message["sid"] == sid
    assert message["to"] == RESIDENT
    assert message["from"] == fake.from_number
    assert message["body"] == "Votre réservation est confirmée. Répondez STOP pour arrêter."
    assert abs(message["at"] - time.time()) < 5


def test_message_resource_has_twilio_shape(fake: FakeTwilio) -> None:
    response = httpx.post(
        f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json",
        data={"To": RESIDENT, "From": fake.from_number, "Body": "é" * 80},
        auth=(fake.account_sid, fake.auth_token),
    )
    assert response.status_code == 201
    resource = response.json()
    assert resource["status"] == "queued"
    assert resource["direction"] == "outbound-api"
    assert resource["num_segments"] == "1"
    assert resource["api_version"] == "2010-04-01"
    assert resource["price"] is None and resource["error_code"] is None
    assert resource["uri"] == (
        f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{resource['sid']}.json"
    )
    assert resource["date_created"].endswith(" +0000")


@pytest.mark.parametrize(
    ("form", "code"),
    [({"From": "+33757000001", "Body": "x"}, 21604), ({"To": RESIDENT, "From": "+3375"}, 21602)],
)
def test_missing_fields_get_twilio_errors(
    fake: FakeTwilio, form: dict[str, str], code: int
) -> None:
    response = httpx.post(
        f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json",
        data=form,
        auth=(fake.account_sid, fake.auth_token),
    )
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_wrong_credentials(fake: FakeTwilio) -> None:
    sender = TwilioSender(fake.account_sid, "0" * 32, fake.from_number, fake.url)
    error = send_error(sender)
    assert (error.status, error.code) == (401, 20003)
    # A bad token fails every message: keep them queued until an operator fixes it.
    assert not error.permanent and not error.opted_out
    assert fake.messages == []
    response = httpx.get(f"{fake.url}/2010-04-01/Accounts/{fake.account_sid}/Messages.json")
    assert response.json() == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_an_unsubscribed_recipient_is_permanent(fake: FakeTwilio, sender: TwilioSender) -> None:
    fake.opt_out(RESIDENT)
    error = send_error(sender)
    assert (error.status, error.code) == (400, 21610)
    assert error.opted_out and error.permanent
    assert sender.send(NEIGHBOUR, "Bonjour")
    assert [m["to"] for m in fake.messages] == [NEIGHBOUR]


@pytest.mark.parametrize("code", [21211, 21214, 21408, 21612, 21614, 21606])
def test_unreachable_numbers_are_permanent(
    fake: FakeTwilio, sender: TwilioSender, code: int
) -> None:
    fake.fail_next(1, status=400, code=code)
    error = send_error(sender)
    assert error.code == code and error.permanent and not error.opted_out


def test_an_empty_body_is_permanent(sender: TwilioSender) -> None:
    error = send_error(sender, body="")
    assert (error.status, error.code, error.permanent) == (400, 21602, True)


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_are_transient(fake: FakeTwilio, sender: TwilioSender, status: int) -> None:
    fake.fail_next(1, status=status)
    error = send_error(sender)
    assert error.status == status
    assert not error.permanent and error.retry_after is None
    assert sender.send(RESIDENT, "Bonjour").startswith("SM")
    assert fake.attempts == 2


def test_throttling_is_transient_with_retry_after(fake: FakeTwilio, sender: TwilioSender) -> None:
    fake.throttle_next(1, retry_after=2.5)
    fake.throttle_next(1, retry_after=None)
    error = send_error(sender)
    assert (error.status, error.code, error.permanent, error.retry_after) == (
        429,
        20429,
        False,
        2.5,
    )
    assert send_error(sender).retry_after is None
    assert sender.send(RESIDENT, "Bonjour")


def test_no_server_is_transient_and_construction_needs_no_network() -> None:
    sender = TwilioSender(
        "AC" + "0" * 32, "0" * 32, "+33757000001", f"http://127.0.0.1:{free_port()}"
    )
    error = send_error(sender)
    assert error.status is None and not error.permanent


def test_twilio_region_in_the_environment_is_ignored(
    fake: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_REGION", "ie1")
    monkeypatch.setenv("TWILIO_EDGE", "dublin")
    sender = TwilioSender(fake.account_sid, fake.auth_token, fake.from_number, fake.url)
    assert sender.send(RESIDENT, "Bonjour")


def test_sent_to_lists_what_was_sent_since(fake: FakeTwilio, sender: TwilioSender) -> None:
    since = datetime.now(UTC) - timedelta(seconds=1)
    first = sender.send(RESIDENT, "Premier")
    sender.send(NEIGHBOUR, "Autre")
    second = sender.send(RESIDENT, "Second")
    sent = sender.sent_to(RESIDENT, since)
    assert {s.sid for s in sent} == {first, second}
    assert {s.body for s in sent} == {"Premier", "Second"}
    assert all(s.to == RESIDENT for s in sent)
    assert all(
        s.date_created is not None and s.date_created >= since.replace(microsecond=0) for s in sent
    )
    assert sender.sent_to(RESIDENT, datetime.now(UTC) + timedelta(hours=1)) == []
    assert sender.sent_to("+33639980099", since) == []


def test_sent_to_needs_an_aware_instant(sender: TwilioSender) -> None:
    with pytest.raises(ValueError, match="timezone"):
        sender.sent_to(RESIDENT, datetime(2030, 1, 1))


def test_fetch_media_follows_twilio_redirect(fake: FakeTwilio, sender: TwilioSender) -> None:
    photo = b"\xff\xd8\xff\xe0" + b"x" * 5000
    url = fake.media(photo, "image/jpeg")
    assert sender.fetch_media(url, max_bytes=10_000, timeout=2) == photo
    # Twilio's own URLs are sent to the configured API base.
    official = "https://api.twilio.com" + url.removeprefix(fake.url)
    assert sender.fetch_media(official, max_bytes=10_000, timeout=2) == photo


def test_fetch_media_timeout(fake: FakeTwilio, sender: TwilioSender) -> None:
    url = fake.media(b"late", "image/png", delay=1.0)
    started = time.monotonic()
    with pytest.raises(MediaError) as caught:
        sender.fetch_media(url, max_bytes=10_000, timeout=0.2)
    assert time.monotonic() - started < 0.9
    assert caught.value.code == "timeout"
    assert caught.value.message.startswith("La photo n’a pas pu être récupérée")


def test_fetch_media_too_big(fake: FakeTwilio, sender: TwilioSender) -> None:
    url = fake.media(b"x" * 3_000_001, "image/jpeg")
    with pytest.raises(MediaError) as caught:
        sender.fetch_media(url, max_bytes=2_500_000, timeout=2)
    assert caught.value.code == "too_big"
    assert "2,5\u00a0Mo" in caught.value.message


def test_fetch_media_not_found(fake: FakeTwilio, sender: TwilioSender) -> None:
    url = fake.media(b"x", "image/jpeg").rsplit("/", 1)[0] + "/ME" + "0" * 32
    with pytest.raises(MediaError) as caught:
        sender.fetch_media(url, max_bytes=10, timeout=2)
    assert caught.value.code == "unavailable"


def test_credentials_go_to_twilio_only(fake: FakeTwilio, sender: TwilioSender) -> None:
    with FakeTwilio(fake.account_sid, fake.auth_token) as elsewhere:
        url = elsewhere.media(b"photo", "image/jpeg")
        with pytest.raises(MediaError) as caught:
            sender.fetch_media(url, max_bytes=10_000, timeout=2)
    assert caught.value.code == "unavailable"  # refused: no basic auth was sent there


def test_the_fake_runs_as_a_process(tmp_path: Path) -> None:
    record = tmp_path / "sms.jsonl"
    sid, token = "AC" + "1" * 32, "2" * 32
    command = [sys.executable, "-m", "tests.helpers.fake_twilio", "--port", str(free_port())]
    command += ["--sid", sid, "--token", token, "--record", str(record)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        sender = TwilioSender(sid, token, "+33757000001", url)
        httpx.post(f"{url}/_fake/opt_out", data={"Number": NEIGHBOUR}).raise_for_status()
        sms = sender.send(RESIDENT, "Votre signalement est traité.")
        assert send_error(sender, to=NEIGHBOUR).opted_out
        [line] = record.read_text(encoding="utf-8").splitlines()
        assert json.loads(line) | {"at": 0} == {
            "to": RESIDENT,
            "from": "+33757000001",
            "body": "Votre signalement est traité.",
            "sid": sms,
            "at": 0,
        }
        assert [m["sid"] for m in httpx.get(f"{url}/_fake/messages").json()] == [sms]
    finally:
        process.terminate()
        process.wait(timeout=5)


@pytest.mark.parametrize(
    ("fault", "status", "permanent"), [("fail", 500, False), ("throttle", 429, False)]
)
def test_list_errors_are_classified(
    fake: FakeTwilio, sender: TwilioSender, fault: str, status: int, permanent: bool
) -> None:
    if fault == "fail":
        fake.fail_next(1)
    else:
        fake.throttle_next(1, retry_after=3)
    with pytest.raises(TwilioError) as caught:
        sender.sent_to(RESIDENT, datetime.now(UTC))
    assert caught.value.status == status
    assert caught.value.code == 20000 + status
    assert caught.value.permanent is permanent
    assert caught.value.retry_after == (3 if fault == "throttle" else None)
    bad = TwilioSender(fake.account_sid, "0" * 32, fake.from_number, fake.url)
    with pytest.raises(TwilioError) as caught:
        bad.sent_to(RESIDENT, datetime.now(UTC))
    assert (caught.value.status, caught.value.code) == (401, 20003)
