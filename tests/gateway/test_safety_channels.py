"""A danger said in words gets its numbers at once on every channel, before anything else; an
ordinary « urgent » request does not. Through the real gateway, Rasa and action server."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import Engine

from bot.handoff import Handoffs
from bot.stack import Stack
from tests.gateway.test_report_conversation import REFERENCE
from tests.gateway.test_sms_channel import Resident
from tests.gateway.test_telegram_channel import Chat
from tests.gateway.test_telegram_channel import text_of as telegram_text
from tests.helpers import fake_telegram as tg
from tests.helpers.bookings import live_rows
from tests.helpers.fake_twilio import FakeTwilio
from tests.helpers.reports import followed
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack

GAS = "ça sent très fort le gaz dans la cage d'escalier, je fais quoi ?"
DESPAIR = "je n'ai plus envie de vivre, je veux en finir ce soir"
NOT_AN_EMERGENCY = "URGENT j'ai perdu mon passeport, il me faut un rendez-vous"


def test_on_the_web_chat(gateway: httpx.Client, stack_engine: Engine) -> None:
    who = f"safety-{uuid.uuid4().hex[:8]}"
    said = text_of(say(gateway, who, GAS))
    assert "0 800 47 33 33" in said and "18" in said and "112" in said and "114" in said
    assert Handoffs(stack_engine).active(f"web:{who}")  # an agent is told at once
    calm = f"safety-{uuid.uuid4().hex[:8]}"
    ordinary = text_of(say(gateway, calm, NOT_AN_EMERGENCY))
    assert "112" not in ordinary and "appelez tout de suite" not in ordinary
    assert not Handoffs(stack_engine).active(f"web:{calm}")


def test_a_question_asked_beside_a_danger_is_answered_after_it(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = f"safety-{uuid.uuid4().hex[:8]}"
    replies = say(
        gateway, who, "ça sent le gaz dans l'escalier. Et c'est quoi le numéro de la mairie ?"
    )
    said = [r.get("text", "") for r in replies]
    assert "0 800 47 33 33" in said[0]  # the danger first
    assert any("01 99 00 12 34" in s for s in said[1:])  # then the town hall's number
    assert Handoffs(stack_engine).active(f"web:{who}")


def test_a_street_problem_told_beside_a_danger_is_filed_when_its_street_is_named(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = f"safety-{uuid.uuid4().hex[:8]}"
    said = text_of(
        say(
            gateway,
            who,
            "Le coffret électrique au coin de la rue fume et crépite, des enfants jouent à côté. "
            "Par ailleurs le lampadaire de l'impasse des Vignes est en panne depuis une semaine.",
        )
    )
    # The danger first, then the report: new, or joined to the same problem reported nearby
    # by another test (the same stack runs them all).
    filed = REFERENCE.search(said)
    assert filed is not None and "18" in said[: filed.start()]
    assert said.index("112") < filed.start()
    assert Handoffs(stack_engine).active(f"web:{who}")  # the danger is the agents' still
    assert followed(stack_engine, f"web:{who}") == {("eclairage", "impasse des Vignes")}
    # Without a street, nothing is filed: the agents have the message.
    other = f"safety-{uuid.uuid4().hex[:8]}"
    said = text_of(
        say(
            gateway,
            other,
            "Un chien mord un joggeur dans le parc ! Et le banc près de la fontaine est cassé.",
        )
    )
    assert "17" in said and not REFERENCE.search(said)
    assert not followed(stack_engine, f"web:{other}")
    # … but the resident is told it was heard and who takes it up.
    assert "mobilier urbain" in said and "il me manque la rue" in said


def test_a_booking_asked_beside_a_danger_is_taken_up_by_a_person_not_made(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = f"safety-{uuid.uuid4().hex[:8]}"
    before = live_rows(stack_engine, "barnums")
    replies = say(
        gateway,
        who,
        "Bonjour, je voulais réserver deux barnums pour la brocante. Mais là de la fumée noire "
        "sort du garage d'en face !",
    )
    said = [r.get("text", "") for r in replies]
    assert "18" in said[0] and "112" in said[0]  # the danger first
    taken_up = [s for s in said[1:] if "pas oubliée" in s]
    assert len(taken_up) == 1 and "réserver deux barnums pour la brocante" in taken_up[0], said
    assert "fumée" not in taken_up[0]  # the danger is not quoted back as the request
    assert Handoffs(stack_engine).active(f"web:{who}")
    assert live_rows(stack_engine, "barnums") == before  # nothing booked behind the agents


def test_by_sms(
    gateway: httpx.Client, stack: Stack, fake_twilio: FakeTwilio, stack_engine: Engine
) -> None:
    resident = Resident(gateway, stack, fake_twilio)
    said = resident.says(DESPAIR)
    assert "3114" in said and "112" in said, said
    assert Handoffs(stack_engine).active(f"sms:{resident.number}")
    calm = Resident(gateway, stack, fake_twilio)
    assert "3114" not in calm.says(NOT_AN_EMERGENCY)


def test_on_telegram(gateway: httpx.Client, fake_telegram: tg.FakeTelegram) -> None:
    chat = Chat(gateway, fake_telegram)
    chat.send(tg.text_update, GAS)
    said = telegram_text(chat.reply())
    assert "0 800 47 33 33" in said and "112" in said, said


def test_another_service_asked_about_beside_a_grief_gets_its_entry(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = f"safety-{uuid.uuid4().hex[:8]}"
    replies = say(
        gateway,
        who,
        "Mon mari est décédé samedi. Je dois prévenir la CAF, vous avez leur numéro ?",
    )
    said = [r.get("text", "") for r in replies]
    assert "condoléances" in said[0]  # the grief first, a person takes it up
    assert any("32 30" in s for s in said[1:])  # then the CAF's entry, not a generic answer
    assert Handoffs(stack_engine).active(f"web:{who}")
