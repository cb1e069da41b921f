"""The booking summary in the chat says, in French, why the calendar refuses a person's third
ID appointment (known by the ANTS number, or by the conversation), and holds nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine, text

import actions.context as context
from actions.booking import AskConfirm
from bot import names as n
from bot.typography import french
from calendar_store.spec import BookingRequest, Contact, Requester
from tests.helpers.bookings import at, weekday
from tests.helpers.limits import DEMO_COMMUNE

ANTS = "7FQ2K9LM3T"
AT_THE_LIMIT = french(
    "Vous avez déjà 2 rendez-vous à venir, le maximum pour une même personne. "
    "Annulez-en un avant d’en demander un autre."
)


@pytest.fixture
def actions_db(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The action server's context (settings, commune, calendar) on the test's database."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("COMMUNE_FILE", str(DEMO_COMMUNE))
    cached = (context.settings, context._communes, context.engine, context.reports)
    for function in cached:
        function.cache_clear()
    monkeypatch.setattr(context, "_calendar", None)
    yield engine
    for function in cached:
        function.cache_clear()


def tracker(sender: str, **slots: Any) -> Tracker:
    return Tracker(
        sender, slots, {"text": "oui", "intent": {}}, [], False, None, {}, "action_listen"
    )


def summary(sender: str, **slots: Any) -> list[str]:
    """What the summary said, as the resident reads it."""
    dispatcher = CollectingDispatcher()
    asyncio.run(AskConfirm().run(dispatcher, tracker(sender, **slots), {}))
    return [str(m.get("text")) for m in dispatcher.messages if m.get("text")]


def held(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM bookings WHERE status = 'held'")
            ).scalar_one()
        )


def test_a_third_id_appointment_with_the_same_ants_number_is_refused_in_french(
    actions_db: Engine,
) -> None:
    tuesday = weekday(1)
    calendar = context.calendar()
    for minute, phone in ((0, "+33600000001"), (20, "+33600000002")):
        who = Contact("Camille Martin", Requester.RESIDENT, phone=phone, ants=ANTS)
        start = at(tuesday, 9, minute)
        wish = BookingRequest("rdv-titres", start, start + timedelta(minutes=20), who)
        calendar.book(wish, by="test")
    said = summary(
        "web:camille",
        **{
            n.Slot.RESOURCE.value: "rdv-titres",
            n.Slot.ID_CASE.value: "renouvellement",
            n.Slot.ANTS.value: ANTS,
            n.Slot.DAY.value: tuesday.isoformat(),
            n.Slot.TIME.value: "10:00",
            n.Slot.NAME.value: "Camille Martin",
            n.Slot.CONTACT.value: "+33600000003",  # a third phone: the ANTS number tells
        },
    )
    assert said[0] == AT_THE_LIMIT
    assert held(actions_db) == 0


def test_one_conversation_cannot_take_every_slot_with_new_phones(actions_db: Engine) -> None:
    thursday = weekday(3)
    calendar = context.calendar()
    for minute in (0, 20):
        who = Contact("X", Requester.RESIDENT, phone=f"+336000001{minute:02d}")
        start = at(thursday, 9, minute)
        wish = BookingRequest(
            "rdv-titres", start, start + timedelta(minutes=20), who, owner="web:script"
        )
        calendar.book(wish, by="web:script")
    said = summary(
        "web:script",
        **{
            n.Slot.RESOURCE.value: "rdv-titres",
            n.Slot.ID_CASE.value: "premiere",
            n.Slot.ANTS.value: "9ZZ9ZZ9ZZ9",
            n.Slot.DAY.value: thursday.isoformat(),
            n.Slot.TIME.value: "09:40",
            n.Slot.NAME.value: "Y",
            n.Slot.CONTACT.value: "+33600000199",
        },
    )
    assert said[0] == AT_THE_LIMIT
    assert held(actions_db) == 0
