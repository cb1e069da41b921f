"""E-mail notices through SMTP: one multipart message (text, HTML, .ics) per notice."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from bot.notices import Rendered

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom e-mails are sent; port 465 is TLS from the start, others STARTTLS."""

    host: str
    port: int
    user: str | None
    password: str | None = field(repr=False)
    sender: str  # "Mairie de Clairval <ne-pas-repondre@clairval.fr>"
    timeout: float = 10.0


class EmailError(Exception):
    """An e-mail was not sent; `permanent` when sending it again cannot succeed."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def message_id_for(key: str | int, sender: str) -> str:
    """A stable Message-ID for one notification, so that a resend is recognisable."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "guichet.invalid"
    return f"<notification-{key}@{domain}>"


def build(to: str, rendered: Rendered, sender: str, message_id: str | None = None) -> EmailMessage:
    """The message: text and HTML alternatives, then the attachments (the .ics)."""
    message = EmailMessage()
    try:
        message["From"] = sender
        message["To"] = to
        message["Subject"] = rendered.subject or rendered.text.split("\n", 1)[0][:120]
    except (ValueError, IndexError) as error:  # a newline or a malformed address
        raise EmailError(f"adresse ou objet invalide : {error}", permanent=True) from None
    addresses: tuple[Address, ...] = message["To"].addresses
    if len(addresses) != 1 or not addresses[0].username or not addresses[0].domain:
        raise EmailError(f"adresse invalide : {to!r}", permanent=True)
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = _bracketed(message_id) if message_id else make_msgid(domain=domain)
    # RFC 3834: automatic replies (holiday messages) should not answer this one.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(rendered.text)
    if rendered.html is not None:
        message.add_alternative(rendered.html, subtype="html")
    for attachment in rendered.attachments:
        kind, _, rest = attachment.content_type.partition(";")
        maintype, _, subtype = kind.strip().partition("/")
        params = dict(
            (name.strip().lower(), value.strip().strip('"'))
            for name, _, value in (p.partition("=") for p in rest.split(";") if "=" in p)
        )
        message.add_attachment(
            attachment.data,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
            params=params,
        )
    return message


def _bracketed(message_id: str) -> str:
    return message_id if message_id.startswith("<") else f"<{message_id}>"


class EmailSender:
    """Sends one message per call over a fresh SMTP connection (the worker calls it in a thread)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings  # nothing connects before the first send

    def send(self, to: str, rendered: Rendered, message_id: str | None = None) -> None:
        """Send, or raise EmailError saying whether a later attempt may succeed."""
        message = build(to, rendered, self.settings.sender, message_id)
        try:
            with self._connect() as smtp:
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise _failure(error) from None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if settings.port == 465:
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            smtp.ehlo()
            if settings.port != 465:
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif settings.user and settings.host not in _LOCAL_HOSTS:
                    # Never send a password in clear over the network.
                    raise EmailError(
                        f"{settings.host} ne propose pas STARTTLS : identifiants non envoyés",
                        permanent=False,
                    )
            if settings.user:
                smtp.login(settings.user, settings.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp


def _failure(error: smtplib.SMTPException | OSError) -> EmailError:
    """What went wrong, and whether trying again later may help (4xx, network) or not (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return EmailError(
            f"destinataire refusé : {_said(error.recipients)}",
            permanent=all(code >= 500 for code in codes),
        )
    if isinstance(error, smtplib.SMTPConnectError | smtplib.SMTPHeloError):
        # The server will not talk to us at all: nothing to do with this recipient.
        return EmailError(f"serveur SMTP indisponible ({error.smtp_code})", permanent=False)
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        # Our own address or login refused is the configuration's fault: retry once it is fixed.
        return EmailError(
            f"expéditeur ou identifiants refusés ({error.smtp_code})", permanent=False
        )
    if isinstance(error, smtplib.SMTPResponseException):  # e.g. the content refused after DATA
        reply = error.smtp_error
        said = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
        return EmailError(
            f"refus du serveur ({error.smtp_code} {said})", permanent=error.smtp_code >= 500
        )
    return EmailError(f"serveur SMTP injoignable : {error}", permanent=False)  # network, TLS


def _said(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address} ({code} {reply.decode(errors='replace')})"
        for address, (code, reply) in refused.items()
    )
