"""The photo question of the report form: every ordinary way of saying « no photo »."""

from __future__ import annotations

import pytest

from actions.flow import Message
from actions.report_form import _NO_PHOTO


def said(text: str) -> Message:
    return Message(text, None, 0.0, {}, {})


@pytest.mark.parametrize(
    "text",
    [
        "pas pour l'instant, merci beaucoup.",
        "pas pour le moment",
        "je l'ai pas sous la main",
        "pas maintenant désolé",
        "j'en ai pas",
        "pas de photo dispo",
        "non merci",
    ],
)
def test_no_photo_said_in_everyday_words(text: str) -> None:
    assert _NO_PHOTO.search(said(text).words), text


@pytest.mark.parametrize("text", ["je vous l'envoie", "voilà la photo", "oui"])
def test_a_photo_on_its_way_is_not_a_refusal(text: str) -> None:
    assert _NO_PHOTO.search(said(text).words) is None, text
