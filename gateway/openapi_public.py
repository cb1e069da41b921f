"""The OpenAPI description of the gateway's other public addresses: the chat (Rasa's REST
format), Open311 GeoReport v2 and the availability page."""

from __future__ import annotations

from typing import Any


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_ERROR = _ref("Error")
_OPEN311_ERRORS = _ref("Open311Errors")


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ERROR, description)


def _open311_error(description: str) -> dict[str, Any]:
    return _json(_OPEN311_ERRORS, description)


_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
SCHEMAS: dict[str, Any] = {
    "ChatMessage": {
        "type": "object",
        "required": ["sender", "message"],
        "properties": {
            "sender": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128,
                "description": "Identifiant secret de la conversation, choisi par le client.",
            },
            "message": {"type": "string", "description": "Le texte du résident (2 000 au plus)."},
            "metadata": {"type": ["object", "null"]},
        },
    },
    "ChatReply": {
        "type": "object",
        "required": ["recipient_id"],
        "properties": {
            "recipient_id": _TEXT,
            "text": _TEXT,
            "buttons": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["title", "payload"],
                    "properties": {"title": _TEXT, "payload": _TEXT},
                },
            },
            "image": _TEXT,
        },
    },
    "Open311Errors": {
        "type": "array",
        "description": "Les erreurs à la manière d’Open311 : un code et une description.",
        "items": {
            "type": "object",
            "required": ["code", "description"],
            "properties": {"code": {"type": "integer"}, "description": _TEXT},
        },
    },
    "Open311Service": {
        "type": "object",
        "required": ["service_code", "service_name", "metadata", "type"],
        "properties": {
            "service_code": _TEXT,
            "service_name": _TEXT,
            "description": _TEXT,
            "metadata": {"type": "boolean"},
            "type": {"enum": ["realtime", "batch", "blackbox"]},
            "keywords": _TEXT,
            "group": _TEXT,
        },
    },
    "Open311Request": {
        "type": "object",
        "required": ["service_request_id", "status", "service_code", "requested_datetime"],
        "properties": {
            "service_request_id": _TEXT,
            "status": {"enum": ["open", "closed"]},
            "status_notes": _NULLABLE_TEXT,
            "service_name": _TEXT,
            "service_code": _TEXT,
            "description": _NULLABLE_TEXT,
            "agency_responsible": _NULLABLE_TEXT,
            "service_notice": _NULLABLE_TEXT,
            "requested_datetime": {"type": "string", "format": "date-time"},
            "updated_datetime": {"type": ["string", "null"], "format": "date-time"},
            "expected_datetime": {"type": ["string", "null"], "format": "date-time"},
            "address": _NULLABLE_TEXT,
            "address_id": _NULLABLE_TEXT,
            "zipcode": _NULLABLE_TEXT,
            "lat": {"type": ["number", "null"]},
            "long": {"type": ["number", "null"]},
            "media_url": _NULLABLE_TEXT,
        },
    },
    "Open311NewRequest": {
        "type": "object",
        "required": ["api_key", "service_code"],
        "description": "lat et long ensemble, ou address_string (une rue de la commune).",
        "properties": {
            "api_key": _TEXT,
            "service_code": _TEXT,
            "lat": {"type": "number"},
            "long": {"type": "number"},
            "address_string": _TEXT,
            "description": _TEXT,
            "email": _TEXT,
            "phone": _TEXT,
            "first_name": _TEXT,
            "last_name": _TEXT,
        },
    },
}

_BODY_ERRORS = {
    "400": _error("JSON invalide, pas en UTF-8, trop imbriqué ou caractères illisibles."),
    "413": _error("Corps trop volumineux, ou message trop long."),
    "415": _error("Le corps doit être du JSON (application/json)."),
    "422": _error("Champ manquant ou invalide."),
}
_PREFIX = "/open311/v2"
_OPEN311_TAG = ["Open311"]
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
_CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}
_NEW_REQUEST = _ref("Open311NewRequest")
_NEW_ID = "$response.body#/0/service_request_id"
# What a client does next with a report it filed: read it; the agents see and handle it.
_FILED_LINKS = {
    "GetRequest": {"operationId": "open311Request", "parameters": {"id": _NEW_ID}},
    "AgentView": {"operationId": "getReport", "parameters": {"reference": _NEW_ID}},
    "ChangeStatus": {"operationId": "changeReportStatus", "parameters": {"reference": _NEW_ID}},
}
_TOO_MANY = "Trop de demandes depuis cette adresse : l’en-tête Retry-After dit quand réessayer."
_REQUESTS = {"type": "array", "items": _ref("Open311Request")}


