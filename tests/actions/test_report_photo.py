"""The photo question of the report form: every ordinary way of saying « no photo »."""

from __future__ import annotations

import pytest

from actions.flow import Message
from actions.report_form import _NO_PHOTO, _SEND_WORDS, _STARTS_NO
from gateway.requests import mashed


def said(text: str) -> Message:
    return Message(text, None, 0.0, {}, {})


def refused(text: str) -> bool:
    words = said(text).words
    return bool(
        _NO_PHOTO.search(words) or (_STARTS_NO.match(words) and not _SEND_WORDS.search(words))
    )


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
        "non mercii",
        "nan",
    ],
)
def test_no_photo_said_in_everyday_words(text: str) -> None:
    assert refused(text), text


@pytest.mark.parametrize(
    "text", ["je vous l'envoie", "voilà la photo", "oui", "non attendez je vous l'envoie"]
)
def test_a_photo_on_its_way_is_not_a_refusal(text: str) -> None:
    assert not refused(text), text


@pytest.mark.parametrize(
    ("text", "is_mashed"),
    [("zqxj wvpk bnrt", True), ("bjr stp", False), ("ptdr", False), ("bonjour", False)],
)
def test_keys_struck_at_random_are_told_apart_from_shorthand(text: str, is_mashed: bool) -> None:
    assert mashed(text) is is_mashed
