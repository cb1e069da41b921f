"""A question about a resource's price or rules is answered before any booking is started,
with or without a question mark; a wish to book stays a booking."""

from __future__ import annotations

import pytest

from actions.booking_form import _asks_about, _wishes
from actions.flow import Message, Turn
from bot.names import Slot


def message(text: str, intent: str = "book", confidence: float = 0.9) -> Message:
    return Message(text, intent, confidence, {}, {})


@pytest.mark.parametrize(
    "text",
    [
        "location salle des fêtes tarif week-end",
        "le gymnase prix pour une association",
        "barnums gratuits pour les particuliers",
        "la salle des associations, c'est combien ?",
    ],
)
def test_a_price_asked_even_without_a_question_mark_is_a_question(text: str) -> None:
    assert _asks_about(message(text))


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais louer la salle des fêtes le 12 juin",
        "réserver 20 chaises pour samedi",
        "location salle des fêtes samedi 14",
    ],
)
def test_a_wish_to_book_is_no_question(text: str) -> None:
    assert not _asks_about(message(text))


@pytest.mark.parametrize(
    ("text", "quantity", "day", "wished"),
    [
        ("est-ce que vous prêtez une sono ?", 1, None, False),
        ("il nous faudrait 40 chaises, c'est gratuit ?", 40, None, True),
        ("la salle des fêtes c'est combien le 14 ?", None, "2027-03-14", True),
        ("les barnums sont libres samedi ? c'est combien ?", None, None, True),
        # Asked for, not asked about: needed, to be kept for us; whether one may borrow is a
        # question, and so is a price.
        ("il nous faudrait une grande salle avec une cuisine, c'est possible ?", None, None, True),
        ("une grande salle avec cuisine, vous pouvez nous la garder ?", None, None, True),
        ("c'est possible d'emprunter des tables ?", None, None, False),
        ("la salle des fêtes, c'est combien avec la caution ?", None, None, False),
    ],
)
def test_a_question_asks_to_book_only_with_a_date_a_count_or_a_wish(
    text: str, quantity: int | None, day: str | None, wished: bool
) -> None:
    turn = Turn({})
    if quantity is not None:
        turn.set(Slot.QUANTITY, float(quantity))
    if day is not None:
        turn.set(Slot.DAY, day)
    assert _wishes(message(text), turn) is wished
