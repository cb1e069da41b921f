"""E-mail notices through a real SMTP server on 127.0.0.1 (aiosmtpd): parts, headers, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from bot.commune import load_commune
from bot.notice_check import sample_payload
from bot.notices import Attachment, Notices, Rendered
from bot.settings import ROOT
from channels.email import EmailError, EmailSender, SmtpSettings, build, message_id_for
from tests.helpers.stack import free_port

CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
SENDER = "Mairie de Clairval <ne-pas-repondre@clairval.example>"
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
    b"UID:SDF-7KQ2@guichet\r\nSUMMARY:La salle des f\xc3\xaates (SDF-7KQ2)\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@dataclass
class Mailbox:
    """What the server received; refuses recipients named refuse@ (550) and plein@ (452)."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.startswith("refuse@"):
            return "550 5.1.1 Adresse inconnue"
        if address.startswith("plein@"):
            return "452 4.2.2 Boite pleine"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login = (data.login.decode(), data.password.decode())
        self.logins.append(login)
        return AuthResult(success=login == ("mairie", "secret"), handled=False)


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def server(mailbox: Mailbox) -> Iterator[int]:
    """A plain SMTP server on a free local port (AUTH allowed without TLS, as a test server)."""
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=mailbox.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    yield port
    controller.stop()


def settings(port: int, user: str | None = None, password: str | None = None) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, user, password, SENDER, timeout=5.0)


def confirmation() -> Rendered:
    notices = Notices(ROOT / "communes" / "notifications", lambda: CLAIRVAL, "https://x.example")
    payload = sample_payload("booking_confirmed", CLAIRVAL)
    ics = Attachment("SDF-7KQ2.ics", "text/calendar; method=PUBLISH; charset=utf-8", ICS)
    return notices.render("booking_confirmed", "email", payload, [ics])


def parse(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def test_a_booking_confirmation_arrives_with_text_html_and_ics(
    server: int, mailbox: Mailbox
) -> None:
    rendered = confirmation()
    message_id = message_id_for(42, SENDER)
    EmailSender(settings(server)).send("camille@example.org", rendered, message_id)

    [(sender, recipients, raw)] = mailbox.received
    assert sender == "ne-pas-repondre@clairval.example"
    assert recipients == ["camille@example.org"]
    message = parse(raw)
    assert (
        message["Subject"]
        == rendered.subject
        == ("Réservation SDF-7KQ2 confirmée\u00a0: la salle des fêtes")
    )
    assert message["Message-ID"] == "<notification-42@clairval.example>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["To"] == "camille@example.org"
    assert message["From"].addresses[0].display_name == "Mairie de Clairval"
    assert message["Date"].datetime.tzinfo is not None
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert body is not None and html is not None
    assert body.get_content().replace("\r\n", "\n").strip() == rendered.text
    assert "<strong>SDF-7KQ2</strong>" in html.get_content()
    [ics] = list(message.iter_attachments())
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "PUBLISH"
    assert ics.get_filename() == "SDF-7KQ2.ics"
    assert ics.get_payload(decode=True) == ICS  # byte for byte, CRLF kept


def test_a_subject_in_french_is_encoded_for_the_wire() -> None:
    message = build("a@example.org", Rendered("Bonjour", subject="Réservation « été »"), SENDER)
    raw = message.as_bytes()
    assert b"=?utf-8?" in raw.split(b"\n\n", 1)[0]  # RFC 2047, not raw 8-bit headers
    assert parse(raw)["Subject"] == "Réservation « été »"
    assert message.get_content_type() == "text/plain"  # no HTML, no attachment: one part


def test_each_message_has_its_own_id_unless_given() -> None:
    first = build("a@example.org", Rendered("x", subject="s"), SENDER)
    second = build("a@example.org", Rendered("x", subject="s"), SENDER)
    assert first["Message-ID"] != second["Message-ID"]
    assert first["Message-ID"].endswith("@clairval.example>")
    assert build("a@example.org", Rendered("x"), SENDER, "n-7@x")["Message-ID"] == "<n-7@x>"


@pytest.mark.parametrize("to", ["pas une adresse", "a@example.org\nBcc: b@example.org", ""])
def test_an_unusable_address_is_a_permanent_failure(to: str) -> None:
    with pytest.raises(EmailError) as caught:
        build(to, Rendered("x", subject="s"), SENDER)
    assert caught.value.permanent


def test_a_refused_recipient_is_permanent(server: int, mailbox: Mailbox) -> None:
    with pytest.raises(EmailError, match="550") as caught:
        EmailSender(settings(server)).send("refuse@example.org", confirmation())
    assert caught.value.permanent
    assert mailbox.received == []


def test_a_full_mailbox_is_transient(server: int) -> None:
    with pytest.raises(EmailError, match="452") as caught:
        EmailSender(settings(server)).send("plein@example.org", confirmation())
    assert not caught.value.permanent


def test_nothing_listening_is_transient() -> None:
    sender = EmailSender(settings(free_port()))  # no network in the constructor
    with pytest.raises(EmailError, match="injoignable") as caught:
        sender.send("camille@example.org", confirmation())
    assert not caught.value.permanent


def test_login_when_a_user_is_set(server: int, mailbox: Mailbox) -> None:
    EmailSender(settings(server, "mairie", "secret")).send("a@example.org", confirmation())
    assert mailbox.logins == [("mairie", "secret")]
    assert len(mailbox.received) == 1


def test_wrong_credentials_are_transient(server: int, mailbox: Mailbox) -> None:
    # The configuration is wrong, not the notice: it goes out once the password is fixed.
    with pytest.raises(EmailError, match="535") as caught:
        EmailSender(settings(server, "mairie", "faux")).send("a@example.org", confirmation())
    assert not caught.value.permanent
    assert mailbox.received == []


def test_the_password_is_not_in_the_settings_repr() -> None:
    assert "secret" not in repr(settings(25, "mairie", "secret"))
