"""Booking by conversation through the real gateway, Rasa (trained model) and action server."""

from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.dates import say_date
from bot.outbox import Notification
from calendar_store.tables import BookingRow
from tests.helpers.stack import say, text_of

pytestmark = pytest.mark.stack

REFERENCE = re.compile(r"\b([A-Z]{3}-[A-Z0-9]{4})\b")


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


def ahead(days: int, weekday: int | None = None) -> date:
    """A day far enough ahead for every resource's notice, on `weekday` if given."""
    day = date.today() + timedelta(days=days)
    while weekday is not None and day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def on(day: date) -> str:
    """How a resident writes a date: "le 12 décembre"."""
    return f"le {day.day} {say_date(day).split()[2]}"


def bookings(engine: Engine, owner: str) -> list[BookingRow]:
    with Session(engine) as session:
        return list(session.scalars(select(BookingRow).where(BookingRow.owner == owner)))


def notices(engine: Engine, reference: str) -> list[str]:
    with Session(engine) as session:
        rows = session.scalars(select(Notification).where(Notification.reference == reference))
        return [n.kind for n in rows]


def test_a_resident_books_the_association_room_in_several_answers_then_cancels(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who, day = sender(), ahead(10)
    said = text_of(
        say(gateway, who, f"je voudrais réserver la salle des associations {on(day)} de 14h à 18h")
    )
    assert f"{say_date(day)} de 14h à 18h" in said
    assert "Pour qui" in said
    assert "À quel nom" in text_of(say(gateway, who, "je suis habitant de Clairval"))
    assert "téléphone" in text_of(say(gateway, who, "Marie Martin"))
    summary = text_of(say(gateway, who, "06 12 34 56 78"))
    assert "60\u00a0€" in summary
    assert "06 12 34 56 78" in summary
    assert "Je confirme" in summary
    (held,) = bookings(stack_engine, f"web:{who}")
    assert held.status == "held"
    done = text_of(say(gateway, who, "oui"))
    assert "C\u2019est réservé" in done
    reference = REFERENCE.search(done)
    assert reference is not None
    assert f"/api/bookings/{reference.group(1)}.ics" in done
    (confirmed,) = bookings(stack_engine, f"web:{who}")
    assert confirmed.status == "confirmed"
    # The confirmation, and the reminder for the day before (a row: it survives restarts).
    assert notices(stack_engine, reference.group(1)) == ["booking_confirmed", "booking_reminder"]
    assert reference.group(1) in text_of(say(gateway, who, "mes réservations"))
    cancelled = text_of(say(gateway, who, f"je veux annuler ma réservation {reference.group(1)}"))
    assert "annulé" in cancelled
    (row,) = bookings(stack_engine, f"web:{who}")
    assert row.status == "cancelled"
    assert notices(stack_engine, reference.group(1)) == [
        "booking_confirmed",
        "booking_reminder",
        "booking_cancelled",
    ]


def test_a_correction_a_question_in_the_middle_and_giving_up(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who, day = sender(), ahead(20)
    said = text_of(say(gateway, who, "je voudrais réserver la salle des fêtes"))
    assert "Pour qui" in said
    assert "Pour quelle date" in text_of(say(gateway, who, "c'est pour mon association"))
    said = text_of(say(gateway, who, on(day)))
    assert say_date(day) in said
    later = day + timedelta(days=1)
    said = text_of(say(gateway, who, f"non, plutôt {on(later)}"))
    assert say_date(later) in said
    hours = text_of(say(gateway, who, "au fait, la mairie ouvre à quelle heure ?"))
    assert "8h30" in hours
    assert "nom" in hours  # the form asks its question again after the answer
    assert "abandonne" in text_of(say(gateway, who, "laisse tomber"))
    assert bookings(stack_engine, f"web:{who}") == []


def test_the_gymnasium_is_refused_to_a_resident_and_a_taken_slot_offers_alternatives(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = sender()
    say(gateway, who, "je voudrais réserver le gymnase")
    refused = text_of(say(gateway, who, "je suis un particulier"))
    assert "associations" in refused
    day = ahead(30, weekday=2)
    first = sender()
    say(gateway, first, f"réserver la salle des associations {on(day)} de 10h à 12h")
    say(gateway, first, "association")
    say(gateway, first, "Les Amis de Clairval")
    say(gateway, first, "amis@example.fr")
    assert "C\u2019est réservé" in text_of(say(gateway, first, "oui"))
    second = sender()
    replies = say(gateway, second, f"la salle des associations {on(day)} de 11h à 13h")
    assert "déjà pris" in text_of(replies)
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert buttons
    choice = json.loads(buttons[0]["payload"].removeprefix("/inform"))
    assert choice["booking_day"] == day.isoformat() or choice["booking_time"] != "11:00-13:00"


def test_an_id_appointment_asks_the_situation_and_the_ants_number_then_offers_slots(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who = sender()
    said = text_of(say(gateway, who, "je voudrais prendre rendez-vous pour un passeport"))
    assert "première demande" in said
    assert "ANTS" in text_of(say(gateway, who, "c'est un renouvellement"))
    assert "ne ressemble pas" in text_of(say(gateway, who, "12345"))
    assert "ancien titre" in text_of(say(gateway, who, "AB12CD34EF"))  # renewal documents
    tuesday = ahead(14, weekday=1)
    replies = say(gateway, who, on(tuesday))
    assert "créneaux libres" in text_of(replies)
    slots = [b for r in replies for b in r.get("buttons", [])]
    assert slots[0]["title"] == "9h"
    say(gateway, who, slots[1]["payload"])
    assert "téléphone" in text_of(say(gateway, who, "Paul Durand"))
    assert "pas reconnu" in text_of(say(gateway, who, "00 00 00 00 00"))
    summary = text_of(say(gateway, who, "paul.durand@example.fr"))
    assert f"{say_date(tuesday)} à 9h20" in summary
    done = text_of(say(gateway, who, "oui je confirme"))
    assert "RDV-" in done
    (row,) = bookings(stack_engine, f"web:{who}")
    assert row.status == "confirmed"
    assert row.contact_email == "paul.durand@example.fr"


@pytest.mark.parametrize(
    ("wish", "reason"),
    [
        ("réserver la salle des associations hier de 14h à 18h", "déjà passé"),
        ("réserver la salle des associations {day} de 6h à 9h", "en dehors des horaires"),
        ("réserver la salle des associations {day} de 18h à 14h", "La fin doit venir après"),
        ("il me faudrait 10 000 chaises pour {day}", "200"),
        ("réserver la salle des fêtes demain", "au moins 72 heures"),
    ],
)
def test_a_wish_the_calendar_refuses_gets_its_reason_in_french_and_nothing_is_written(
    gateway: httpx.Client, stack_engine: Engine, wish: str, reason: str
) -> None:
    who = sender()
    said = text_of(say(gateway, who, wish.format(day=on(ahead(12)))))
    assert reason.lower() in said.lower()
    assert bookings(stack_engine, f"web:{who}") == []


def test_a_cancellation_and_a_new_booking_in_one_message_are_both_done(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who, day = sender(), ahead(12)
    owner = f"web:{who}"
    for line in [f"il me faudrait 20 chaises {on(day)}", "j'habite Clairval", "Marie Martin"]:
        say(gateway, who, line)
    say(gateway, who, "06 12 34 56 78")
    assert "C\u2019est réservé" in text_of(say(gateway, who, "oui"))
    # The new booking waits for the cancellation's question instead of being read as its answer.
    said = text_of(say(gateway, who, f"annulez les chaises du {day.day} et réservez-moi 4 tables"))
    assert "annuler cette réservation" in said
    assert "réservez-moi 4 tables" in said
    said = text_of(say(gateway, who, "oui"))
    assert "C\u2019est annulé" in said
    assert "Passons à votre autre demande" in said
    assert "Pour qui" in said
    say(gateway, who, "pour moi, j'habite Clairval")
    say(gateway, who, on(day))
    say(gateway, who, "Marie Martin")
    summary = text_of(say(gateway, who, "06 12 34 56 78"))
    assert "4 tables" in summary
    assert "C\u2019est réservé" in text_of(say(gateway, who, "oui"))
    assert sorted((b.resource, b.status) for b in bookings(stack_engine, owner)) == [
        ("chaises", "cancelled"),
        ("tables", "confirmed"),
    ]
    # Taken up once: later messages are answered for themselves.
    assert "Passons" not in text_of(say(gateway, who, "merci"))


def test_a_booking_set_aside_for_a_report_comes_back_where_it_was(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    who, day = sender(), ahead(12, weekday=2)
    said = text_of(
        say(gateway, who, f"je voudrais réserver la salle des associations {on(day)} de 9h à 11h")
    )
    assert "Pour qui" in said
    assert "À quel nom" in text_of(say(gateway, who, "un particulier"))
    assert "téléphone" in text_of(say(gateway, who, "Paul Durand"))
    asked = text_of(
        say(gateway, who, "au fait le lampadaire ne marche plus vers le 8 avenue des Tilleuls")
    )
    assert "mettre de côté" in asked
    assert "photo" in text_of(say(gateway, who, "oui je veux bien"))
    assert "Je l’envoie" in text_of(say(gateway, who, "pas de photo"))
    # « c'est parfait » answers the report's summary, not the booking set aside.
    filed = text_of(say(gateway, who, "c'est parfait"))
    assert re.search(r"\bSIG-[A-Z0-9]{4}\b", filed)
    assert "Reprenons votre réservation" in filed
    assert "abandonne" not in filed
    assert "téléphone" in filed  # its question, asked again
    assert "Je confirme" in text_of(say(gateway, who, "06 12 34 56 78"))
    assert "C\u2019est réservé" in text_of(say(gateway, who, "oui"))
    (booked,) = bookings(stack_engine, f"web:{who}")
    assert booked.status == "confirmed"
    assert booked.ends_at - booked.starts_at == timedelta(hours=2)
    assert booked.contact_name == "Paul Durand"
