"""A street problem the classifier took for something out of scope is a report after all,
when the commune's words recognise it surely; a true out-of-scope question is answered so."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.context as context
from actions.answer import ActionAnswer
from bot import names as n
from bot.settings import ROOT


@pytest.fixture(autouse=True)
def clairval(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COMMUNE_FILE", str(ROOT / "communes" / "clairval.yml"))
    context.settings.cache_clear()
    context._communes.cache_clear()
    yield
    context.settings.cache_clear()
    context._communes.cache_clear()


def run(text: str) -> tuple[list[dict[str, object]], list[str]]:
    latest = {"text": text, "intent": {"name": n.Intent.OUT_OF_SCOPE.value, "confidence": 0.9}}
    tracker = Tracker("web:t", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswer().run(dispatcher, tracker, {}))
    return [dict(e) for e in events], [str(m.get("text")) for m in dispatcher.messages]


def test_a_hanging_telephone_cable_opens_a_report() -> None:
    events, said = run("un cable telephonique qui pend")
    assert {"event": "followup", "name": n.Action.REPORT_FORM.value} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]
    assert said == []


def test_an_out_of_scope_question_is_answered_as_such() -> None:
    events, said = run("quel temps fera-t-il demain ?")
    assert not any(e.get("event") == "followup" for e in events)
    assert said and "ne peux pas vous aider" in said[0]


def topics_sent_as(intent: n.Intent, words: str) -> list[object]:
    """The topics answered to a clause the gateway sent as its intent (« /ask_elsewhere »),
    the resident's words in the metadata."""
    latest = {
        "text": f"/{intent.value}",
        "intent": {"name": intent.value, "confidence": 1.0},
        "metadata": {n.WORDS: words},
    }
    tracker = Tracker("web:t", {}, latest, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswer().run(dispatcher, tracker, {}))
    return [m.get("custom", {}).get("topic") for m in dispatcher.messages]


def test_a_question_sent_as_its_intent_is_answered_from_the_resident_s_words() -> None:
    said = "le bus 122 s'arrête-t-il devant la mairie ?"
    assert topics_sent_as(n.Intent.ASK_ELSEWHERE, said) == ["directory:transports"]


def test_thanks_to_another_service_are_thanks() -> None:
    said = "merci à la police municipale qui a retrouvé mon vélo"
    assert topics_sent_as(n.Intent.THANK, said) == [n.Intent.THANK.value]
