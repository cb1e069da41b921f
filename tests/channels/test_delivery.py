"""The outbox worker against local fakes of Telegram, Twilio and an SMTP server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from bot.commune import CommuneStore
from bot.db import make_session_factory
from bot.notices import Attachment, Notices
from bot.optouts import OptOuts
from bot.outbox import Notification, queue
from bot.outbox_claims import Claims
from bot.settings import ROOT
from bot.transcript import Transcript
from channels.delivery import Worker
from channels.email import EmailSender, SmtpSettings
from channels.pacing import Pacer
from channels.senders import Senders
from channels.telegram_api import TelegramSender
from channels.twilio_api import TwilioSender
from tests.helpers.channels import SmtpSink, until
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fake_twilio import FakeTwilio

COMMUNE = ROOT / "communes" / "clairval.yml"
SENDER = "Mairie de Clairval <mairie@clairval.example>"
RESOLVED = {
    "reference": "SIG-7K2P",
    "category": "eclairage",
    "street": "rue des Lilas",
    "status": "resolved",
    "text": "Bonne nouvelle : le lampadaire signalé rue des Lilas a été réparé.",
}


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def twilio() -> Iterator[FakeTwilio]:
    with FakeTwilio() as fake:
        yield fake


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def notices() -> Notices:
    commune = CommuneStore(COMMUNE)
    return Notices(ROOT / "communes" / "notifications", commune.get, "https://mairie.example")


def make_worker(
    engine: Engine,
    telegram: FakeTelegram,
    twilio: FakeTwilio,
    smtp: SmtpSink,
    invitation: Attachment | None = None,
) -> Worker:
    senders = Senders(
        TelegramSender(telegram.token, telegram.url),
        TwilioSender(twilio.account_sid, twilio.auth_token, twilio.from_number, twilio.url),
        EmailSender(SmtpSettings("127.0.0.1", smtp.port, None, None, SENDER)),
    )
    return Worker(
        Claims(engine, timedelta(seconds=30)),
        notices(),
        senders,
        OptOuts(engine),
        Transcript(make_session_factory(engine)),
        lambda _reference: invitation,
    )


def notify(engine: Engine, kind: str, payload: dict[str, Any], conversation: str, **kw: Any) -> int:
    with Session(engine) as session, session.begin():
        channel = conversation.partition(":")[0]
        return queue(session, kind, payload, conversation_id=conversation, channel=channel, **kw).id


def row(engine: Engine, notice_id: int) -> Notification:
    with Session(engine) as session:
        found = session.get(Notification, notice_id)
        assert found is not None
        return found


def test_a_report_notice_reaches_telegram_and_the_transcript(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    notice = notify(engine, "report_resolved", RESOLVED, "telegram:555")
    assert asyncio.run(make_worker(engine, telegram, twilio, smtp).run_once()) == 1
    (sent,) = telegram.sent
    assert sent["chat_id"] == 555 and "SIG-7K2P" in sent["text"] and "réparé" in sent["text"]
    stored = row(engine, notice)
    assert (stored.status, stored.route, stored.external_id) == ("sent", "telegram", "1")
    said = Transcript(make_session_factory(engine)).messages("telegram:555")
    assert [(m.author, m.text) for m in said] == [("system", sent["text"])]


def test_an_sms_notice_respects_the_opt_out_list(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    OptOuts(engine).add("+33611111111", "STOP reçu")
    quiet = notify(engine, "report_resolved", RESOLVED, "sms:+33611111111")
    told = notify(engine, "report_resolved", RESOLVED, "sms:+33622222222")
    asyncio.run(make_worker(engine, telegram, twilio, smtp).run_once())
    assert [m["to"] for m in twilio.messages] == ["+33622222222"]
    assert row(engine, quiet).status == "skipped"
    assert row(engine, told).status == "sent"


def test_twilio_21610_records_the_opt_out_and_is_never_retried(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    twilio.opt_out("+33633333333")
    notice = notify(engine, "report_resolved", RESOLVED, "sms:+33633333333")
    worker = make_worker(engine, telegram, twilio, smtp)
    asyncio.run(worker.run_once())
    assert row(engine, notice).status == "skipped"
    assert OptOuts(engine).contains("+33633333333")
    assert asyncio.run(worker.run_once()) == 0


def test_a_transient_failure_is_retried_later_and_sent_once(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    twilio.fail_next(1, status=503)
    notice = notify(engine, "report_resolved", RESOLVED, "sms:+33644444444")
    worker = make_worker(engine, telegram, twilio, smtp)
    asyncio.run(worker.run_once())
    first = row(engine, notice)
    assert first.status == "queued" and first.send_after > datetime.now(UTC)
    assert "503" in (first.last_error or "")
    asyncio.run(worker.run_once())
    assert twilio.messages == []  # not due yet: backoff
    with Session(engine) as session, session.begin():
        session.execute(update(Notification).values(send_after=datetime.now(UTC)))
    asyncio.run(worker.run_once())
    assert len(twilio.messages) == 1 and row(engine, notice).status == "sent"


def test_a_blocked_bot_fails_without_retry(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    telegram.block(777)
    notice = notify(engine, "report_resolved", RESOLVED, "telegram:777")
    asyncio.run(make_worker(engine, telegram, twilio, smtp).run_once())
    stored = row(engine, notice)
    assert stored.status == "failed" and "Telegram" in (stored.last_error or "")


def test_a_web_chat_booking_notice_goes_by_email_with_its_calendar_file(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    start = datetime(2026, 12, 12, 13, tzinfo=UTC)
    payload = {
        "reference": "SDA-4XQ2",
        "resource": "salle-des-associations",
        "start": start.isoformat(),
        "end": (start + timedelta(hours=4)).isoformat(),
        "quantity": 1,
        "status": "confirmed",
        "name": "Camille <script>alert(1)</script>",
    }
    ics = Attachment(
        "reservation-SDA-4XQ2.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    )
    notice = notify(
        engine,
        "booking_confirmed",
        payload,
        "web:abc",
        email="camille@example.org",
        reference="SDA-4XQ2",
    )
    asyncio.run(make_worker(engine, telegram, twilio, smtp, invitation=ics).run_once())
    (mail,) = until(lambda: smtp.to("camille@example.org"), what="the e-mail")
    assert "SDA-4XQ2" in str(mail["Subject"])
    assert mail["Message-ID"] == f"<notification-{notice}@clairval.example>"
    html = mail.get_body(("html",))
    assert html is not None and "<script>" not in html.get_content()
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == ["reservation-SDA-4XQ2.ics"]
    assert row(engine, notice).route == "email"


def test_telegram_rates_hold_overall_and_per_chat(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    for chat in range(40):
        notify(engine, "report_resolved", RESOLVED, f"telegram:{1000 + chat}")
    for _ in range(4):
        notify(engine, "report_resolved", RESOLVED, "telegram:999")
    worker = make_worker(engine, telegram, twilio, smtp)
    began = time.monotonic()
    asyncio.run(worker.run_once())
    assert len(telegram.sent) == 44
    assert telegram.per_chat_violations(min_interval=0.95) == []
    assert telegram.max_per_second() <= 30
    assert time.monotonic() - began >= 3.0  # four messages to one chat take three seconds


def test_pacer_counts_the_gap_from_the_real_start_of_the_previous_send() -> None:
    starts: dict[str, list[float]] = {}
    pacer = Pacer(per_second=20, per_key_gap=0.3)

    async def send(key: str, lasting: float) -> None:
        async with pacer.turn(key):
            starts.setdefault(key, []).append(time.monotonic())
            await asyncio.sleep(lasting)  # a slow send keeps the chat busy

    async def run() -> None:
        await asyncio.gather(send("a", 0.2), send("a", 0.0), send("a", 0.0), send("b", 0.0))

    asyncio.run(run())
    a = starts["a"]
    assert len(a) == 3 and all(later - earlier >= 0.3 for earlier, later in pairwise(a))
    assert starts["b"][0] - a[0] < 0.2  # another chat does not wait for "a"


def _worker_process(
    engine_url: str, twilio: FakeTwilio, telegram: FakeTelegram, claim: float
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": engine_url,
        "COMMUNE_FILE": str(COMMUNE),
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_FROM_NUMBER": twilio.from_number,
        "TWILIO_API_BASE_URL": twilio.url,
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_API_BASE_URL": telegram.url,
        "TELEGRAM_POLLING": "off",
        "OUTBOX_POLL_SECONDS": "0.1",
        "OUTBOX_CLAIM_SECONDS": str(claim),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "channels.outbox_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_between_sending_and_recording_never_sends_twice(
    engine: Engine, twilio: FakeTwilio, telegram: FakeTelegram
) -> None:
    url = str(engine.url)
    sms = notify(engine, "report_resolved", RESOLVED, "sms:+33655555555")
    twilio.hold_next(1, 30.0)  # Twilio got it, but the worker never hears back
    first = _worker_process(url, twilio, telegram, claim=2.0)
    try:
        until(lambda: twilio.messages, what="the SMS reaching Twilio")
        time.sleep(0.2)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert row(engine, sms).status == "sending"  # sent, never recorded
        second = _worker_process(url, twilio, telegram, claim=2.0)
        try:
            until(lambda: row(engine, sms).status == "sent", timeout=20, what="recovery")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert len(twilio.messages) == 1  # Twilio's own list proved it went out: not resent
    assert row(engine, sms).external_id == twilio.messages[0]["sid"]


def test_a_send_claimed_but_never_begun_is_simply_sent_after_the_claim_lapses(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    notice = notify(engine, "report_resolved", RESOLVED, "telegram:321")
    Claims(engine, timedelta(seconds=30)).claim(10)  # a worker that died right after claiming
    worker = make_worker(engine, telegram, twilio, smtp)
    with Session(engine) as session, session.begin():
        session.execute(
            update(Notification).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    asyncio.run(worker.run_once())
    assert row(engine, notice).status == "sent" and len(telegram.sent) == 1


def test_a_telegram_send_in_doubt_is_not_resent(
    engine: Engine, telegram: FakeTelegram, twilio: FakeTwilio, smtp: SmtpSink
) -> None:
    notice = notify(engine, "report_resolved", RESOLVED, "telegram:322")
    claims = Claims(engine, timedelta(seconds=30))
    claims.claim(10)
    claims.started(notice, "telegram", "texte")  # then the process died
    with Session(engine) as session, session.begin():
        session.execute(
            update(Notification).values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    asyncio.run(make_worker(engine, telegram, twilio, smtp).run_once())
    assert row(engine, notice).status == "uncertain" and telegram.sent == []
    with Session(engine) as session:
        assert session.scalars(select(Notification.status)).all() == ["uncertain"]
