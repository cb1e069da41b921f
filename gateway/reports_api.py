"""The agents' report API (bearer tokens) and photos: upload, cleaned, then served publicly."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.photos import MAX_PHOTO_BYTES, CleanPhoto, PhotoRefused, clean_photo
from bot.reports import Report, ReportError, ReportNotFound, ReportStore
from bot.transcript import ConversationRef
from channels import rest
from gateway import body
from gateway.booking_json import ApiError, answering, read_json

PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# A refusal of the store that is the request's fault (422) or the report's state (409).
_CONFLICTS = frozenset({"unchanged", "not_resolved"})


def report_json(report: Report) -> dict[str, Any]:
    """A report as agents see it, with its whole history."""
    return {
        "reference": report.reference,
        "category": report.category,
        "description": report.description,
        "street": report.street,
        "address": report.address,
        "lat": report.lat,
        "lon": report.lon,
        "status": str(report.status),
        "created_at": report.created_at.isoformat(),
        "updated_at": report.updated_at.isoformat(),
        "photo": f"/api/photos/{report.photo_key}" if report.photo_key else None,
        "history": [
            {
                "status": str(change.status),
                "by": change.by,
                "at": change.at.isoformat(),
                "comment": change.comment,
            }
            for change in report.changes
        ],
    }


def _not_found() -> ApiError:
    return ApiError(404, "report_not_found", "Aucun signalement ne porte ce numéro.")


class ReportsApi:
    """/api/reports (agents only) and /api/photos."""

    def __init__(self, store: ReportStore, *, tokens: tuple[str, ...]) -> None:
        self.store = store
        self.tokens = tokens

    def routes(self) -> list[BaseRoute]:
        handle = answering
        return [
            Route("/api/reports/{reference}", handle(self.show)),
            Route("/api/reports/{reference}/status", handle(self.change), methods=["POST"]),
            Route("/api/photos", handle(self.upload), methods=["POST"]),
            Route("/api/photos/{key}", handle(self.photo)),
        ]

    def _agent(self, request: Request) -> str:
        """Who the bearer token names ("agent:" and a short hash); 401 without a good one."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        given = token.strip().encode()
        # Compare with every token, always, so that timing tells nothing.
        matched = [hmac.compare_digest(given, known.encode()) for known in self.tokens]
        if scheme.lower() != "bearer" or not given or not any(matched):
            error = ApiError(401, "unauthorized", "Jeton d’agent absent ou invalide.")
            raise error
        return "agent:" + hashlib.sha256(given).hexdigest()[:8]

    async def show(self, request: Request) -> Response:
        self._agent(request)
        try:
            report = await run_in_threadpool(self.store.get, request.path_params["reference"])
        except ReportNotFound:
            raise _not_found() from None
        return JSONResponse(report_json(report))

    async def change(self, request: Request) -> Response:
        agent = self._agent(request)
        document = await read_json(request)
        status = document.get("status") if isinstance(document, dict) else None
        comment = document.get("comment") if isinstance(document, dict) else None
        details = []
        if not isinstance(status, str):
            details.append({"field": "status", "message": "Ce champ est obligatoire (texte)."})
        if comment is not None and not isinstance(comment, str):
            details.append({"field": "comment", "message": "Du texte est attendu."})
        if details:
            raise ApiError(422, "invalid", "La demande contient des erreurs.", details=details)
        reference = request.path_params["reference"]
        wanted, note = str(status), comment if isinstance(comment, str) else None

        def change() -> Report:
            return self.store.change(reference, wanted, by=agent, comment=note)

        try:
            report = await run_in_threadpool(change)
        except ReportNotFound:
            raise _not_found() from None
        except ReportError as error:
            raise ApiError(
                409 if error.reason in _CONFLICTS else 422, error.reason, error.message
            ) from None
        return JSONResponse(report_json(report))

    async def upload(self, request: Request) -> Response:
        # Open to residents (the web chat attaches photos to reports): the size cap and the
        # image check with Pillow are the guard, and the stored copy has no metadata left.
        # The photo belongs to the web chat conversation named by `sender`: only it may
        # attach the photo to a report, by the random id answered here.
        sender = request.query_params.get("sender", "")
        if not rest.valid_sender(sender):
            raise ApiError(
                422,
                "missing_sender",
                "Indiquez la conversation qui envoie la photo (paramètre « sender »).",
            )
        owner = ConversationRef(rest.CHANNEL, sender).id  # (its rate: gateway/throttle.py)
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type not in PHOTO_TYPES:
            raise ApiError(415, "unsupported_media_type", "Envoyez une photo JPEG, PNG ou WebP.")
        data = await _read_photo(request)
        try:
            photo: CleanPhoto = await run_in_threadpool(clean_photo, data)
        except PhotoRefused as error:
            raise ApiError(422, "photo_refused", error.message) from None
        public_id = await run_in_threadpool(self.store.save_photo, photo, owner)
        return JSONResponse(
            {"photo": public_id, "url": f"/api/photos/{public_id}"}, status_code=201
        )

    async def photo(self, request: Request) -> Response:
        unknown = ApiError(404, "photo_not_found", "Aucune photo ne porte ce nom.")
        said = str(request.path_params["key"])
        # A random public id, or the SHA-256 links made before public ids existed.
        if not re.fullmatch(r"[0-9a-f]{32}|[0-9a-f]{64}", said):
            raise unknown
        try:
            photo = await run_in_threadpool(self.store.photo, said)
        except ReportNotFound:
            raise unknown from None
        return Response(
            photo.data,
            media_type=photo.mime,
            headers={"Cache-Control": "public, max-age=86400", "Content-Disposition": "inline"},
        )


