"""The frequent question the words point to, when the classifier's choice has none of its
own words: a town event asked about « ce week-end » is no question about the town hall's
Saturday hours."""

from __future__ import annotations

import pytest

import actions.answer as answer
from bot.names import Intent


@pytest.mark.parametrize(
    "said",
    [
        "Qu'est-ce qui se passe au village ce week-end ? On cherche une sortie avec les petits",
        "il y aura une brocante dimanche prochain ?",
        "trop bien le concert de samedi, y en aura un autre ?",
    ],
)
def test_a_town_event_is_not_our_saturday_hours(said: str) -> None:
    assert answer.reworded(said, Intent.ASK_HOURS_WEEKEND) is Intent.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "said",
    [
        "vous êtes ouverts samedi matin ? j'ai une brocante l'après-midi",
        "la mairie ouvre le samedi ?",
    ],
)
def test_the_town_halls_hours_asked_beside_an_event_are_ours(said: str) -> None:
    assert answer.reworded(said, Intent.ASK_HOURS_WEEKEND) is Intent.ASK_HOURS_WEEKEND


def test_a_theft_told_before_a_question_about_papers_is_the_story() -> None:
    said = "On m'a volé mon sac avec mes papiers, il faut quoi pour refaire ma carte d'identité ?"
    assert answer.elsewhere_for(said, Intent.ASK_ID_DOCUMENTS) == []
    assert answer.elsewhere_for(said, Intent.ASK_ID_PRICE) == []
    # Asked of the gendarmerie, or about something else, the theft is theirs.
    assert [f.key for f in answer.elsewhere_for(said, Intent.ASK_ELSEWHERE)] == ["gendarmerie"]
    assert [f.key for f in answer.elsewhere_for(said, Intent.ASK_HOURS)] == ["gendarmerie"]


@pytest.mark.parametrize(
    ("said", "left"),
    [
        ("Merci beaucoup pour votre aide, bonne soirée à vous !", True),
        ("merci, au revoir", True),
        ("merci ! vous fermez à quelle heure ? bonne journée", False),
        ("bonne soirée", False),
    ],
)
def test_thanks_and_goodbye_said_together(said: str, left: bool) -> None:
    assert answer.thanked_and_left(said) is left
