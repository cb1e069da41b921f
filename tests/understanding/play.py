"""Play first messages through the running gateway and read back what was answered."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.models import Message
from tests.understanding.judge import Case, Verdict, judge, tagged


@dataclass(frozen=True)
class Played:
    case: Case
    answers: list[tuple[str, str]]
    verdict: Verdict


def rows(engine: Engine, conversation_id: str) -> list[dict[str, Any]]:
    with Session(engine) as session:
        found = session.scalars(
            select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
        ).all()
        return [{"direction": m.direction, "text": m.text, "payload": m.payload} for m in found]


def play(client: httpx.Client, engine: Engine, items: Iterable[Case]) -> list[Played]:
    """Each case as the first message of a new web-chat conversation."""
    played = []
    for case in items:
        sender = f"understanding-{uuid.uuid4().hex[:12]}"
        response = client.post(
            "/webhooks/rest/webhook", json={"sender": sender, "message": case.text}
        )
        response.raise_for_status()
        answers = tagged(rows(engine, f"web:{sender}"))
        played.append(Played(case, answers, judge(case, answers)))
    return played


def summary(played: list[Played]) -> dict[str, Any]:
    """Share right per family and overall, emergencies right, false alarms."""
    families: dict[str, list[bool]] = {}
    for p in played:
        families.setdefault(p.case.family, []).append(p.verdict.right)
    dangers = [p for p in played if any(e.startswith("emergency") for e in p.case.expect)]
    return {
        "messages": len(played),
        "right": sum(p.verdict.right for p in played) / max(1, len(played)),
        "in_order": sum(p.verdict.right and p.verdict.in_order for p in played)
        / max(1, len(played)),
        "families": {f: sum(v) / len(v) for f, v in sorted(families.items())},
        "emergencies": len(dangers),
        "emergencies_right": sum(p.verdict.right for p in dangers),
        "false_alarms": sum(p.verdict.false_alarm for p in played),
        "wrong": [
            {"family": p.case.family, "text": p.case.text, "why": p.verdict.why}
            for p in played
            if not p.verdict.right
        ],
    }
