"""A room asked for so many people, none named: the smallest room of the commune file that
holds them is proposed, and the resident may change it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import actions.context as context
from actions.booking_reading import read_resources
from actions.flow import Turn
from bot.names import Slot
from bot.settings import ROOT


@pytest.fixture(autouse=True)
def clairval(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = ROOT / "communes" / "clairval.yml"
    monkeypatch.setenv("COMMUNE_FILE", str(path))
    context.settings.cache_clear()
    context._communes.cache_clear()
    yield path
    context.settings.cache_clear()
    context._communes.cache_clear()


def read(text: str) -> Turn:
    turn = Turn({})
    read_resources(turn, text, None)
    return turn


@pytest.mark.parametrize(
    ("text", "room"),
    [
        (
            "Notre copropriété cherche une pièce pour 25 personnes le mardi 9 au soir",
            "salle-des-associations",
        ),
        ("pour les 60 ans de mon mari on serait 120, vous avez un lieu libre ?", "salle-des-fetes"),
        ("je voudrais une salle pour un anniversaire, on sera une cinquantaine", "salle-des-fetes"),
    ],
)
def test_the_smallest_room_that_holds_them_is_proposed(text: str, room: str) -> None:
    turn = read(text)
    assert turn.get(Slot.RESOURCE) == room
    assert turn.said[0]["text"].startswith("Pour ")
    assert "dites-le si vous en préférez une autre" in turn.said[0]["text"]


@pytest.mark.parametrize(
    "text",
    [
        "une salle pour 500 personnes le 12 juin",  # no room holds them: the form asks
        "c'est pour 2 personnes, jeudi matin",  # no gathering
        "on sera 30, c'est possible ?",  # nothing says a room is wanted
    ],
)
def test_no_room_is_chosen_when_none_fits_or_none_is_wanted(text: str) -> None:
    turn = read(text)
    assert turn.get(Slot.RESOURCE) is None
    assert not turn.said


def test_a_named_resource_wins_over_the_headcount() -> None:
    assert read("50 chaises pour 50 personnes à la fête").get(Slot.RESOURCE) == "chaises"


def test_an_association_named_like_an_item_books_no_item() -> None:
    for text in (
        "le gymnase le 9 décembre, pour notre asso de théâtre, les Tréteaux de Clairval",
        "je veux reserver la salle de sport mercredi de la semaine prochaine, pour notre asso "
        "de theatre, les treteaux de clairval",
    ):
        turn = read(text)
        assert turn.get(Slot.RESOURCE) == "gymnase"
        assert not turn.get(Slot.EXTRAS)
    # The items themselves are still read, and a room of the commune keeps its name.
    assert read("le gymnase et des tréteaux le 9 décembre").get(Slot.EXTRAS)
    assert read("la salle des fêtes de Clairval le 9").get(Slot.RESOURCE) == "salle-des-fetes"
