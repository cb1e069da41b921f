"""Rasa's REST channel format (used by the web chat): strict parsing, clear French errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypedDict

from bot.transcript import ConversationRef
from bot.typography import french

CHANNEL = "web"
MAX_SENDER_CHARS = 128
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Button(TypedDict):
    title: str
    payload: str


class OutgoingMessage(TypedDict, total=False):
    """One reply as Rasa's REST channel sends it."""

    recipient_id: str
    text: str
    buttons: list[Button]
    image: str


@dataclass(frozen=True)
class Inbound:
    """A resident's message, parsed and checked."""

    ref: ConversationRef
    text: str
    metadata: dict[str, Any]


class RequestError(Exception):
    """A request the client must fix: HTTP status, a stable code and a French message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = french(message)


def valid_sender(sender: str) -> bool:
    """A conversation id a client may use: short, printable, no surrounding spaces."""
    return 0 < len(sender) <= MAX_SENDER_CHARS and sender.isprintable() and sender == sender.strip()


def inbound(document: Any, max_chars: int) -> Inbound:
    """Check `{"sender", "message", "metadata"?}` (a JSON document the gateway read); raise
    RequestError for anything else."""
    if not isinstance(document, dict):
        raise RequestError(
            422, "invalid_payload", 'Un objet JSON {"sender", "message"} est attendu.'
        )

    sender = document.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        raise RequestError(
            422,
            "missing_sender",
            "Le champ « sender » (identifiant de conversation) est obligatoire.",
        )
    if not valid_sender(sender):
        raise RequestError(
            422,
            "invalid_sender",
            f"Le champ « sender » doit faire au plus {MAX_SENDER_CHARS} caractères, "
            "sans caractère de contrôle.",
        )

    message = document.get("message")
    if not isinstance(message, str):
        raise RequestError(422, "missing_message", "Le champ « message » (texte) est obligatoire.")
    text = _CONTROL.sub("", message).strip()
    if not text:
        raise RequestError(422, "empty_message", "Votre message est vide : écrivez votre question.")
    if len(text) > max_chars:
        raise RequestError(
            413,
            "message_too_long",
            f"Votre message est trop long ({len(text)} caractères, {max_chars} au plus). "
            "Pouvez-vous le raccourcir ?",
        )

    metadata = document.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise RequestError(
            422, "invalid_metadata", "Le champ « metadata » doit être un objet JSON."
        )
    return Inbound(ConversationRef(CHANNEL, sender), text, metadata)


def render(replies: list[dict[str, Any]], recipient_id: str) -> list[OutgoingMessage]:
    """Keep what the REST format carries (text, buttons, image) from Rasa's replies."""
    rendered: list[OutgoingMessage] = []
    for reply in replies:
        message: OutgoingMessage = {"recipient_id": recipient_id}
        if isinstance(reply.get("text"), str):
            message["text"] = reply["text"]
        buttons = [
            Button(title=str(b["title"]), payload=str(b["payload"]))
            for b in reply.get("buttons") or []
            if isinstance(b, dict) and "title" in b and "payload" in b
        ]
        if buttons:
            message["buttons"] = buttons
        if isinstance(reply.get("image"), str):
            message["image"] = reply["image"]
        if len(message) > 1:
            rendered.append(message)
    return rendered
