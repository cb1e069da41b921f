"""Dated opening questions: « êtes-vous ouverts le lundi de Pâques / le 1er janvier ? »."""

from __future__ import annotations

from datetime import date

import pytest

from bot.commune import Commune, load_commune
from bot.opening import opening_on
from tests.conftest import DEMO_COMMUNE
from tests.helpers.commune import clairval, closure

CLAIRVAL = load_commune(DEMO_COMMUNE)


def said(commune: Commune, day: date, place: str = "mairie") -> str:
    """The answer with plain spaces (French typography puts no-break ones before « : »)."""
    return opening_on(commune, day, place).replace("\u00a0", " ")


def test_easter_monday_is_a_holiday() -> None:
    assert said(CLAIRVAL, date(2027, 3, 29)) == (
        "Le lundi 29 mars 2027 (lundi de Pâques), la mairie est fermée : c’est un jour férié. "
        "Prochaine ouverture : mardi 30 mars 2027 à 8h30."
    )


def test_ascension_is_a_holiday_and_the_next_opening_skips_the_bridge_and_8_may() -> None:
    # Thursday 6 May 2027; Friday 7 is Clairval's « pont », Saturday 8 May a holiday too.
    assert said(CLAIRVAL, date(2027, 5, 6)) == (
        "Le jeudi 6 mai 2027 (Ascension), la mairie est fermée : c’est un jour férié. "
        "Prochaine ouverture : lundi 10 mai 2027 à 8h30."
    )


def test_new_years_day_is_a_holiday() -> None:
    assert said(CLAIRVAL, date(2027, 1, 1)) == (
        "Le vendredi 1er janvier 2027 (jour de l’An), la mairie est fermée : c’est un jour "
        "férié. Prochaine ouverture : samedi 2 janvier 2027 à 9h."
    )


@pytest.mark.parametrize("day", [date(2026, 12, 24), date(2027, 12, 24)])
def test_christmas_eve_is_an_ordinary_open_day(day: date) -> None:
    answer = said(CLAIRVAL, day)
    assert answer.startswith(f"Le {'jeudi' if day.year == 2026 else 'vendredi'} 24 décembre")
    assert answer.endswith("la mairie est ouverte de 8h30 à 12h et de 13h30 à 17h30.")


def test_a_saturday_has_its_morning_hours() -> None:
    assert said(CLAIRVAL, date(2027, 1, 9)) == (
        "Le samedi 9 janvier 2027, la mairie est ouverte de 9h à 12h."
    )


def test_a_sunday_is_closed_and_says_when_it_opens_again() -> None:
    assert said(CLAIRVAL, date(2027, 1, 10)) == (
        "Le dimanche 10 janvier 2027, la mairie est fermée. "
        "Prochaine ouverture : lundi 11 janvier 2027 à 8h30."
    )
    # Easter Sunday: the next day is a holiday, so the answer points to Tuesday.
    assert said(CLAIRVAL, date(2027, 3, 28)).endswith("mardi 30 mars 2027 à 8h30.")


def test_an_exceptional_closure_says_its_reason() -> None:
    assert said(CLAIRVAL, date(2027, 5, 7)) == (
        "Le vendredi 7 mai 2027, la mairie est fermée exceptionnellement "
        "(pont de l’Ascension). Prochaine ouverture : lundi 10 mai 2027 à 8h30."
    )


def test_a_closure_over_days_for_some_places_only() -> None:
    works = closure(
        date(2027, 2, 1), "travaux", date(2027, 2, 3), concerne=["mairie", "rdv-titres"]
    )
    commune = clairval(works)
    assert "fermée exceptionnellement (travaux)" in said(commune, date(2027, 2, 3))
    assert said(commune, date(2027, 2, 3)).endswith(
        "Prochaine ouverture : jeudi 4 février 2027 à 8h30."
    )
    assert "fermée" not in said(commune, date(2027, 2, 4))
    # The waste centre and the gymnasium were not named: they keep their hours.
    assert said(commune, date(2027, 2, 3), "dechetterie") == (
        "Le mercredi 3 février 2027, la déchetterie est ouverte de 14h à 18h."
    )
    assert "se réserve de 8h à 22h" in said(commune, date(2027, 2, 2), "gymnase")
    assert "ne se réserve pas exceptionnellement" in said(commune, date(2027, 2, 2), "rdv-titres")


def test_a_closure_on_a_holiday_says_the_closure() -> None:
    commune = clairval(closure(date(2027, 5, 6), "inventaire"))
    assert "fermée exceptionnellement (inventaire)" in said(commune, date(2027, 5, 6))


def test_alsace_moselle_adds_good_friday_and_saint_stephen() -> None:
    good_friday, stephen = date(2027, 3, 26), date(2026, 12, 26)
    assert "ouverte" in said(CLAIRVAL, good_friday)
    assert "ouverte de 9h à 12h" in said(CLAIRVAL, stephen)  # a Saturday
    alsace = clairval(alsace_moselle=True)
    assert said(alsace, good_friday).startswith(
        "Le vendredi 26 mars 2027 (Vendredi saint), la mairie est fermée : c’est un jour férié."
    )
    assert said(alsace, good_friday).endswith("Prochaine ouverture : samedi 27 mars 2027 à 9h.")
    assert "(Saint-Étienne), la mairie est fermée" in said(alsace, stephen)


def test_a_resource_open_on_holidays_and_one_closed() -> None:
    ascension = date(2027, 5, 6)
    assert said(CLAIRVAL, ascension, "salle-des-fetes") == (
        "Le jeudi 6 mai 2027 (Ascension), la salle des fêtes se réserve toute la journée."
    )
    assert said(CLAIRVAL, ascension, "rdv-titres") == (
        "Le jeudi 6 mai 2027 (Ascension), le rendez-vous carte d’identité / passeport ne se "
        "réserve pas : c’est un jour férié. Prochaine ouverture : mardi 11 mai 2027 à 9h."
    )
    assert said(CLAIRVAL, date(2027, 5, 4), "rdv-titres").endswith(
        "se réserve de 9h à 11h40 et de 14h à 16h40."
    )
    assert "les chaises se réservent toute la journée" in said(CLAIRVAL, ascension, "chaises")
    closed = clairval()  # no resource open on holidays
    assert "la salle des fêtes ne se réserve pas : c’est un jour férié" in said(
        closed, ascension, "salle-des-fetes"
    )


def test_the_wording_is_the_commune_files() -> None:
    messages = {**CLAIRVAL.data.messages, "ferme_jour_ferie": "{{ lieu }} : fermé ({{ fete }})."}
    edited = Commune(CLAIRVAL.data.model_copy(update={"messages": messages}), CLAIRVAL.path)
    assert said(edited, date(2027, 3, 29)) == "la mairie : fermé (lundi de Pâques)."


def test_an_unknown_place_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="piscine"):
        opening_on(CLAIRVAL, date(2027, 1, 9), "piscine")
