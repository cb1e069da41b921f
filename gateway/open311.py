"""Open311 GeoReport v2 (JSON only): the commune's report categories and its street reports.

Reading is public and holds nothing personal; posting needs an api_key from OPEN311_API_KEYS.
Errors follow the specification: a JSON array of {"code", "description"} with the HTTP status.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot import wish
from bot.commune import Commune, CommuneStore
from bot.places import match_street
from bot.report_wording import public_text
from bot.reports import (
    OPEN,
    Draft,
    Filed,
    Report,
    Reporter,
    ReportError,
    ReportNotFound,
    ReportStore,
    Status,
)
from gateway import body

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
PREFIX = "/open311/v2"
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
_CLOSED = frozenset(Status) - OPEN


class Open311Error(Exception):
    """An error answered the Open311 way."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description

    def response(self) -> JSONResponse:
        body = [{"code": self.status, "description": self.description}]
        return JSONResponse(body, status_code=self.status)


def w3c(instant: datetime, tz: ZoneInfo) -> str:
    """An instant as the W3C profile of ISO 8601 wants it, with the commune's offset."""
    return instant.astimezone(tz).isoformat(timespec="seconds")


def _instant(value: str, name: str) -> datetime:
    text = value.strip()
    try:
        # A "+02:00" sent unencoded in a query string arrives as " 02:00".
        parsed = datetime.fromisoformat(text.replace(" ", "+") if "T" in text else text)
    except ValueError:
        raise Open311Error(
            400, f"{name} doit être une date ISO 8601, par exemple 2026-11-28T09:00:00+01:00."
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _number(fields: dict[str, str], name: str) -> float | None:
    raw = fields.get(name, "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} doit être un nombre (degrés WGS 84).") from None


class Open311:
    """The handlers of /open311/v2."""

    def __init__(
        self,
        store: ReportStore,
        commune: CommuneStore,
        *,
        api_keys: tuple[str, ...],
        public_url: str,
    ) -> None:
        self.store = store
        self.commune = commune
        self.api_keys = api_keys
        self.public_url = public_url

    def routes(self) -> list[BaseRoute]:
        handle = self._handle
        return [
            Route(f"{PREFIX}/discovery.{{format}}", handle(self.discovery)),
            Route(f"{PREFIX}/services.{{format}}", handle(self.services)),
            Route(f"{PREFIX}/services/{{code}}.{{format}}", handle(self.service)),
            Route(f"{PREFIX}/requests.{{format}}", handle(self.requests), methods=["GET", "POST"]),
            Route(f"{PREFIX}/requests/{{id}}.{{format}}", handle(self.request)),
        ]

    @staticmethod
    def _handle(
        handler: Callable[[Request], Awaitable[Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                if request.path_params.get("format") != "json":
                    raise Open311Error(400, "Seul le format JSON est proposé (suffixe .json).")
                return await handler(request)
            except Open311Error as error:
                return error.response()

        return endpoint

    # -- services ------------------------------------------------------------------------

    async def discovery(self, _request: Request) -> Response:
        commune = self.commune.get()
        changed = datetime.fromtimestamp(os.stat(self.commune.path).st_mtime, UTC)
        town_hall = commune.data.mairie
        return JSONResponse(
            {
                "changeset": w3c(changed, _tz(commune)),
                "contact": f"Mairie de {commune.name}, {town_hall.telephone}, {town_hall.email}",
                "key_service": f"Demandez une clé d’API à la mairie : {town_hall.email}",
                "endpoints": [
                    {
                        "specification": SPECIFICATION,
                        "url": f"{self.public_url}{PREFIX}",
                        "changeset": w3c(changed, _tz(commune)),
                        "type": "production",
                        "formats": ["application/json"],
                    }
                ],
            }
        )

    async def services(self, _request: Request) -> Response:
        categories = self.commune.get().data.signalements.categories
        return JSONResponse(
            [
                {
                    "service_code": code,
                    "service_name": category.nom,
                    "description": f"Signaler un problème : {category.nom}.",
                    "metadata": False,
                    "type": "realtime",
                    "keywords": ",".join(category.mots),
                    "group": "signalements",
                }
                for code, category in categories.items()
            ]
        )

    async def service(self, request: Request) -> Response:
        code = request.path_params["code"]
        if code not in self.commune.get().data.signalements.categories:
            raise Open311Error(404, f"Service inconnu : {code[:60]}.")
        # No service asks for extra attributes (metadata is false for all of them).
        return JSONResponse({"service_code": code, "attributes": []})

    # -- requests ------------------------------------------------------------------------

    async def requests(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.post(request)
        return await self.search(request)

    async def request(self, request: Request) -> Response:
        reference = str(request.path_params["id"])
        try:
            report = await run_in_threadpool(self.store.get, reference)
        except ReportNotFound:
            raise Open311Error(
                404, f"Aucune demande ne porte le numéro {reference[:20]}."
            ) from None
        return JSONResponse([self._describe(report, self.commune.get())])

    async def search(self, request: Request) -> Response:
        query = request.query_params
        ids = [part.strip() for part in query.get("service_request_id", "").split(",")]
        ids = [i for i in ids if i]
        if ids:  # the other filters are ignored, as the specification says
            found = await run_in_threadpool(
                lambda: self.store.search(reference=ids, limit=MAX_REQUESTS)
            )
        else:
            codes = [c.strip() for c in query.get("service_code", "").split(",") if c.strip()]
            statuses: set[Status] | None = None
            if query.get("status", "").strip():
                statuses = set()
                for word in query["status"].split(","):
                    if word.strip().lower() not in ("open", "closed"):
                        raise Open311Error(400, "status vaut open ou closed.")
                    statuses |= OPEN if word.strip().lower() == "open" else _CLOSED
            start = _instant(query["start_date"], "start_date") if "start_date" in query else None
            end = _instant(query["end_date"], "end_date") if "end_date" in query else None
            if start is None and end is None:
                start = datetime.now(UTC) - timedelta(days=DEFAULT_DAYS)
            if start is not None and end is not None and end < start:
                raise Open311Error(400, "end_date doit venir après start_date.")

            def find() -> list[Report]:
                return self.store.search(
                    category=codes or None,
                    status=statuses,
                    start=start,
                    end=end,
                    limit=MAX_REQUESTS,
                )

            found = await run_in_threadpool(find)
        commune = self.commune.get()
        return JSONResponse([self._describe(report, commune) for report in found])

    async def post(self, request: Request) -> Response:
        fields = await self._fields(request)
        if not any(
            hmac.compare_digest(fields.get("api_key", "").encode(), key.encode())
            for key in self.api_keys
        ):
            raise Open311Error(403, "Clé d’API (api_key) absente ou invalide.")
        commune = self.commune.get()
        territory = commune.data.signalements
        code = fields.get("service_code", "").strip()
        if not code:
            raise Open311Error(400, "service_code est obligatoire.")
        if code not in territory.categories:
            raise Open311Error(400, f"service_code inconnu : {code[:60]}.")
        lat, lon = _number(fields, "lat"), _number(fields, "long")
        address = fields.get("address_string", "").strip() or None
        if (lat is None) != (lon is None):
            raise Open311Error(400, "lat et long vont ensemble.")
        if lat is None and address is None:
            raise Open311Error(400, "Indiquez lat et long, ou address_string.")
        found = match_street(address, territory.rues) if address else None
        if lat is None and found is None:
            raise Open311Error(400, "address_string ne nomme aucune rue connue de la commune.")
        description = fields.get("description", "").strip() or territory.categories[code].nom
        draft = Draft(code, description, found.street.nom if found else None, address, lat, lon)
        filed = await run_in_threadpool(self._file, draft, _reporter(fields))
        notice = (
            "Ce problème était déjà signalé : votre demande y est rattachée."
            if filed.duplicate
            else "Signalement enregistré : la mairie le traitera au plus vite."
        )
        body = [
            {
                "service_request_id": filed.report.reference,
                "service_notice": notice,
                "account_id": None,
            }
        ]
        return JSONResponse(body, status_code=200 if filed.duplicate else 201)

    def _file(self, draft: Draft, reporter: Reporter) -> Filed:
        try:
            return self.store.file(draft, reporter, by="open311")
        except ReportError as error:
            raise Open311Error(400, error.message) from None

    async def _fields(self, request: Request) -> dict[str, str]:
        """The posted fields: form-encoded (as the specification says) or JSON; query too."""
        media_type = body.media_type(request)
        if media_type not in (body.FORM_TYPE, body.JSON_TYPE):
            raise Open311Error(
                400, "Envoyez la demande en application/x-www-form-urlencoded (ou en JSON)."
            )
        fields = dict(request.query_params)
        try:
            raw = await body.read(request)
            if media_type == body.FORM_TYPE:
                posted = body.fields(raw)
            else:
                document = body.document(raw) if raw.strip() else {}
                if not isinstance(document, dict):
                    raise Open311Error(400, "Le contenu de la requête est illisible.")
                posted = {k: "" if v is None else str(v) for k, v in document.items()}
        except body.BodyError as error:
            raise Open311Error(error.status, error.message) from None
        fields.update(posted)
        return fields

    def _describe(self, report: Report, commune: Commune) -> dict[str, Any]:
        category = commune.data.signalements.categories.get(report.category)
        tz = _tz(commune)
        notes = next((c.comment for c in reversed(report.changes) if c.comment), None)
        photo = f"{self.public_url}/api/photos/{report.photo_key}" if report.photo_key else None
        return {
            "service_request_id": report.reference,
            "status": "open" if report.status in OPEN else "closed",
            "status_notes": notes,
            "service_name": category.nom if category else report.category,
            "service_code": report.category,
            # Never the resident's words (a name, a phone number…): see public_text.
            "description": public_text(report, category.nom if category else report.category),
            "agency_responsible": f"Mairie de {commune.name}",
            "service_notice": None,
            "requested_datetime": w3c(report.created_at, tz),
            "updated_datetime": w3c(report.updated_at, tz),
            "expected_datetime": None,
            "address": report.street,  # the street as the commune spells it, not as typed
            "address_id": None,
            "zipcode": None,
            "lat": report.lat,
            "long": report.lon,
            "media_url": photo,
        }


def _tz(commune: Commune) -> ZoneInfo:
    return ZoneInfo(commune.data.fuseau_horaire)


def _reporter(fields: dict[str, str]) -> Reporter:
    email = fields.get("email", "").strip().lower() or None
    if email is not None and (len(email) > 254 or not wish.is_email(email)):
        raise Open311Error(400, "email n’est pas une adresse électronique valide.")
    phone = None
    if fields.get("phone", "").strip():
        phone = wish.normalise_phone(fields["phone"])
        if phone is None:
            raise Open311Error(400, "phone n’est pas un numéro de téléphone valide.")
    name = " ".join(
        part
        for part in (fields.get("first_name", "").strip(), fields.get("last_name", "").strip())
        if part
    )
    return Reporter(None, None, phone=phone, email=email, name=name[:200] or None)
