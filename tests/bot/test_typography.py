from __future__ import annotations

import pytest

from bot.typography import NBSP, NNBSP, french


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Quelle est votre question ?", f"Quelle est votre question{NNBSP}?"),
        ("Adresse: 2 place", f"Adresse{NBSP}: 2 place"),
        ("Bonjour !", f"Bonjour{NNBSP}!"),
        ("l'accueil d'une mairie", "l\u2019accueil d\u2019une mairie"),
        ("le champ « sender »", f"le champ «{NBSP}sender{NBSP}»"),
        ("un ; deux", f"un{NNBSP}; deux"),
    ],
)
def test_french_spacing_and_apostrophes(raw: str, expected: str) -> None:
    assert french(raw) == expected


@pytest.mark.parametrize("untouched", ["https://service-public.fr/a?b=1", "12:00", "3:2"])
def test_urls_and_times_are_left_alone(untouched: str) -> None:
    assert french(untouched) == untouched


def test_it_is_idempotent() -> None:
    once = french("Vous l'avez ? Oui : deux !")
    assert french(once) == once
