"""What people read of instants and states: the commune's local time, French statuses."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from calendar_store.spec import Status

# A booking's status as residents and agents read it: the one mapping of calendar statuses.
BOOKING_STATUSES: dict[Status, str] = {
    Status.HELD: "en attente de confirmation",  # kept a few minutes while the resident says yes
    Status.PENDING: "en attente de validation",  # an agent must approve it
    Status.CONFIRMED: "confirmée",
    Status.CANCELLED: "annulée",
    Status.REJECTED: "refusée",
    Status.EXPIRED: "expirée",
}
# The outbox: what a notification is, and where it stands (see bot/outbox.py).
NOTICE_KINDS: dict[str, str] = {
    "booking_confirmed": "réservation confirmée",
    "booking_pending": "demande de réservation reçue",
    "booking_approved": "réservation acceptée",
    "booking_rejected": "réservation refusée",
    "booking_cancelled": "réservation annulée",
    "booking_reminder": "rappel de réservation",
    "report_acknowledged": "signalement pris en compte",
    "report_resolved": "signalement résolu",
    "report_rejected": "signalement non retenu",
    "reply": "réponse de la conversation",
}
NOTICE_STATUSES: dict[str, str] = {
    "queued": "en attente d’envoi",
    "sending": "en cours d’envoi",
    "sent": "envoyé",
    "failed": "échec",
    "skipped": "non envoyé (désinscrit ou injoignable)",
    "cancelled": "annulé",
    "uncertain": "incertain (interrompu pendant l’envoi)",
}


def booking_status(status: Status | str) -> str:
    """ "en attente de confirmation" for "held"; an unknown value is shown as it is."""
    try:
        return BOOKING_STATUSES[Status(status)]
    except ValueError:
        return str(status)


def local_time(instant: datetime, tz: ZoneInfo) -> str:
    """ "21/01/2027 à 10:00": an instant at the commune's wall-clock time."""
    return instant.astimezone(tz).strftime("%d/%m/%Y à %H:%M")


def local_short(instant: datetime, tz: ZoneInfo) -> str:
    """ "21/01 à 10:00": the same within a conversation or a recent list."""
    return instant.astimezone(tz).strftime("%d/%m à %H:%M")
