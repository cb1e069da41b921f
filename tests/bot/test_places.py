"""Streets found in what residents write, categories from their words, distances."""

from __future__ import annotations

import pytest

from bot.places import category_of, distance_m, match_street
from tests.helpers.reports import territory

STREETS = territory().rues
CATEGORIES = territory().categories


@pytest.mark.parametrize(
    ("said", "street", "exact"),
    [
        ("y'a un trou énorme rue des lila devant le 12", "rue des Lilas", False),
        ("avenue des tilleul", "avenue des Tilleuls", False),
        ("r des ecoles", "rue des Écoles", True),
        ("av. des Tilleuls", "avenue des Tilleuls", True),
        ("RUE DES ÉCOLES", "rue des Écoles", True),
        ("place de l’eglise", "place de l'Église", True),
        ("la rue du mouling est dans le noir", "rue du Moulin", False),
        ("rue jean jaures", "rue Jean Jaurès", True),
        ("devant le 3 victor hugo", "rue Victor Hugo", False),
    ],
)
def test_streets_are_found_fuzzily(said: str, street: str, exact: bool) -> None:
    found = match_street(said, STREETS)
    assert found is not None
    assert found.street.nom == street
    assert found.exact is exact
    assert 0 < found.score <= 1


@pytest.mark.parametrize(
    "said",
    [
        "bonjour je voudrais un renseignement",
        "rue",
        "dans la rue",
        "rue des",
        "rue des Pivoines",
        "",
        "il fait tout noir dans l'avenue",
    ],
)
def test_nonsense_and_bare_words_match_nothing(said: str) -> None:
    assert match_street(said, STREETS) is None


def test_the_closest_street_wins() -> None:
    found = match_street("rue des sablons", STREETS)
    assert found is not None and found.street.nom == "rue des Sablons"


@pytest.mark.parametrize(
    ("said", "category", "sure"),
    [
        ("le lampadaire est éteint", "eclairage", True),
        ("Des lampadaires en panne", "eclairage", True),
        ("un gros nid de poule sur la chaussée", "voirie", True),
        ("dépôt sauvage de gravats", "proprete", True),
        ("le banc est cassé près de la haie", "mobilier", False),
        # A deciding word names the problem whatever the sentence is about.
        ("un tag sur le banc", "tags", True),
        ("le panneau de la rue des Écoles est tagué", "tags", True),
        ("encore un prénom écrit à la bombe rouge sur l'abribus", "tags", True),
        # What the light does outweighs the post it is on.
        ("le poteau reste tout noir la nuit, on n'y voit plus rien", "eclairage", False),
    ],
)
def test_categories_from_words(said: str, category: str, sure: bool) -> None:
    assert category_of(said, CATEGORIES) == (category, sure)


def test_no_category_and_never_autre() -> None:
    assert category_of("bonjour, une question", CATEGORIES) is None
    assert category_of("autre", CATEGORIES) is None


def test_autre_is_found_by_its_own_words_before_where_it_lies() -> None:
    clairval = territory()
    found = category_of(
        "une voiture abandonnée sans plaques sur le trottoir", clairval.categories, clairval.rues
    )
    assert found is not None and found[0] == "autre"


def test_words_match_whole_words_only() -> None:
    # "tag" must not be found inside "étagère", nor "banc" inside "blanc".
    assert category_of("une étagère blanche", CATEGORIES) is None


def test_distance() -> None:
    assert distance_m(48.8512, 2.3921, 48.8512, 2.3921) == 0
    # One degree of latitude is about 111.2 km anywhere.
    assert distance_m(48.0, 2.0, 49.0, 2.0) == pytest.approx(111_195, rel=1e-3)
    # Paris – Lyon, about 392 km as the crow flies.
    assert distance_m(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(392_000, rel=0.01)
    assert distance_m(48.8512, 2.3921, 48.8498, 2.3875) == pytest.approx(371, abs=2)


def test_a_street_name_does_not_name_a_category() -> None:
    clairval = territory()
    text = "le banc est cassé route de Montreuil"
    assert category_of(text, clairval.categories, clairval.rues) == ("mobilier", True)
    # Without the streets, « route » counts too: the banc still comes first, but not alone.
    assert category_of(text, clairval.categories) == ("mobilier", False)
