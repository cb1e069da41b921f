"""After an outage: who comes back to the assistant, what they are told, and the background job
(the whole story against the real processes is in test_faults.py)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.commune import CommuneStore
from bot.handoff import Handoffs
from bot.outbox import Notification
from bot.settings import ROOT
from bot.transcript import ConversationRef
from calendar_store.store import Store
from gateway.recovery import Recovery
from tests.helpers.calendar import Clock, at, request

COMMUNE = CommuneStore(ROOT / "communes" / "clairval.yml")
WEB = ConversationRef("web", "camille")
SMS = ConversationRef("sms", "+33612345678")
DAY = date(2026, 3, 20)


class Parts:
    """Whether Rasa and the actions answer, as a test decides."""

    def __init__(self) -> None:
        self.up = False
        self.looks = 0

    async def __call__(self) -> bool:
        self.looks += 1
        return self.up


@pytest.fixture
def parts() -> Parts:
    return Parts()


@pytest.fixture
def handoffs(engine: Engine, clock: Clock) -> Handoffs:
    return Handoffs(engine, clock)


@pytest.fixture
def recovery(handoffs: Handoffs, parts: Parts, store: Store, clock: Clock) -> Recovery:
    return Recovery(handoffs, parts, COMMUNE, lambda: store, every=0.01, clock=clock)


async def until_given_back(
    handoffs: Handoffs, stop: asyncio.Event, job: asyncio.Task[None]
) -> None:
    """Let the job look until no outage conversation is left (5 s at most), then stop it."""
    for _ in range(500):
        if not handoffs.outages():
            break
        await asyncio.sleep(0.01)
    stop.set()
    await asyncio.wait_for(job, timeout=5)


def resume(recovery: Recovery, conversation_id: str, *, push: bool = False) -> str | None:
    return asyncio.run(recovery.resume(conversation_id, push=push))


def test_an_outage_conversation_comes_back_only_when_the_parts_answer(
    recovery: Recovery, handoffs: Handoffs, parts: Parts
) -> None:
    handoffs.escalate(WEB, "outage")
    assert resume(recovery, WEB.id) is None  # still down: the agents keep it
    assert handoffs.active(WEB.id)
    parts.up = True
    said = resume(recovery, WEB.id)
    assert said is not None and "fonctionne de nouveau" in said
    assert not handoffs.active(WEB.id)
    row = handoffs.state(WEB.id)
    assert row is not None and row.state == "returned"
    assert resume(recovery, WEB.id) is None  # once


def test_an_agent_answer_or_another_reason_keeps_it_with_the_agents(
    recovery: Recovery, handoffs: Handoffs, parts: Parts
) -> None:
    parts.up = True
    handoffs.escalate(WEB, "outage")
    handoffs.reply(WEB.id, 7, "Paul", "Bonjour, je m’en occupe.")
    assert resume(recovery, WEB.id) is None
    assert handoffs.active(WEB.id)
    for reason in ("failure", "asked", "misunderstood", "emergency", "grief"):
        conversation = ConversationRef("web", reason)
        handoffs.escalate(conversation, reason)
        assert resume(recovery, conversation.id) is None
        assert handoffs.active(conversation.id)
    assert handoffs.outages() == []


def test_a_hold_the_outage_interrupted_is_named_with_its_deadline_or_as_lost(
    recovery: Recovery, handoffs: Handoffs, parts: Parts, store: Store, clock: Clock
) -> None:
    parts.up = True
    store.hold(request("salle-des-associations", at(DAY, 14), at(DAY, 18)), by="web:camille")
    clock.advance(minutes=1)
    handoffs.escalate(WEB, "outage")  # the « oui » failed
    clock.advance(minutes=4)
    said = resume(recovery, WEB.id)
    assert said is not None
    assert "la salle des associations, vendredi 20 mars 2026 de 14h à 18h" in said
    assert "réservé jusqu’à 10h15" in said  # 9:00 UTC + 15 min, in Paris
    assert "«\xa0oui\xa0» pour la confirmer" in said

    handoffs.escalate(WEB, "outage")  # a second outage, longer than the hold
    clock.advance(minutes=30)
    store.expire_holds()
    said = resume(recovery, WEB.id)
    assert said is not None and "rien n’a été réservé" in said
    assert "jusqu’à" not in said


def test_a_hold_that_had_lapsed_before_the_outage_is_not_mentioned(
    recovery: Recovery, handoffs: Handoffs, parts: Parts, store: Store, clock: Clock
) -> None:
    parts.up = True
    store.hold(request("salle-des-associations", at(DAY, 14), at(DAY, 18)), by="web:camille")
    clock.advance(minutes=20)
    handoffs.escalate(WEB, "outage")
    said = resume(recovery, WEB.id)
    assert said is not None and "réservation" not in said


def test_the_background_job_gives_back_and_pushes_the_notice_by_sms(
    recovery: Recovery, handoffs: Handoffs, parts: Parts, engine: Engine
) -> None:
    handoffs.escalate(SMS, "outage")
    handoffs.escalate(WEB, "outage")

    async def scenario() -> None:
        stop = asyncio.Event()
        job = asyncio.create_task(recovery.run(stop))
        while parts.looks < 3:  # down: looked at, kept
            await asyncio.sleep(0.01)
        assert handoffs.active(SMS.id) and handoffs.active(WEB.id)
        parts.up = True
        await until_given_back(handoffs, stop, job)

    asyncio.run(scenario())
    assert not handoffs.active(SMS.id) and not handoffs.active(WEB.id)
    with Session(engine) as session:
        queued = session.scalars(select(Notification)).all()
    # SMS gets it by the outbox; the web chat fetches pushed messages itself.
    assert [(n.kind, n.conversation_id) for n in queued] == [("reply", SMS.id)]
    assert "fonctionne de nouveau" in queued[0].payload["text"]


def test_a_failed_look_does_not_end_the_job(handoffs: Handoffs, store: Store, clock: Clock) -> None:
    handoffs.escalate(WEB, "outage")
    calls = 0

    async def broken() -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("health check exploded")
        return True

    recovery = Recovery(handoffs, broken, COMMUNE, lambda: store, every=0.01, clock=clock)

    async def scenario() -> None:
        stop = asyncio.Event()
        job = asyncio.create_task(recovery.run(stop))
        await until_given_back(handoffs, stop, job)

    asyncio.run(scenario())
    assert calls >= 2 and not handoffs.active(WEB.id)
