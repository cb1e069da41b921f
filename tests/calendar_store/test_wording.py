from __future__ import annotations

from datetime import date, timedelta

import pytest

from calendar_store import wording
from calendar_store.spec import Requester
from tests.helpers.calendar import PARIS, at


@pytest.mark.parametrize(
    ("name", "subject", "phrase", "bare", "plural"),
    [
        (
            "La salle des fêtes",
            "La salle des fêtes",
            "la salle des fêtes",
            "salle des fêtes",
            False,
        ),
        ("le gymnase", "Le gymnase", "le gymnase", "gymnase", False),
        ("Les chaises", "Les chaises", "les chaises", "chaises", True),
        ("L'espace jeunes", "L'espace jeunes", "l'espace jeunes", "espace jeunes", False),
        ("Minibus", "Minibus", "Minibus", "Minibus", False),  # no article given: as written
    ],
)
def test_names_are_read_with_their_article(
    name: str, subject: str, phrase: str, bare: str, plural: bool
) -> None:
    noun = wording.noun(name)
    assert (noun.subject, noun.phrase, noun.bare, noun.plural) == (subject, phrase, bare, plural)


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(hours=1), "1 heure"),
        (timedelta(hours=24), "24 heures"),
        (timedelta(hours=48), "48 heures"),
        (timedelta(days=7), "7 jours"),
        (timedelta(days=365), "365 jours"),
        (timedelta(minutes=30), "30 minutes"),
    ],
)
def test_durations(span: timedelta, said: str) -> None:
    assert wording.duration(span) == said


def test_dates_and_spans() -> None:
    assert wording.day(date(2026, 8, 1)) == "samedi 1er août"
    tuesday = date(2026, 3, 10)
    assert wording.span(at(tuesday, 9, 20), at(tuesday, 9, 40), PARIS) == (
        "le mardi 10 mars de 9 h 20 à 9 h 40"
    )
    assert wording.span(at(tuesday), at(date(2026, 3, 12)), PARIS) == (
        "du mardi 10 mars au mercredi 11 mars"
    )


def test_who_alone_may_book() -> None:
    gym = wording.noun("le gymnase")
    assert wording.only({Requester.ASSOCIATION}, gym) == (
        "Seules les associations peuvent réserver le gymnase."
    )
    assert wording.only({Requester.ASSOCIATION, Requester.RESIDENT}, gym) == (
        "Seuls les habitants de la commune et les associations peuvent réserver le gymnase."
    )
    assert wording.only(set(), gym) == "Personne ne peut réserver le gymnase en ligne."
