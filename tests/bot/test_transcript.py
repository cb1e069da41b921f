from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.dialects import sqlite

from bot.db import UTCDateTime, make_engine, make_session_factory, migrate, utcnow
from bot.transcript import DEFERRED, TAKEN_UP, ConversationRef, Entry, Transcript

REF = ConversationRef("web", "abc")


def test_messages_are_stored_in_order_with_author_and_utc_time(transcript: Transcript) -> None:
    transcript.record(REF, [Entry("resident", "bonjour")])
    transcript.record(
        REF,
        [
            Entry("assistant", "Bonjour !"),
            Entry("assistant", "Choisissez", {"buttons": [{"title": "A", "payload": "/a"}]}),
        ],
    )
    stored = transcript.messages("web:abc")
    assert [(m.direction, m.author, m.text) for m in stored] == [
        ("in", "resident", "bonjour"),
        ("out", "assistant", "Bonjour !"),
        ("out", "assistant", "Choisissez"),
    ]
    assert stored[2].payload == {"buttons": [{"title": "A", "payload": "/a"}]}
    assert all(m.created_at.tzinfo == UTC for m in stored)


def test_concurrent_first_messages_of_one_conversation_all_land(transcript: Transcript) -> None:
    ref = ConversationRef("web", "race")
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: transcript.record(ref, [Entry("resident", f"m{i}")]), range(16)))
    assert sorted(m.text or "" for m in transcript.messages("web:race")) == sorted(
        f"m{i}" for i in range(16)
    )


def test_postgresql_too(postgres_url: str) -> None:
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    try:
        pg = Transcript(make_session_factory(engine))
        ref = ConversationRef("web", "pg")
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda i: pg.record(ref, [Entry("resident", f"m{i}")]), range(8)))
        stored = pg.messages("web:pg")
        assert sorted(m.text or "" for m in stored) == sorted(f"m{i}" for i in range(8))
        assert all(m.created_at.tzinfo == UTC for m in stored)
    finally:
        engine.dispose()


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1), sqlite.dialect())


def _offer(*titles: str) -> Entry:
    buttons = [{"title": t, "payload": f"/{t.lower()}"} for t in titles]
    return Entry("assistant", "Choisissez", {"buttons": buttons})


def test_the_buttons_in_force_are_those_of_the_last_turn(transcript: Transcript) -> None:
    transcript.record(REF, [Entry("resident", "réserver")])
    transcript.record(REF, [_offer("Salle", "Gymnase")])
    transcript.record(REF, [Entry("resident", "la salle")])
    transcript.record(REF, [_offer("Oui", "Non"), Entry("assistant", "Sans boutons")])
    offered = transcript.offered_buttons("web:abc")
    assert [b["title"] for b in offered] == ["Oui", "Non"]
    # Telegram keyboards stay on screen: older offers still count when asked for.
    older = transcript.offered_buttons("web:abc", turns=5)
    assert {b["title"] for b in older} == {"Oui", "Non", "Salle", "Gymnase"}
    transcript.record(REF, [Entry("resident", "merci")])
    assert transcript.offered_buttons("web:abc") == []  # a new turn began: stale
    assert transcript.offered_buttons("web:nobody") == []


def test_requests_put_off_wait_until_taken_up_or_too_old(transcript: Transcript) -> None:
    ref = ConversationRef("web", "later")
    waiting: list[dict[str, Any]] = [
        {"text": "réservez-moi les tables", "intent": None, "then": []}
    ]
    transcript.record(
        ref, [Entry("assistant", "Je m'occupe de votre autre demande…", {DEFERRED: waiting})]
    )
    hour_ago = utcnow() - timedelta(hours=1)
    assert transcript.deferred(ref.id, hour_ago) == waiting
    # Put off before `since`: too old to take up.
    assert transcript.deferred(ref.id, utcnow() + timedelta(minutes=1)) == []
    transcript.record(ref, [Entry("assistant", "Passons à votre autre demande", {TAKEN_UP: True})])
    assert transcript.deferred(ref.id, hour_ago) == []
