"""Short answers read the way residents write them, whatever the question."""

from __future__ import annotations

import pytest

from bot.answers import Short, abandons, cancels_booking, choice, leans_yes, short


@pytest.mark.parametrize(
    ("text", "meaning"),
    [
        ("oui", Short.YES),
        ("Oui, je confirme", Short.YES),
        ("ok merci", Short.YES),
        ("ouiiii", Short.YES),
        ("c bon", Short.YES),
        ("ça marche merci beaucoup", Short.YES),
        ("d'accord", Short.YES),
        ("dacord, validez svp", Short.YES),
        ("oui jveux bien", Short.YES),
        ("oui, c tout bon", Short.YES),
        ("Oui s'il vous plait, mercii bien", Short.YES),
        ("oui merci beaucoup, bonne journée", Short.YES),
        ("non", Short.NO),
        ("non c'est pas ça", Short.NO),
        ("non merci", Short.NO_THANKS),
        ("nan merci c'est tout", Short.NO_THANKS),
        ("pas besoin", Short.NO_THANKS),
        ("non finalement", Short.STOP),
        ("laisse tomber", Short.STOP),
        ("stop", Short.STOP),
        ("je sais pas", Short.DONT_KNOW),
        ("merci", None),  # thanks, not a yes
        ("non plutôt dimanche", None),  # a correction: more than a no
        ("Jean Dupont", None),
        ("le 12", None),
    ],
)
def test_short_answers(text: str, meaning: Short | None) -> None:
    assert short(text) == meaning


def test_a_longer_yes_with_nothing_taken_back() -> None:
    assert leans_yes("Oui, tout est correct, je confirme.")
    assert leans_yes("Parfait, c'est exactement ça. Merci !")
    assert not leans_yes("oui mais plutôt dimanche")
    assert not leans_yes("ok pour le 12")


def test_giving_up_is_not_cancelling_a_booking_nor_a_bus_stop() -> None:
    assert abandons("laisse tomber")
    assert abandons("non finalement laisse tomber je vais appeler la mairie demain matin")
    assert not abandons("annuler ma réservation SDA-7KQ3")
    assert not abandons("l'arrêt de bus est cassé rue des Lilas depuis hier soir")
    assert not abandons("le panneau stop du carrefour est couché par terre")
    assert not abandons("Bonjour, au stop de la rue Pasteur le marquage est effacé")
    assert abandons("stop, je n'en veux plus")
    assert not abandons("l'arrêté du maire sur les chiens n'est pas respecté au square")
    assert abandons("arrêtez, je ne veux plus rien")
    assert cancels_booking("annuler ma réservation SDA-7KQ3")
    assert cancels_booking("finalement j'annule cette réservation")
    assert not cancels_booking("annule")


@pytest.mark.parametrize(
    ("text", "picked"),
    [("le premier", 0), ("le deuxième", 1), ("2", 1), ("la dernière", 3), ("le plus tôt", 0)],
)
def test_picking_one_of_four_proposals(text: str, picked: int) -> None:
    assert choice(text, 4) == picked


def test_no_pick_beyond_the_proposals() -> None:
    assert choice("le cinquième", 4) is None
    assert choice("samedi", 4) is None
