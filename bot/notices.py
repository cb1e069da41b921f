"""Notification texts: the commune's Jinja2 templates, one per kind and channel, and the .ics."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from bot.booking import what
from bot.commune import Commune
from bot.dates import say_date
from bot.report_values import STATES, Status
from bot.typography import NBSP, french
from calendar_store.ical import invitation
from calendar_store.spec import BookingNotFound, BookingRefused, ResourceSpec, Unit
from calendar_store.store import Store
from calendar_store.wording import hour, noun

CHANNELS = ("sms", "telegram", "email")
_BOOKINGS = ("booking_confirmed", "booking_pending", "booking_cancelled", "booking_approved")
_REPORTS = ("report_acknowledged", "report_resolved", "report_rejected")
KINDS = (*_BOOKINGS, "booking_rejected", "booking_reminder", *_REPORTS)
# The files of each channel in a kind's folder.
FILES: dict[str, tuple[str, ...]] = {"sms": ("sms.j2",), "telegram": ("telegram.j2",)}
FILES["email"] = ("email_subject.j2", "email.txt.j2", "email.html.j2")


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail (the booking's .ics)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Rendered:
    """A notice ready for its channel: text always; subject and html for e-mails."""

    text: str
    subject: str | None = None
    html: str | None = None
    attachments: tuple[Attachment, ...] = ()


class NoticeError(Exception):
    """A template cannot be rendered; the message names the file and the reason, in French."""


class Notices:
    """The template folder, reread when a file changes, rendered with the commune's facts."""

    def __init__(self, folder: Path, commune: Callable[[], Commune], public_url: str) -> None:
        self.folder = folder
        self._commune = commune
        self.public_url = public_url.rstrip("/")
        # Sandboxed like the commune file: both are written by town-hall employees.
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folder),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html.j2",), disabled_extensions=(), default=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=True,
            # Values get French typography before HTML escaping, which would hide their quotes.
            finalize=_french_value,
        )
        self._env.filters["court"] = _short
        self._env.filters["initiale"] = lambda text: str(text)[:1].upper() + str(text)[1:]

    def render(
        self,
        kind: str,
        channel: str,
        payload: Mapping[str, Any],
        attachments: Sequence[Attachment] = (),
    ) -> Rendered:
        """The notice of `kind` for `channel`, from the outbox row's payload."""
        if channel not in CHANNELS:
            raise NoticeError(f"canal inconnu : « {channel} » (attendus : {', '.join(CHANNELS)})")
        context = self._context(kind, payload, attachments)
        if channel != "email":
            return Rendered(_text(self._file(f"{kind}/{channel}.j2", context)))
        subject = " ".join(self._file(f"{kind}/email_subject.j2", context).split())
        return Rendered(
            text=_text(self._file(f"{kind}/email.txt.j2", context)),
            subject=french(subject),
            html=_french_html(self._file(f"{kind}/email.html.j2", context).strip()),
            attachments=tuple(attachments),
        )

    def _file(self, name: str, context: Mapping[str, Any]) -> str:
        try:
            return self._env.get_template(name).render(context)
        except jinja2.TemplateNotFound as error:
            raise NoticeError(f"{error.name} : fichier introuvable dans {self.folder}") from None
        except jinja2.TemplateSyntaxError as error:
            where = f"{error.name or name}, ligne {error.lineno}"
            raise NoticeError(f"{where} : erreur de syntaxe ({error.message})") from None
        except jinja2.UndefinedError as error:
            found = re.search(r"'([^']+)' is undefined", str(error))
            reason = f"valeur inconnue « {found[1]} »" if found else f"valeur manquante ({error})"
            known = ", ".join(sorted(context))
            raise NoticeError(
                f"{self._where(error, name)} : {reason} (valeurs disponibles : {known})"
            ) from None
        except jinja2.TemplateError as error:
            raise NoticeError(f"{self._where(error, name)} : {error}") from None

    def _where(self, error: Exception, name: str) -> str:
        """The template file and line of a render error, read off Jinja's rewritten traceback."""
        where = name
        trace = error.__traceback__
        while trace is not None:
            path = Path(trace.tb_frame.f_code.co_filename)
            if path.is_relative_to(self.folder):
                where = f"{path.relative_to(self.folder).as_posix()}, ligne {trace.tb_lineno}"
            trace = trace.tb_next
        return where

    def _context(
        self, kind: str, payload: Mapping[str, Any], attachments: Sequence[Attachment]
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise NoticeError(f"type de notification inconnu : « {kind} »")
        commune = self._commune()
        values: dict[str, Any] = {
            "commune": commune.name,
            "mairie": commune.data.mairie,
            "public_url": self.public_url,
            "reference": str(_value(payload, "reference", kind)),
            "agenda": bool(attachments),
        }
        if kind.startswith("booking_"):
            values.update(self._booking(kind, commune, payload, values["reference"]))
        else:
            values.update(_report(kind, commune, payload))
        return values

    def _booking(
        self, kind: str, commune: Commune, payload: Mapping[str, Any], reference: str
    ) -> dict[str, Any]:
        slug = str(_value(payload, "resource", kind))
        spec = next((s for s in commune.resources() if s.slug == slug), None)
        quantity = int(payload.get("quantity") or 1)
        name = noun(spec.name if spec is not None else slug)
        start = datetime.fromisoformat(str(_value(payload, "start", kind)))
        end = datetime.fromisoformat(str(_value(payload, "end", kind)))
        tz = ZoneInfo(commune.data.fuseau_horaire)
        return {
            "nom": str(_value(payload, "name", kind)),
            "quantite": quantity,
            "ressource": name.phrase,
            "quoi": what(spec, quantity) if spec is not None else name.phrase,
            "quand": say_period(spec.unit if spec is not None else None, start, end, tz),
            "adresse": commune.data.ressources[slug].lieu if spec is not None else "",
            "raison": _reason(payload.get("reason") or payload.get("raison")),
            "lien_agenda": f"{self.public_url}/api/bookings/{reference}.ics",
            # A day closed since the booking was made: a reminder must not send anyone there.
            "fermeture": closed_on(spec, start, end, tz),
        }


def closed_on(spec: ResourceSpec | None, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """Why a booking's first closed local day is closed (« c’est un jour férié (Ascension) »);
    "" when every day it covers is open."""
    if spec is None:
        return ""
    day = start.astimezone(tz).date()
    last = (end.astimezone(tz) - timedelta(microseconds=1)).date()
    while day <= last:
        if day in spec.closed:
            return spec.closed[day]
        day += timedelta(days=1)
    return ""


def _report(kind: str, commune: Commune, payload: Mapping[str, Any]) -> dict[str, Any]:
    slug = str(_value(payload, "category", kind))
    category = commune.data.signalements.categories.get(slug)
    status = Status(str(_value(payload, "status", kind)))
    values = {
        "categorie": category.nom if category is not None else slug,
        "objet": payload.get("objet") or (category.objet if category else "le problème signalé"),
        "lieu": str(payload.get("lieu", payload.get("street") or "")),
        "fait": payload.get("fait") or (category.fait if category is not None else "réglé"),
        "etat": STATES[status],
        "texte": str(payload.get("text") or ""),
    }
    if "raison" in payload:  # only a rejection has one; a template asking elsewhere is an error
        values["raison"] = _reason(payload["raison"])
    return values


def _value(payload: Mapping[str, Any], key: str, kind: str) -> Any:
    if payload.get(key) in (None, ""):
        raise NoticeError(f"{kind} : la notification n’indique pas « {key} »")
    return payload[key]


def _reason(value: Any) -> str:
    """A reason without its final full stop: the templates end the sentence themselves."""
    return " ".join(str(value or "").split()).rstrip(" .")


def say_period(unit: Unit | None, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """ "mercredi 30 septembre 2026 de 14 h à 18 h", "… à 9 h 20", "du … au …" (local time)."""
    first, last = start.astimezone(tz), end.astimezone(tz)
    whole_days = first.time() == last.time() == time(0)
    if unit is Unit.DAY or (unit is None and whole_days):
        final = (last - timedelta(seconds=1)).date()
        if final <= first.date():
            return say_date(first)
        return f"du {say_date(first)} au {say_date(final)}"
    if unit is Unit.SLOT:
        return f"{say_date(first)} à {_hour(first)}"
    if last.date() != first.date() and last != datetime.combine(
        first.date() + timedelta(days=1), time(0), tzinfo=tz
    ):
        return f"du {say_date(first)} à {_hour(first)} au {say_date(last)} à {_hour(last)}"
    return f"{say_date(first)} de {_hour(first)} à {_hour(last)}"


def _hour(value: datetime) -> str:
    return "minuit" if value.time() == time(0) else hour(value).replace(" ", NBSP)


def _french_value(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return french(value)
    return value


def _short(value: Any, limit: int = 160) -> str:
    """Cut a long free text (a reason, an address) at a word, for SMS."""
    text = " ".join(str(value).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _text(output: str) -> str:
    lines = [line.rstrip() for line in output.strip().splitlines()]
    # A text cut by `court` already ends its sentence: "…." would say it twice.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).replace("….", "…")
    return french(text)


# Tags, comments, style blocks and entities are left alone; French typography goes in between.
_MARKUP = re.compile(r"(<style\b.*?</style>|<!--.*?-->|<[^>]*>|&#?\w+;)", re.S | re.I)


def _french_html(html: str) -> str:
    parts = _MARKUP.split(html)
    return "".join(part if index % 2 else french(part) for index, part in enumerate(parts))


def booking_invitation(
    store: Store, reference: str, tz: ZoneInfo, *, place: Callable[[str], str] | None = None
) -> Attachment | None:
    """The booking's .ics for e-mails of booking kinds; None for an unknown reference.

    `place` gives a resource's address from its slug (`Commune.place`) for the LOCATION.
    """
    try:
        booking = store.get(reference)
        spec = store.spec(booking.resource)
        location = place(spec.slug) if place is not None else ""
    except (BookingNotFound, BookingRefused):
        return None
    except KeyError:  # removed from the commune file since the store was opened
        location = ""
    data = invitation(booking, spec, location=location, tz=tz)
    method = re.search(rb"^METHOD:(\w+)", data, re.M)
    params = f"; method={method[1].decode()}" if method else ""
    return Attachment(f"{booking.reference}.ics", f"text/calendar{params}; charset=utf-8", data)
