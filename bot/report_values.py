"""Street reports as values: statuses, drafts, reports, errors, and the checks of a draft."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.report_records import ReportRow
from bot.territory import Territory


class Status(StrEnum):
    """Where a report stands."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"


# How residents and agents read each status.
STATES: dict[Status, str] = {
    Status.RECEIVED: "reçu",
    Status.ACKNOWLEDGED: "pris en compte",
    Status.IN_PROGRESS: "en cours de traitement",
    Status.RESOLVED: "résolu",
    Status.REJECTED: "non retenu",
}


OPEN = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED, Status.IN_PROGRESS})
# The changes residents are told of, and the outbox kind of each.
NOTIFIED = {
    Status.ACKNOWLEDGED: "report_acknowledged",
    Status.RESOLVED: "report_resolved",
    Status.REJECTED: "report_rejected",
}
MAX_DESCRIPTION = 2000
MAX_COMMENT = 2000
MAX_ADDRESS = 300
_REFERENCE = re.compile(r"SIG[- ]?([A-Z0-9]{4})")


@dataclass(frozen=True)
class Reporter:
    """Who reports, and how to tell them of progress (a conversation, a phone, an e-mail)."""

    conversation_id: str | None
    channel: str | None
    phone: str | None = None
    email: str | None = None
    name: str | None = None


@dataclass(frozen=True)
class Draft:
    """A report before it is filed; `address` is the place as the resident said it."""

    category: str
    description: str
    street: str | None
    address: str | None
    lat: float | None
    lon: float | None
    photo: str | None = None  # the photo's public id, as its upload answered


@dataclass(frozen=True)
class ReportChange:
    """One step of a report's history."""

    status: Status
    by: str
    at: datetime
    comment: str | None


@dataclass(frozen=True)
class Report:
    """A filed report, with its history oldest first."""

    reference: str
    category: str
    description: str
    street: str | None
    address: str | None
    lat: float | None
    lon: float | None
    status: Status
    created_at: datetime
    updated_at: datetime
    photo_id: int | None
    changes: tuple[ReportChange, ...]
    photo_key: str | None = None  # public name of the photo: /api/photos/<key>
    public_description: str | None = None  # what Open311 shows, once an agent approved it


@dataclass(frozen=True)
class Filed:
    """The outcome of filing: a new report, or the open one the resident joined."""

    report: Report
    duplicate: bool


class ReportError(ValueError):
    """A report or a change that cannot be made: a stable code and a French sentence."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class ReportNotFound(LookupError):
    """No report holds this reference."""


def normalise_reference(reference: str) -> str:
    """ "sig 4f7p", "SIG4F7P" → "SIG-4F7P"; anything else upper-cased and stripped."""
    said = reference.strip().upper()
    match = _REFERENCE.fullmatch(said)
    return f"SIG-{match.group(1)}" if match else said


def report_of(row: ReportRow) -> Report:
    """The value a row stands for."""
    return Report(
        reference=row.reference,
        category=row.category,
        description=row.description,
        street=row.street,
        address=row.address,
        lat=row.lat,
        lon=row.lon,
        status=Status(row.status),
        created_at=row.created_at,
        updated_at=row.updated_at,
        photo_id=row.photo_id,
        changes=tuple(ReportChange(Status(c.status), c.by, c.at, c.comment) for c in row.changes),
        photo_key=(row.photo.public_id or row.photo.sha256) if row.photo is not None else None,
        public_description=row.public_description,
    )


def status_of(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        names = ", ".join(s.value for s in Status)
        raise ReportError(
            "unknown_status", f"État inconnu : « {value} » (attendus : {names})."
        ) from None


def checked_draft(draft: Draft, territory: Territory) -> Draft:
    """The draft with its text tidied and its street spelt as in the list; ReportError if wrong."""
    if draft.category not in territory.categories:
        raise ReportError("unknown_category", "Je ne connais pas cette catégorie de signalement.")
    description = draft.description.strip()
    if not description:
        raise ReportError("empty_description", "Décrivez le problème en quelques mots.")
    if len(description) > MAX_DESCRIPTION:
        raise ReportError(
            "description_too_long", f"La description est trop longue ({MAX_DESCRIPTION} au plus)."
        )
    if (draft.lat is None) != (draft.lon is None):
        raise ReportError(
            "incomplete_position", "Une position a besoin d’une latitude et d’une longitude."
        )
    if (
        draft.lat is not None
        and draft.lon is not None
        and not (
            math.isfinite(draft.lat)
            and math.isfinite(draft.lon)
            and territory.limites.contains(draft.lat, draft.lon)
        )
    ):
        raise ReportError("outside_commune", "Cette position est en dehors de la commune.")
    street = None
    if draft.street is not None and draft.street.strip():
        said = draft.street.strip().casefold()
        street = next((s.nom for s in territory.rues if s.nom.casefold() == said), None)
        if street is None:
            raise ReportError(
                "unknown_street", f"Je ne connais pas la rue « {draft.street[:80]} »."
            )
    if street is None and draft.lat is None:
        raise ReportError("no_location", "Indiquez une rue de la commune ou partagez une position.")
    address = (draft.address or "").strip() or None
    if address is not None and len(address) > MAX_ADDRESS:
        raise ReportError("address_too_long", f"L’adresse est trop longue ({MAX_ADDRESS} au plus).")
    return Draft(draft.category, description, street, address, draft.lat, draft.lon, draft.photo)


def check_reporter(who: Reporter) -> None:
    limits = {"conversation_id": 200, "channel": 20, "phone": 20, "email": 254, "name": 200}
    for field, most in limits.items():
        value = getattr(who, field)
        if value is not None and len(value) > most:
            raise ReportError("invalid_reporter", f"Coordonnées invalides ({field} trop long).")