def _query(name: str, description: str, **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": {"type": "string", **schema},
    }


PATHS: dict[str, Any] = {
    "/webhooks/rest/webhook": {
        "post": {
            "summary": "Un message du chat, au format REST de Rasa ; les réponses de l’assistant",
            "operationId": "chat",
            "tags": ["Chat"],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("ChatMessage")}},
            },
            "responses": {
                "200": _json(
                    {"type": "array", "items": _ref("ChatReply")},
                    "Les réponses (aucune quand un agent a repris la conversation).",
                ),
                **_BODY_ERRORS,
                "429": _error(_TOO_MANY),
            },
        }
    },
    "/webhooks/rest/": {
        "get": {
            "summary": "Le canal REST répond",
            "operationId": "chatStatus",
            "tags": ["Chat"],
            "responses": {"200": _json({"type": "object"}, 'Toujours {"status": "ok"}.')},
        }
    },
    "/disponibilites": {
        "get": {
            "summary": "La page des disponibilités (HTML)",
            "operationId": "availabilityPage",
            "parameters": [_query("semaine", "Premier jour montré (AAAA-MM-JJ).", format="date")],
            "responses": {
                "200": {"description": "La page.", "content": {"text/html": {"schema": _TEXT}}},
                "400": _error("Date illisible."),
            },
        }
    },
    f"{_PREFIX}/discovery.json": {
        "get": {
            "summary": "Open311 : où est l’API et qui la tient",
            "operationId": "open311Discovery",
            "tags": _OPEN311_TAG,
            "responses": {"200": _json({"type": "object"}, "La découverte GeoReport v2.")},
        }
    },
    f"{_PREFIX}/services.json": {
        "get": {
            "summary": "Open311 : les catégories de signalement",
            "operationId": "open311Services",
            "tags": _OPEN311_TAG,
            "responses": {
                "200": _json(
                    {"type": "array", "items": _ref("Open311Service")},
                    "Les catégories.",
                )
            },
        }
    },
    f"{_PREFIX}/services/{{code}}.json": {
        "get": {
            "summary": "Open311 : les attributs d’une catégorie (aucun)",
            "operationId": "open311Service",
            "tags": _OPEN311_TAG,
            "parameters": [_CODE],
            "responses": {
                "200": _json({"type": "object"}, "La catégorie et ses attributs."),
                "404": _open311_error("Catégorie inconnue."),
            },
        }
    },
    f"{_PREFIX}/requests.json": {
        "get": {
            "summary": "Open311 : les signalements (90 derniers jours par défaut)",
            "operationId": "open311Requests",
            "tags": _OPEN311_TAG,
            "parameters": [
                _query("service_request_id", "Numéros séparés par des virgules."),
                _query("service_code", "Catégories séparées par des virgules."),
                _query("status", "open ou closed (séparés par des virgules)."),
                _query("start_date", "Depuis (ISO 8601).", format="date-time"),
                _query("end_date", "Jusqu’à (ISO 8601).", format="date-time"),
            ],
            "responses": {
                "200": _json(_REQUESTS, "Les signalements (1 000 au plus)."),
                "400": _open311_error("Filtre invalide."),
            },
        },
        "post": {
            "summary": "Open311 : signaler un problème (clé d’API nécessaire)",
            "operationId": "open311NewRequest",
            "tags": _OPEN311_TAG,
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": _NEW_REQUEST},
                    "application/json": {"schema": _NEW_REQUEST},
                },
            },
            "responses": {
                "200": {
                    **_json({"type": "array"}, "Déjà signalé : la demande y est rattachée."),
                    "links": _FILED_LINKS,
                },
                "201": {
                    **_json({"type": "array"}, "Signalement enregistré."),
                    "links": _FILED_LINKS,
                },
                "400": _open311_error("Demande invalide ou illisible."),
                "403": _open311_error("Clé d’API absente ou invalide."),
                "413": _open311_error("Corps trop volumineux."),
                "429": _open311_error(_TOO_MANY),
            },
        },
    },
    f"{_PREFIX}/requests/{{id}}.json": {
        "get": {
            "summary": "Open311 : un signalement",
            "operationId": "open311Request",
            "tags": _OPEN311_TAG,
            "parameters": [_ID],
            "responses": {
                "200": _json(_REQUESTS, "Le signalement (une liste d’un élément)."),
                "404": _open311_error("Numéro inconnu."),
            },
        }
    },
}
