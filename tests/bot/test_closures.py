"""Public holidays and exceptional closures: the commune file's rules, reaching the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.closures import Closed, Why, closed_days, closure, holiday
from bot.commune import CommuneError, load_commune
from bot.schema import Closures
from calendar_store.spec import BookingRefused, Refusal
from calendar_store.store import Store
from tests.conftest import DEMO_COMMUNE
from tests.helpers.calendar import PARIS, RESIDENT, Clock, at, days, request
from tests.helpers.commune import clairval
from tests.helpers.commune import closure as closing

DEMO = DEMO_COMMUNE.read_text(encoding="utf-8")
ASCENSION = date(2027, 5, 6)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 1, 1), "jour de l’An"),
        (date(2027, 3, 29), "lundi de Pâques"),
        (date(2027, 5, 6), "Ascension"),
        (date(2027, 5, 17), "lundi de Pentecôte"),
        (date(2027, 7, 14), "fête nationale"),
        (date(2026, 12, 25), "Noël"),
        (date(2008, 5, 1), "Ascension et fête du Travail"),
        (date(2026, 12, 24), None),
        (date(2027, 3, 26), None),  # Good Friday: only in Alsace-Moselle
    ],
)
def test_french_public_holidays_by_their_french_names(day: date, name: str | None) -> None:
    assert holiday(day) == name


def test_alsace_moselle_adds_two_days() -> None:
    assert holiday(date(2027, 3, 26), alsace_moselle=True) == "Vendredi saint"
    assert holiday(date(2027, 12, 26), alsace_moselle=True) == "Saint-Étienne"
    assert holiday(date(2027, 12, 26)) is None


def test_a_closure_wins_over_a_holiday_and_names_only_its_places() -> None:
    rules = Closures(
        exceptionnelles=(closing(ASCENSION, "inventaire", concerne=["mairie"]),),
    )
    assert closure(rules, ASCENSION, "mairie") == Closed(Why.CLOSURE, "inventaire")
    assert closure(rules, ASCENSION, "gymnase") == Closed(Why.HOLIDAY, "Ascension")
    assert closure(rules, ASCENSION, "salle-des-fetes", open_on_holidays=True) is None
    found = closed_days(rules, "gymnase", range(2027, 2028))
    assert found[ASCENSION] == Closed(Why.HOLIDAY, "Ascension") and len(found) == 11


def test_the_demo_specs_carry_their_closed_days_with_french_reasons() -> None:
    specs = {s.slug: s for s in load_commune(DEMO_COMMUNE).resources()}
    assert specs["rdv-titres"].closed[ASCENSION] == "c\u2019est un jour férié (Ascension)"
    assert (
        specs["gymnase"].closed[date(2027, 1, 1)] == "c\u2019est un jour férié (jour de l\u2019An)"
    )
    # The hall and lent equipment are open on holidays; the bridge closes everything.
    assert ASCENSION not in specs["salle-des-fetes"].closed
    assert ASCENSION not in specs["chaises"].closed
    bridge = "fermeture exceptionnelle (pont de l\u2019Ascension)"
    assert {s.closed[date(2027, 5, 7)] for s in specs.values()} == {bridge}
    # The works at the front desk close the ID appointments, not the gymnasium.
    assert date(2027, 8, 18) in specs["rdv-titres"].closed
    assert date(2027, 8, 18) not in specs["gymnase"].closed


@pytest.fixture
def april_2027(engine: Engine, clock: Clock) -> Store:
    """The calendar over the demo commune's resources, on 20 April 2027."""
    clock.now = datetime(2027, 4, 20, 8, 0, tzinfo=UTC)
    store = Store(engine, load_commune(DEMO_COMMUNE).resources(), tz=PARIS, clock=clock)
    store.sync()
    return store


def test_no_id_appointment_on_ascension_thursday(april_2027: Store) -> None:
    assert april_2027.availability("rdv-titres", ASCENSION, ASCENSION) == []
    assert len(april_2027.availability("rdv-titres", date(2027, 5, 13), date(2027, 5, 13))) == 16
    with pytest.raises(BookingRefused) as refused:
        april_2027.hold(request("rdv-titres", at(ASCENSION, 9), at(ASCENSION, 9, 20)), by="t")
    assert refused.value.reason is Refusal.CLOSED
    assert refused.value.message == (
        "On ne peut pas réserver le rendez-vous carte d'identité / passeport le jeudi 6 mai"
        " : c\u2019est un jour férié (Ascension)."
    )


def test_the_hall_is_rented_on_a_holiday_but_not_on_the_bridge(april_2027: Store) -> None:
    assert april_2027.book(days("salle-des-fetes", ASCENSION, contact=RESIDENT), by="t")
    with pytest.raises(BookingRefused, match="pont de l\u2019Ascension"):
        april_2027.book(days("salle-des-fetes", date(2027, 5, 7)), by="t")


def test_a_commune_without_resources_open_on_holidays_closes_them_all() -> None:
    specs = clairval().resources()
    assert all(ASCENSION in s.closed for s in specs)


@pytest.mark.parametrize(
    ("closures", "needle", "reason"),
    [
        (
            "    - du: 2027-05-07\n      au: 2027-05-01\n      raison: pont\n",
            "- du: 2027-05-07",
            "la fin d\u2019une fermeture (au) doit venir après son début (du)",
        ),
        (
            "    - du: 2027-05-07\n      raison: pont\n      concerne: [piscine]\n",
            "fermetures:",
            "« piscine » n\u2019est ni mairie",
        ),
        ("    - du: le 7 mai\n      raison: pont\n", "du: le 7 mai", "fermetures.exceptionnelles"),
    ],
)
def test_bad_closures_are_refused_with_their_line(
    tmp_path: Path, closures: str, needle: str, reason: str
) -> None:
    start = DEMO.index("  exceptionnelles:\n") + len("  exceptionnelles:\n")
    end = DEMO.index("\n# Réponses aux questions fréquentes.")
    text = DEMO[:start] + closures + DEMO[end:]
    path = tmp_path / "commune.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommuneError) as error:
        load_commune(path)
    assert reason in str(error.value)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)
    if needle != "fermetures:":  # a rule across the file points to the file
        assert f"ligne {line}" in str(error.value)


def test_a_commune_file_without_closures_still_loads(tmp_path: Path) -> None:
    start = DEMO.index("fermetures:\n")
    end = DEMO.index("\n# Réponses aux questions fréquentes.")
    path = tmp_path / "commune.yml"
    path.write_text(DEMO[:start] + DEMO[end:], encoding="utf-8")
    commune = load_commune(path)
    assert not commune.data.fermetures.alsace_moselle
    assert commune.data.fermetures.exceptionnelles == ()