async def _read_photo(request: Request) -> bytes:
    """The body, refused with 413 as soon as it is known to be over the limit."""
    try:
        return await body.read(
            request, MAX_PHOTO_BYTES, reason="photo_too_large", message="La photo dépasse 10 Mo."
        )
    except body.BodyError as error:
        raise ApiError(error.status, error.reason, error.message) from None


# -- OpenAPI description of these routes (for gateway/openapi.py to merge into its paths) --------

_ERROR = {"$ref": "#/components/schemas/Error"}


def _answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema or _ERROR}},
    }


_STATUS = {"enum": ["received", "acknowledged", "in_progress", "resolved", "rejected"]}
_REPORT = {
    "type": "object",
    "description": "Un signalement et son historique (le plus ancien d’abord).",
    "properties": {
        "reference": {"type": "string", "examples": ["SIG-4F7P"]},
        "category": {"type": "string"},
        "description": {"type": "string"},
        "street": {"type": ["string", "null"]},
        "address": {"type": ["string", "null"]},
        "lat": {"type": ["number", "null"]},
        "lon": {"type": ["number", "null"]},
        "status": _STATUS,
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "photo": {"type": ["string", "null"]},
        "history": {"type": "array", "items": {"type": "object"}},
    },
}
_BEARER = "Réservé aux agents : en-tête `Authorization: Bearer <jeton>` (AGENT_API_TOKENS)."
_REFERENCE_PARAMETER = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "Numéro du signalement (par exemple SIG-4F7P).",
    "schema": {"type": "string"},
}
OPENAPI_PATHS: dict[str, Any] = {
    "/api/reports/{reference}": {
        "get": {
            "summary": "Un signalement avec son historique",
            "description": _BEARER,
            "operationId": "getReport",
            "parameters": [_REFERENCE_PARAMETER],
            "responses": {
                "200": _answer("Le signalement.", _REPORT),
                "401": _answer("Jeton absent ou invalide."),
                "404": _answer("Signalement inconnu."),
            },
        }
    },
    "/api/reports/{reference}/status": {
        "post": {
            "summary": "Changer l’état d’un signalement (les habitants concernés sont prévenus)",
            "description": _BEARER + " Un rejet demande un commentaire : la raison.",
            "operationId": "changeReportStatus",
            "parameters": [_REFERENCE_PARAMETER],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["status"],
                            "properties": {
                                "status": _STATUS,
                                "comment": {"type": "string", "maxLength": 2000},
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _answer("Le signalement changé.", _REPORT),
                "400": _answer(
                    "JSON illisible, pas en UTF-8, trop imbriqué ou caractères illisibles."
                ),
                "401": _answer("Jeton absent ou invalide."),
                "404": _answer("Signalement inconnu."),
                "409": _answer("Le signalement est déjà dans cet état."),
                "413": _answer("Corps trop volumineux (64 Ko au plus)."),
                "415": _answer("Le corps doit être du JSON."),
                "422": _answer("État inconnu, ou rejet sans raison."),
            },
        }
    },
    "/api/photos": {
        "post": {
            "summary": "Déposer une photo (nettoyée : plus d’EXIF ni de position GPS)",
            "description": "Pour le chat web : la photo appartient à la conversation `sender`, "
            "la seule qui puisse la joindre à un signalement, par l’identifiant aléatoire "
            "renvoyé.",
            "operationId": "uploadPhoto",
            "parameters": [
                {
                    "name": "sender",
                    "in": "query",
                    "required": True,
                    "description": "Identifiant secret de la conversation du chat web.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    kind: {"schema": {"type": "string", "contentMediaType": kind}}
                    for kind in sorted(PHOTO_TYPES)
                },
            },
            "responses": {
                "201": _answer(
                    "Photo gardée : son identifiant (à joindre au message) et son adresse.",
                    {
                        "type": "object",
                        "properties": {
                            "photo": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                            "url": {"type": "string"},
                        },
                    },
                ),
                "413": _answer("Plus de 10 Mo."),
                "415": _answer("Ni JPEG, ni PNG, ni WebP."),
                "422": _answer("Fichier illisible, abîmé ou démesuré, ou « sender » absent."),
                "429": _answer("Trop de photos envoyées en peu de temps (en-tête Retry-After)."),
            },
        }
    },
    "/api/photos/{key}": {
        "get": {
            "summary": "Une photo nettoyée (publique : c’est le media_url d’Open311)",
            "operationId": "getPhoto",
            "parameters": [
                {
                    "name": "key",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^([0-9a-f]{32}|[0-9a-f]{64})$"},
                }
            ],
            "responses": {
                "200": {
                    "description": "L’image.",
                    "content": {
                        kind: {"schema": {"type": "string"}} for kind in sorted(PHOTO_TYPES)
                    },
                },
                "404": _answer("Photo inconnue."),
            },
        }
    },
}
