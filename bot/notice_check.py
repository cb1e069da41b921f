"""Checking the commune's notification templates: every kind and channel, the SMS length."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.commune import Commune
from bot.gsm import segments, to_gsm
from bot.notices import CHANNELS, FILES, KINDS, NoticeError, Notices
from calendar_store.spec import Kind, ResourceSpec, Unit

SMS_SEGMENTS = 3  # a notice by SMS fits three segments, whatever the resource or street
CLOSED_SAMPLE = "fermeture exceptionnelle (travaux de mise en accessibilité de l’accueil)"


def sample_payload(kind: str, commune: Commune, which: str | None = None) -> dict[str, Any]:
    """A realistic payload with long values; `which` picks a resource or category slug."""
    if kind.startswith("booking_"):
        specs = commune.resources()
        spec = next((s for s in specs if s.slug == which), specs[0])
        start, end = _sample_period(spec, ZoneInfo(commune.data.fuseau_horaire))
        status = kind.removeprefix("booking_")
        status = {"approved": "confirmed", "reminder": "confirmed"}.get(status, status)
        payload: dict[str, Any] = {
            "reference": f"{spec.prefix}-7KQ2",
            "resource": spec.slug,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "quantity": spec.stock if spec.kind is Kind.EQUIPMENT else 1,
            "status": status,
            "name": "Association des parents d'élèves de l'école Jean-Jaurès",
        }
        if kind == "booking_rejected":
            payload["reason"] = "la salle est retenue ce jour-là pour une cérémonie municipale."
        return payload
    territory = commune.data.signalements
    slug = which if which in territory.categories else next(iter(territory.categories))
    category = territory.categories[slug]
    payload = {
        "reference": "SIG-4F7P",
        "category": slug,
        "street": max((street.nom for street in territory.rues), key=len),
        "status": kind.removeprefix("report_"),
        "objet": category.objet,
        "fait": category.fait,
        "text": f"Votre signalement SIG-4F7P ({category.nom}) a changé d'état.",
    }
    payload["lieu"] = payload["street"]
    if kind == "report_rejected":
        payload["raison"] = (
            "cet équipement appartient au département, qui entretient la route : nous lui avons "
            "transmis votre signalement. Vous pouvez aussi suivre les travaux sur son site, "
            "rubrique « routes départementales », ou appeler l'accueil de la mairie."
        )
    return payload


def _sample_period(spec: ResourceSpec, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """A period in the resource's first window; the longest French month and weekday names."""
    window = spec.windows[0] if spec.windows else None
    day = datetime(2026, 9, 28, tzinfo=tz) + timedelta(days=window.weekday if window else 2)
    opens = timedelta(minutes=window.start if window else 0)
    if spec.unit is Unit.DAY:
        return day, day + timedelta(days=2)
    if spec.unit is Unit.SLOT:
        start = day + opens + timedelta(minutes=spec.slot_minutes)
        return start, start + timedelta(minutes=spec.slot_minutes)
    closes = timedelta(minutes=window.end if window else 24 * 60)
    return day + opens, day + min(closes, opens + timedelta(hours=4))


def check(folder: Path, commune: Commune, public_url: str) -> list[str]:
    """Every kind × channel rendered with sample payloads; the problems, in French."""
    if not folder.is_dir():
        return [f"{folder} : dossier des notifications introuvable"]
    notices = Notices(folder, lambda: commune, public_url)
    problems: list[str] = []
    unknown = [p.name for p in folder.iterdir() if p.is_dir() and p.name not in KINDS]
    problems += [f"{folder / name} : type de notification inconnu" for name in sorted(unknown)]
    for kind in KINDS:
        context = notices._context(kind, sample_payload(kind, commune), ())
        # Booking notices also say when their day has been closed since: try that text too.
        closed = {**context, "fermeture": CLOSED_SAMPLE} if "fermeture" in context else None
        for values in (context, closed) if closed else (context,):
            for name in (f for channel in CHANNELS for f in FILES[channel]):
                try:
                    notices._file(f"{kind}/{name}", values)
                except NoticeError as error:
                    problems.append(str(error))
        problems += _sms_lengths(notices, kind, commune)
    return list(dict.fromkeys(problems))  # a broken layout is said once, not per kind


def _sms_lengths(notices: Notices, kind: str, commune: Commune) -> list[str]:
    """Each resource (or category) in turn: the longest names must fit too."""
    which = (
        [spec.slug for spec in commune.resources()]
        if kind.startswith("booking_")
        else list(commune.data.signalements.categories)
    )
    try:
        lengths = {
            slug: segments(
                to_gsm(notices.render(kind, "sms", sample_payload(kind, commune, slug)).text)
            )
            for slug in which
        }
    except NoticeError:
        return []  # already said
    longest = max(lengths, key=lengths.__getitem__)
    if lengths[longest] <= SMS_SEGMENTS:
        return []
    return [
        f"{kind}/sms.j2 : {lengths[longest]} SMS pour « {longest} », "
        f"plus de {SMS_SEGMENTS} : raccourcissez le texte"
    ]
