"""SMS through Twilio: verify and parse the webhook, opt-out words, render replies as SMS."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from twilio.request_validator import RequestValidator  # type: ignore[import-untyped]

from bot.gsm import split, to_gsm
from bot.typography import french
from channels.rest import Button, OutgoingMessage

CHANNEL = "sms"
MAX_SEGMENTS = 3
MAX_CHOICES = 9  # one digit to type on a phone keypad
MAX_MEDIA = 10  # Twilio attaches at most ten media to one message
MAX_SID_CHARS = 64
MAX_SENDER_CHARS = 64

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Twilio itself blocks the number on its default opt-out words (STOP, STOPALL, UNSUBSCRIBE,
# CANCEL, END, QUIT) and accepts START/UNSTOP back: we must agree with it, plus French words.
_OPT_OUT = frozenset(
    {
        "stop",
        "stop merci",
        "stop sms",
        "stopall",
        "arret",
        "arret sms",
        "unsubscribe",
        "desabonner",
        "cancel",
        "end",
        "quit",
    }
)
_OPT_IN = frozenset({"start", "unstop", "start merci", "start sms"})
_TRAILING = re.compile(r"[\s.!?,;:…]+$")
_CHOICE = re.compile(r"(?:choix\s*)?(?:n\s*°|no|num[eé]ro)?\s*(\d{1,2})\s*[.)]?", re.IGNORECASE)


@dataclass(frozen=True)
class Media:
    """A photo or file attached to an MMS, still on Twilio's servers."""

    url: str
    content_type: str


@dataclass(frozen=True)
class SmsInbound:
    """A resident's SMS or MMS, parsed from Twilio's webhook."""

    message_sid: str
    sender: str
    text: str
    media: tuple[Media, ...]


class SmsRequestError(Exception):
    """A webhook request we refuse: HTTP status, a stable code and a French message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = french(message)


def signature_valid(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """Check `X-Twilio-Signature` against the full public URL and the form fields."""
    if not auth_token or not signature:
        return False
    valid: bool = RequestValidator(auth_token).validate(url, dict(params), signature)
    return valid


def _field(params: Mapping[str, str], name: str, code: str, max_chars: int) -> str:
    value = (params.get(name) or "").strip()
    if not value:
        raise SmsRequestError(
            400,
            f"missing_{code}",
            f"Le champ « {name} » est obligatoire (requête de webhook Twilio attendue).",
        )
    if len(value) > max_chars or not value.isprintable():
        raise SmsRequestError(
            400,
            f"invalid_{code}",
            f"Le champ « {name} » doit faire au plus {max_chars} caractères, "
            "sans caractère de contrôle.",
        )
    return value


def _media(params: Mapping[str, str]) -> tuple[Media, ...]:
    """Read the attachments; a malformed count or URL drops media, never the message."""
    try:
        count = int(params.get("NumMedia") or "0")
    except ValueError:
        return ()
    found: list[Media] = []
    for index in range(max(0, min(count, MAX_MEDIA))):
        url = (params.get(f"MediaUrl{index}") or "").strip()
        if not url.startswith(("https://", "http://")) or not url.isprintable():
            continue
        content_type = (params.get(f"MediaContentType{index}") or "").strip().lower()
        found.append(Media(url, content_type or "application/octet-stream"))
    return tuple(found)


def parse(params: Mapping[str, str]) -> SmsInbound:
    """Turn Twilio's incoming-message form into an SmsInbound; the body may be empty (MMS)."""
    message_sid = _field(params, "MessageSid", "message_sid", MAX_SID_CHARS)
    sender = _field(params, "From", "sender", MAX_SENDER_CHARS)
    text = _CONTROL.sub("", (params.get("Body") or "").replace("\r\n", "\n")).strip()
    return SmsInbound(message_sid, sender, text, _media(params))


def _keyword(text: str) -> str:
    """Lower case, no accents, single spaces, no trailing punctuation: "Arrêt !" → "arret"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_TRAILING.sub("", bare).split())


def is_opt_out(text: str) -> bool:
    """True when the whole message asks to stop receiving SMS."""
    return _keyword(text) in _OPT_OUT


def is_opt_in(text: str) -> bool:
    """True when the whole message asks to receive SMS again."""
    return _keyword(text) in _OPT_IN


def _choices_line(count: int) -> str:
    numbers = [str(n) for n in range(1, count + 1)]
    if count == 1:
        return "Répondez 1 :"
    return f"Répondez {', '.join(numbers[:-1])} ou {numbers[-1]} :"


def _offered(buttons: Sequence[Button]) -> list[Button]:
    """The buttons shown as numbered choices, in order: the numbers a resident may send."""
    return [b for b in buttons if b.get("title", "").strip()][:MAX_CHOICES]


def render(replies: Sequence[OutgoingMessage]) -> list[str]:
    """One conversation turn as SMS bodies; buttons become numbered choices to reply with."""
    blocks: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        lines = [
            value.strip()
            for value in (reply.get("text"), reply.get("image"))
            if isinstance(value, str) and value.strip()
        ]
        if lines:
            blocks.append("\n".join(lines))
        # Only the last question's buttons can be answered by a number.
        if reply.get("buttons"):
            buttons = list(reply.get("buttons", []))
    choices = _offered(buttons)
    if choices:
        numbered = [f"{n}. {' '.join(b['title'].split())}" for n, b in enumerate(choices, 1)]
        blocks.append("\n".join([french(_choices_line(len(choices))), *numbered]))
    if not blocks:
        return []
    return split(to_gsm("\n\n".join(blocks)), MAX_SEGMENTS)


def choose(text: str, buttons: Sequence[Button]) -> str | None:
    """The payload of the button whose number the resident sent back, if that is all they sent."""
    match = _CHOICE.fullmatch(text.strip())
    if match is None:
        return None
    number = int(match.group(1))
    offered = _offered(buttons)
    if not 1 <= number <= len(offered):
        return None
    return offered[number - 1]["payload"]
