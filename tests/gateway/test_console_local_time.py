"""Agents read times at the commune's wall clock and statuses in French, on every console page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html import unescape

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot import accounts
from bot.commune import CommuneStore
from bot.db import make_session_factory
from bot.handoff import Handoffs
from bot.labels import BOOKING_STATUSES, NOTICE_STATUSES
from bot.models import Conversation, Message
from bot.outbox import queue
from bot.reports import ReportStore, commune_notices
from bot.settings import load_settings
from bot.transcript import Transcript
from calendar_store.spec import Status
from calendar_store.store import Store
from gateway.bookings import Desk
from gateway.console import auth, bookings
from gateway.console.base import ConsoleContext, environment
from gateway.console.conversations import Conversations
from gateway.console.sending import Sending
from tests.conftest import DEMO_COMMUNE
from tests.helpers.calendar import PARIS, Clock, request

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
# Thursday 21 January 2027, 09:00 UTC: 10:00 in Clairval (winter time, UTC+1).
NINE_UTC = datetime(2027, 1, 21, 9, 0, tzinfo=UTC)


@pytest.fixture
def ctx(engine: Engine) -> ConsoleContext:
    commune = CommuneStore(DEMO_COMMUNE)
    clock = Clock(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    store = Store(engine, commune.get().resources(), tz=PARIS, clock=clock)
    store.sync()
    return ConsoleContext(
        engine=engine,
        commune=commune,
        settings=load_settings({}),
        desk=Desk(engine, commune, store),
        reports=ReportStore(
            engine, lambda: commune.get().data.signalements, notices=commune_notices(commune.get)
        ),
        templates=environment(),
    )


@pytest.fixture
def pages(ctx: ConsoleContext, engine: Engine) -> Conversations:
    return Conversations(ctx, Handoffs(engine), Transcript(make_session_factory(engine)))


@pytest.fixture
def client(ctx: ConsoleContext, pages: Conversations) -> Iterator[TestClient]:
    """Signed in as agent « marie » through the real sign-in form."""
    with ctx.sessions.begin() as session:
        accounts.create_agent(session, "marie", "Marie Dupont", PASSWORD)
    app = Starlette(
        routes=[*auth.routes(ctx), *bookings.routes(ctx), *Sending(ctx).routes(), *pages.routes()]
    )
    with TestClient(app, follow_redirects=False) as client:
        token = _CSRF.search(client.get("/console/connexion").text)
        assert token is not None
        signed = client.post(
            "/console/connexion",
            data={"csrf": token.group(1), "login": "marie", "password": PASSWORD},
        )
        assert signed.status_code == 303
        yield client


def visible(html: str) -> str:
    """What an agent reads: the page without its tags (machine-readable attributes aside)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def _conversation(ctx: ConsoleContext) -> str:
    """A web conversation with one message at NINE_UTC and an ID appointment held at NINE_UTC."""
    with ctx.sessions.begin() as session:
        session.add(Conversation(id="web:alice", channel="web", external_id="alice"))
        session.flush()
        session.add(
            Message(
                conversation_id="web:alice",
                direction="in",
                author="resident",
                text="Je voudrais un rendez-vous pour un passeport.",
                created_at=NINE_UTC,
            )
        )
    wish = request(
        "rdv-titres", NINE_UTC, NINE_UTC.replace(minute=20), owner="web:alice", channel="web"
    )
    return ctx.desk.store().hold(wish, by="web:alice").reference


def test_the_conversation_page_says_paris_time_and_french_statuses(
    client: TestClient, ctx: ConsoleContext
) -> None:
    reference = _conversation(ctx)
    page = client.get("/console/conversations/web%3Aalice")
    assert page.status_code == 200
    text = visible(page.text)
    # The held appointment: 10h in Paris, and what "held" means to an agent.
    assert (
        f"{reference} — le rendez-vous carte d'identité / passeport, "
        "jeudi 21 janvier 2027 à 10h (en attente de confirmation)"
    ) in text
    assert "(held)" not in text and "09:00" not in text
    # The resident's message, at 10:00 too.
    assert ">21/01 à 10:00</time>" in page.text


def test_the_live_feed_words_times_like_the_page(ctx: ConsoleContext, pages: Conversations) -> None:
    _conversation(ctx)
    fresh = pages._since(0)
    assert [m["label"] for m in fresh] == ["21/01 à 10:00"]
    json.dumps(fresh)  # what the server-sent event carries


def test_the_sending_page_says_paris_time_and_french_kinds(
    client: TestClient, ctx: ConsoleContext
) -> None:
    with ctx.sessions.begin() as session:
        notice = queue(
            session,
            "booking_reminder",
            {"reference": "RDV-7KQ2"},
            conversation_id="sms:+33612345678",
            channel="sms",
            reference="RDV-7KQ2",
        )
        notice.status, notice.created_at = "failed", NINE_UTC
    html = client.get("/console/envois").text
    assert "21/01/2027 à 10:00" in html and "09:00" not in visible(html)
    assert "rappel de réservation (RDV-7KQ2)" in html
    assert "booking_reminder" not in html
    assert NOTICE_STATUSES["failed"] in html


def test_every_booking_status_has_one_french_name() -> None:
    assert set(BOOKING_STATUSES) == set(Status)
    assert BOOKING_STATUSES[Status.HELD] == "en attente de confirmation"
    assert not set(BOOKING_STATUSES.values()) & {s.value for s in Status}
