"""The OpenAPI 3.1 description of the public booking API, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from gateway import openapi_public as public
from gateway.reports_api import OPENAPI_PATHS as REPORT_PATHS
from gateway.webchat import OPENAPI_PATHS as CHAT_PATHS

EXAMPLE_START = "2030-06-15T00:00:00+02:00"
EXAMPLE_END = "2030-06-16T00:00:00+02:00"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


_ICS = {
    "description": "Un calendrier iCalendar (RFC 5545).",
    "content": {"text/calendar": {"schema": {"type": "string"}}},
}
_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "Nom court de la ressource (par exemple salle-des-fetes).",
    "schema": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
}
_REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "description": "Numéro de réservation (par exemple SDF-7KQ2).",
    "schema": {"type": "string"},
}
_INSTANT = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 avec décalage horaire, heure de Paris dans les réponses.",
    "examples": [EXAMPLE_START],
}
_AMOUNT = {"type": "number", "minimum": 0, "description": "En euros."}
_REQUESTERS = ["resident", "exterieur", "association"]

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "reason"],
        "properties": {
            "error": {"type": "string", "description": "Message en français, à afficher."},
            "reason": {"type": "string", "description": "Code stable (taken, past, invalid…)."},
            "details": {"type": "array", "items": _ref("FieldError")},
            "alternatives": {"type": "array", "items": _ref("Period")},
            "left": {"type": "integer", "description": "Quantité encore disponible."},
            "retry_after": {
                "type": "integer",
                "description": "Secondes avant de réessayer (429, comme l’en-tête Retry-After).",
            },
        },
    },
    "FieldError": {
        "type": "object",
        "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "examples": ["requester.phone"]},
            "message": {"type": "string"},
        },
    },
    "Period": {
        "type": "object",
        "required": ["start", "end", "left"],
        "properties": {
            "start": _INSTANT,
            "end": {**_INSTANT, "examples": [EXAMPLE_END]},
            "left": {"type": "integer", "minimum": 0, "description": "Stock restant (matériel)."},
        },
    },
    "Resource": {
        "type": "object",
        "required": [
            "slug",
            "name",
            "kind",
            "unit",
            "capacity",
            "stock",
            "prices",
            "deposit",
            "approval",
            "allowed",
        ],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"enum": ["room", "equipment", "appointment"]},
            "unit": {"enum": ["day", "hour", "slot"]},
            "capacity": {"type": ["integer", "null"]},
            "stock": {"type": "integer", "minimum": 1},
            "prices": {
                "type": "object",
                "description": "Prix par unité (et par objet), selon le type de demandeur.",
                "propertyNames": {"enum": _REQUESTERS},
                "additionalProperties": _AMOUNT,
            },
            "deposit": _AMOUNT,
            "approval": {"type": "boolean", "description": "Un agent valide chaque demande."},
            "allowed": {"type": "array", "items": {"enum": _REQUESTERS}},
        },
    },
    "Availability": {
        "type": "object",
        "required": ["resource", "from", "to", "free"],
        "properties": {
            "resource": {"type": "string"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "free": {"type": "array", "items": _ref("Period")},
        },
    },
    "Requester": {
        "type": "object",
        "required": ["name", "type"],
        "additionalProperties": False,
        "description": "Un téléphone (français ou international) ou une adresse e-mail au moins.",
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 120},
            "type": {"enum": _REQUESTERS},
            "phone": {"type": ["string", "null"], "examples": ["06 12 34 56 78"]},
            "email": {"type": ["string", "null"], "format": "email"},
            "association": {
                "type": ["string", "null"],
                "description": "Obligatoire quand type vaut association.",
            },
        },
        "anyOf": [{"required": ["phone"]}, {"required": ["email"]}],
    },
    "BookingRequest": {
        "type": "object",
        "required": ["resource", "start", "end", "requester"],
        "additionalProperties": False,
        "properties": {
            "resource": {"type": "string"},
            "start": _INSTANT,
            "end": {**_INSTANT, "examples": [EXAMPLE_END]},
            "quantity": {"type": "integer", "minimum": 1, "default": 1},
            "requester": _ref("Requester"),
        },
    },
    "Booking": {
        "type": "object",
        "required": [
            "reference",
            "status",
            "cancel_token",
            "resource",
            "start",
            "end",
            "quantity",
            "price",
            "deposit",
            "ics",
        ],
        "properties": {
            "reference": {"type": "string", "examples": ["SDF-7KQ2"]},
            "status": {
                "enum": ["confirmed", "pending"],
                "description": "pending : un agent doit encore accepter la demande.",
            },
            "cancel_token": {
                "type": "string",
                "description": "Secret à garder : il permet d’annuler. Donné une seule fois.",
            },
            "resource": {"type": "string"},
            "start": _INSTANT,
            "end": _INSTANT,
            "quantity": {"type": "integer"},
            "price": _AMOUNT,
            "deposit": _AMOUNT,
            "ics": {"type": "string", "description": "Adresse de l’invitation iCalendar."},
        },
    },
    "CancelRequest": {
        "type": "object",
        "required": ["cancel_token"],
        "additionalProperties": False,
        "properties": {"cancel_token": {"type": "string"}},
    },
    "Cancelled": {
        "type": "object",
        "required": ["reference", "status"],
        "properties": {"reference": {"type": "string"}, "status": {"const": "cancelled"}},
    },
}

_BODY_ERRORS = {
    "400": _error("JSON invalide."),
    "413": _error("Corps de requête trop volumineux."),
    "415": _error("Le corps doit être du JSON (application/json)."),
    "422": _error("Demande invalide : `details` liste les champs à corriger."),
}

# What a client does next with a booking it made: cancel it, fetch its invitation.
_BOOKED_LINKS = {
    "Cancel": {
        "operationId": "cancelBooking",
        "parameters": {"reference": "$response.body#/reference"},
        "requestBody": {"cancel_token": "$response.body#/cancel_token"},
    },
    "Invitation": {
        "operationId": "getBookingInvitation",
        "parameters": {"reference": "$response.body#/reference"},
    },
}

# Rates of public writes (the commune file's limites.envois): the header says when to retry.
_TOO_MANY = (
    "Trop de demandes depuis cette adresse : l’en-tête Retry-After dit dans combien de "
    "secondes réessayer."
)

PATHS: dict[str, Any] = {
    "/api/openapi.json": {
        "get": {
            "summary": "Cette description OpenAPI",
            "operationId": "openapi",
            "responses": {"200": {"description": "OpenAPI 3.1, en JSON."}},
        }
    },
    "/api/resources": {
        "get": {
            "summary": "Les ressources réservables, leurs tarifs et leurs règles",
            "operationId": "listResources",
            "responses": {
                "200": _json({"type": "array", "items": _ref("Resource")}, "Les ressources.")
            },
        }
    },
    "/api/resources/{slug}/availability": {
        "get": {
            "summary": "Les périodes libres d’une ressource",
            "operationId": "getAvailability",
            "parameters": [
                _SLUG,
                {
                    "name": "from",
                    "in": "query",
                    "description": "Premier jour (AAAA-MM-JJ), aujourd’hui par défaut.",
                    "schema": {"type": "string", "format": "date"},
                },
                {
                    "name": "to",
                    "in": "query",
                    "description": "Dernier jour inclus, from + 13 jours par défaut ; 92 jours "
                    "au plus.",
                    "schema": {"type": "string", "format": "date"},
                },
            ],
            "responses": {
                "200": _json(_ref("Availability"), "Les périodes libres, heure de Paris."),
                "400": _error("Date invalide, to avant from, ou plus de 92 jours."),
                "404": _error("Ressource inconnue."),
            },
        }
    },
    "/api/resources/{slug}/calendar.ics": {
        "get": {
            "summary": "Les périodes occupées des douze prochains mois (sans données personnelles)",
            "operationId": "getBusyCalendar",
            "parameters": [_SLUG],
            "responses": {"200": _ICS, "404": _error("Ressource inconnue.")},
        }
    },
    "/api/bookings": {
        "post": {
            "summary": "Réserver",
            "operationId": "createBooking",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("BookingRequest")}},
            },
            "responses": {
                "201": {
                    **_json(_ref("Booking"), "Réservation créée (ou demande en attente)."),
                    "links": _BOOKED_LINKS,
                },
                **_BODY_ERRORS,
                "404": _error("Ressource inconnue."),
                "409": _error("Déjà pris : `alternatives` propose d’autres périodes."),
                "429": _error(_TOO_MANY),
            },
        }
    },
    "/api/bookings/{reference}/cancel": {
        "post": {
            "summary": "Annuler avec le jeton reçu à la réservation",
            "operationId": "cancelBooking",
            "parameters": [_REFERENCE],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("CancelRequest")}},
            },
            "responses": {
                "200": _json(_ref("Cancelled"), "Réservation annulée."),
                **_BODY_ERRORS,
                "403": _error("Jeton d’annulation incorrect."),
                "404": _error("Réservation inconnue."),
                "409": _error("Réservation déjà annulée."),
                "429": _error(_TOO_MANY),
            },
        }
    },
    "/api/bookings/{reference}.ics": {
        "get": {
            "summary": "L’invitation iCalendar d’une réservation (sans données personnelles)",
            "operationId": "getBookingInvitation",
            "parameters": [_REFERENCE],
            "responses": {"200": _ICS, "404": _error("Réservation inconnue.")},
        }
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Guichet — l’API publique de la mairie",
        "version": "1.0.0",
        "description": "Ressources, disponibilités, réservations et annulations ; "
        "signalements (API des agents, photos, Open311 GeoReport v2) ; chat. Les erreurs "
        "sont du JSON : `error` (message en français) et `reason` (code stable), ou la liste "
        "`code`, `description` d’Open311.",
    },
    "paths": {**PATHS, **REPORT_PATHS, **CHAT_PATHS, **public.PATHS},
    "components": {"schemas": {**SCHEMAS, **public.SCHEMAS}},
}
