"""Handoff: escalation, silence, agents' replies pushed to the resident's channel, hand back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.commune import load_commune
from bot.db import make_session_factory
from bot.handoff import Handoffs, announcement, next_opening
from bot.handoff_records import HandoffRow
from bot.outbox import Notification
from bot.settings import ROOT
from bot.transcript import ConversationRef, Entry, Transcript
from tests.helpers.calendar import PARIS

CLAIRVAL = load_commune(ROOT / "communes" / "clairval.yml")
WEB = ConversationRef("web", "abc")
SMS = ConversationRef("sms", "+33612345678")


def test_next_opening_follows_the_commune_hours() -> None:
    week = CLAIRVAL.data.mairie.horaires
    monday_morning = datetime(2026, 11, 30, 9, 0, tzinfo=PARIS)
    assert next_opening(week, monday_morning) is None  # open
    lunch = datetime(2026, 11, 30, 12, 30, tzinfo=PARIS)
    assert next_opening(week, lunch) == datetime(2026, 11, 30, 13, 30, tzinfo=PARIS)
    saturday_night = datetime(2026, 11, 28, 23, 0, tzinfo=PARIS)
    assert next_opening(week, saturday_night) == datetime(2026, 11, 30, 8, 30, tzinfo=PARIS)


def test_the_announcement_says_when_outside_opening_hours() -> None:
    closed = announcement(CLAIRVAL, datetime(2026, 11, 28, 22, 0, tzinfo=UTC))
    assert "lundi 30 novembre 2026 à 8h30" in closed and "fermée" in closed
    opened = announcement(CLAIRVAL, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert "va vous répondre" in opened


def test_escalation_is_idempotent_and_ends(engine: Engine) -> None:
    handoffs = Handoffs(engine)
    assert handoffs.escalate(WEB, "asked")
    assert not handoffs.escalate(WEB, "misunderstood")  # already with the agents
    assert handoffs.active("web:abc")
    assert [w.conversation_id for w in handoffs.waiting()] == ["web:abc"]
    assert handoffs.end("web:abc", 1, "returned", "L’agent vous a remis…")
    assert not handoffs.active("web:abc")
    assert not handoffs.end("web:abc", 1, "closed", "…")  # nothing left to end
    assert handoffs.escalate(WEB, "failure")  # a new escalation reuses the row
    row = handoffs.state("web:abc")
    assert row is not None and (row.state, row.reason, row.escalations) == ("waiting", "failure", 2)


def test_an_agent_reply_is_pushed_to_the_web_chat_and_queued_for_sms(engine: Engine) -> None:
    handoffs = Handoffs(engine)
    transcript = Transcript(make_session_factory(engine))
    transcript.record(WEB, [Entry("resident", "je veux parler à quelqu’un")])
    handoffs.escalate(WEB, "asked")
    first = handoffs.reply("web:abc", 7, "Paul", "Bonjour, je vous écoute.")
    pushed = transcript.pushed("web:abc", 0)
    assert [(m.id, m.author, m.text) for m in pushed] == [
        (first, "agent", "Bonjour, je vous écoute.")
    ]
    assert transcript.pushed("web:abc", first) == []
    handoffs.escalate(SMS, "asked")
    handoffs.reply("sms:+33612345678", 7, "Paul", "Bonjour !")
    with Session(engine) as session:
        queued = session.scalars(select(Notification)).all()
        assert [(n.kind, n.conversation_id, n.payload["text"]) for n in queued] == [
            ("reply", "sms:+33612345678", "Bonjour !")
        ]
        row = session.get(HandoffRow, "sms:+33612345678")
        assert row is not None and (row.state, row.agent_id) == ("answered", 7)


def test_the_announcement_skips_public_holidays_and_closures() -> None:
    # Easter Sunday 2027 evening: Monday is a holiday, so an agent answers on Tuesday.
    easter = announcement(CLAIRVAL, datetime(2027, 3, 28, 18, 0, tzinfo=UTC))
    assert "mardi 30 mars 2027 à 8h30" in easter
    # Ascension Wednesday evening: Thursday (holiday), Friday (bridge), Saturday 8 May (holiday).
    ascension = announcement(CLAIRVAL, datetime(2027, 5, 5, 18, 0, tzinfo=UTC))
    assert "lundi 10 mai 2027 à 8h30" in ascension
