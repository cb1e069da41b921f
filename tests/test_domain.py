"""The Rasa side (domain, rules) and the Python side (names, actions, commune) agree."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import yaml
from rasa_sdk import Action as SdkAction

import actions
from bot.catalogue import ANSWERS, REPLIES
from bot.names import ACKNOWLEDGED_INTENTS, ANSWERED_INTENTS, Action, Intent, Slot
from bot.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())


def _registered_actions() -> set[str]:
    names: set[str] = set()
    for module in pkgutil.iter_modules(actions.__path__):
        loaded = importlib.import_module(f"actions.{module.name}")
        for _, cls in inspect.getmembers(loaded, inspect.isclass):
            if (
                issubclass(cls, SdkAction)
                and cls is not SdkAction
                and cls.__module__ == loaded.__name__
            ):
                action: Any = cls()
                names.add(str(action.name()))
    return names


def test_domain_intents_slots_and_actions_match_the_names_module() -> None:
    assert set(DOMAIN["intents"]) == {i.value for i in Intent}
    assert set(DOMAIN["slots"]) == {s.value for s in Slot}
    assert set(DOMAIN["actions"]) | set(DOMAIN["forms"]) == {a.value for a in Action}


def test_the_action_server_serves_exactly_the_domain_actions() -> None:
    # The form itself is Rasa's; its validator and askers are ours.
    assert _registered_actions() == {a.value for a in Action} - {
        Action.BOOKING_FORM,
        Action.REPORT_FORM,
        Action.CANCEL_FORM,
    }


def test_every_answered_intent_has_a_rule_to_action_answer_and_a_text() -> None:
    rules = yaml.safe_load((ROOT / "data" / "rules" / "faq.yml").read_text())["rules"]
    answered = {
        step["intent"]
        for rule in rules
        if rule["steps"][-1] == {"action": Action.ANSWER}
        for choice in rule["steps"][0].get("or", [rule["steps"][0]])
        for step in [choice]
    }
    assert answered == {i.value for i in ANSWERED_INTENTS}
    assert set(ANSWERS) | set(REPLIES) == ANSWERED_INTENTS | ACKNOWLEDGED_INTENTS


def test_every_trained_intent_has_at_least_25_examples() -> None:
    counts: dict[str, int] = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text()).get("nlu", []):
            if "intent" in item:
                examples = [e for e in item["examples"].splitlines() if e.strip().startswith("- ")]
                counts[item["intent"]] = counts.get(item["intent"], 0) + len(examples)
    trained = {i.value for i in Intent} - {Intent.NLU_FALLBACK}
    assert set(counts) == trained
    assert min(counts.values()) >= 25, counts
