"""The web chat's poll: what the town hall said without being asked (an agent's reply, a
handoff notice), since the last message the page showed. Nothing can push to a web page."""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.transcript import ConversationRef, Transcript
from channels import rest

PATH = "/api/chat/{sender}/messages"


def routes(transcript: Transcript) -> list[Route]:
    async def pushed(request: Request) -> Response:
        sender = request.path_params["sender"]
        after = request.query_params.get("apres", "0")
        if not rest.valid_sender(sender) or not after.isdigit() or len(after) > 18:
            return JSONResponse(
                {"error": "Conversation ou position illisible.", "reason": "invalid_request"},
                status_code=422,
            )
        found = await run_in_threadpool(
            transcript.pushed, ConversationRef(rest.CHANNEL, sender).id, int(after)
        )
        messages = [{"id": m.id, "author": m.author, "text": m.text} for m in found if m.text]
        return JSONResponse(
            {"messages": messages, "last": found[-1].id if found else int(after)},
            headers={"Cache-Control": "no-store"},
        )

    return [Route(PATH, pushed)]


_MESSAGE = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "author": {"enum": ["agent", "system"]},
        "text": {"type": "string"},
    },
}
OPENAPI_PATHS: dict[str, Any] = {
    PATH: {
        "get": {
            "summary": "Messages d’un agent (et avis de transfert) depuis le dernier affiché",
            "description": "Le chat web interroge cette adresse toutes les 3 s : la "
            "conversation est identifiée par son identifiant secret (`sender`).",
            "operationId": "getPushedMessages",
            "parameters": [
                {"name": "sender", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "apres",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 0},
                    "description": "Identifiant du dernier message déjà affiché (0 au début).",
                },
            ],
            "responses": {
                "200": {
                    "description": "Les messages nouveaux, et l’identifiant à redonner.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "messages": {"type": "array", "items": _MESSAGE},
                                    "last": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "422": {"description": "Conversation ou position illisible."},
            },
        }
    }
}
