"""Reading booking details from residents' words."""

from __future__ import annotations

import pytest

from bot import wish
from bot.commune import load_commune
from bot.settings import ROOT
from calendar_store.spec import Requester
from calendar_store.wording import noun

RESOURCES = [
    wish.Named("salle-des-fetes", ("salle des fêtes", "sdf", "grande salle")),
    wish.Named("salle-des-associations", ("salle des associations", "salle des assos")),
    wish.Named("gymnase", ("gymnase", "gym")),
    wish.Named("chaises", ("chaises", "chaise")),
    wish.Named("rdv-titres", ("rendez-vous carte d'identité", "passeport", "cni")),
]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("je voudrais réserver la salle des fêtes", "salle-des-fetes"),
        ("la salle des fetes samedi", "salle-des-fetes"),
        ("la salle des associations samedi prochain de 14h à 18h", "salle-des-associations"),
        ("un créneau au GYMNASE pour mon club", "gymnase"),
        ("50 chaises pour le 12", "chaises"),
        ("rdv passeport mardi", "rdv-titres"),
        ("bonjour", None),
        ("la salle", None),
    ],
)
def test_the_resource_is_read_from_its_names_and_synonyms(text: str, slug: str | None) -> None:
    assert wish.resource_in(text, RESOURCES) == slug


@pytest.mark.parametrize(
    ("text", "requester"),
    [
        ("c'est pour mon association", Requester.ASSOCIATION),
        ("pour le club de foot", Requester.ASSOCIATION),
        ("je suis habitant de Clairval", Requester.RESIDENT),
        ("je n'habite pas la commune", Requester.EXTERIEUR),
        ("extérieur", Requester.EXTERIEUR),
        ("samedi", None),
    ],
)
def test_the_kind_of_requester(text: str, requester: Requester | None) -> None:
    assert wish.requester_in(text) == requester


@pytest.mark.parametrize(
    ("text", "requester"),
    [
        ("c pour moi, j'habite à Orléans", Requester.EXTERIEUR),
        ("Pour moi, mais je réside à Lyon.", Requester.EXTERIEUR),
        ("moi meme jsuis de clairval", Requester.RESIDENT),
        ("pour moi, j'habite rue des Tilleuls", Requester.RESIDENT),
        ("pour moi, je suis de passage", Requester.RESIDENT),
        ("pour le club de foot, on est de Bagnolet", Requester.ASSOCIATION),
    ],
)
def test_where_the_resident_lives_says_whether_they_are_ours(
    text: str, requester: Requester
) -> None:
    assert wish.requester_answer(text, RESOURCES, "Clairval") is requester


def test_a_resource_name_does_not_say_who_books() -> None:
    text = "je voudrais réserver la salle des associations samedi"
    assert wish.requester_in(text, RESOURCES) is None
    assert wish.requester_in(text + " pour mon association", RESOURCES) is Requester.ASSOCIATION


def test_quantities_next_to_the_item_or_alone_when_asked() -> None:
    assert wish.quantity_in("il me faudrait 50 chaises le 12", ("chaises",)) == 50
    assert wish.quantity_in("une vingtaine de chaises", ("chaises",)) == 20
    assert wish.quantity_in("le 12 décembre", ("chaises",)) is None
    assert wish.quantity_in("40", ("chaises",), alone=True) == 40
    assert wish.quantity_in("40", ("chaises",)) is None
    assert wish.quantity_in("10 000 chaises", ("chaises",)) == 10_000


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("mon numéro c'est le 0612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("01.99.00.12.34", "+33199001234"),
        ("0690 12 34 56", "+590690123456"),  # a Guadeloupe mobile, dialled from France
        ("06 93 12 34 56", "+262693123456"),  # La Réunion
        ("+33 6 90 12 34 56", None),  # the overseas range under metropolitan +33 does not exist
        ("06 12 34", None),
        ("00 00 00 00 00", None),
    ],
)
def test_phone_numbers_are_checked_and_normalised(text: str, e164: str | None) -> None:
    assert wish.phone_in(text) == e164


def test_malformed_phone_is_seen_as_meant_to_be_a_phone() -> None:
    assert wish.looks_like_phone("00 00 00 00 00")
    assert not wish.looks_like_phone("samedi 12")
    assert wish.say_phone("+33612345678") == "06 12 34 56 78"


def test_emails() -> None:
    assert wish.email_in("écrivez à Marie.Martin@Example.fr.") == "marie.martin@example.fr"
    assert wish.email_in("marie at example") is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("AB12CD34EF", "AB12CD34EF"),
        ("mon numéro de pré-demande est 7fq2k9lm3t", "7FQ2K9LM3T"),
        ("7FQ2 K9LM 3T", "7FQ2K9LM3T"),
        ("ABCDEFGHIJ", None),  # letters only: not an ANTS number
        ("AB12CD34E", None),  # nine characters
    ],
)
def test_ants_numbers(text: str, number: str | None) -> None:
    assert wish.ants_number_in(text) == number


@pytest.mark.parametrize(
    ("text", "case"),
    [
        ("c'est une première demande", "premiere"),
        ("renouvellement", "renouvellement"),
        ("je l'ai perdue", "perte_vol"),
        ("on me l'a volée", "perte_vol"),
        ("c'est pour mon fils de 12 ans", "mineur"),
        ("samedi", None),
    ],
)
def test_id_situations(text: str, case: str | None) -> None:
    assert wish.id_case_in(text) == case


def test_references_whatever_the_case_and_the_dash() -> None:
    prefixes = ["SDF", "GYM"]
    assert wish.reference_in("annuler ma réservation sdf-7kq3", prefixes) == "SDF-7KQ3"
    assert wish.reference_in("annulez GYM 4MPX svp", prefixes) == "GYM-4MPX"
    assert wish.reference_in("annuler ABC-7KQ3", prefixes) is None
    # Glued to its prefix, a reference holds a digit: « je vous signale » names none.
    assert wish.reference_in("où en est sig4f7p ?", ("SIG",)) == "SIG-4F7P"
    assert wish.reference_in("je vous signale un dépôt de gravats", ("SIG",)) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jean Dupont", "Jean Dupont"),
        ("c'est au nom de Marie Martin", "Marie Martin"),
        ("je m'appelle paul", "Paul"),
        ("Association Les Amis du Vieux Clairval", "Association Les Amis du Vieux Clairval"),
        ("06 12 34 56 78", None),
        ("", None),
    ],
)
def test_names(text: str, name: str | None) -> None:
    assert wish.name_in(text) == name


def test_corrections_are_told_from_names() -> None:
    assert wish.corrects("non, plutôt le 20 décembre")
    assert wish.corrects("Finalement dimanche")
    assert not wish.corrects("Nadine Martin")


@pytest.mark.parametrize(
    ("text", "people"),
    [
        ("une pièce pour 25 personnes mardi soir", 25),
        ("on serait 120 pour la fête", 120),
        ("une salle pour une cinquantaine d'invités", 50),
        ("nous serons environ 80 pour le repas", 80),
        ("il me faut 50 chaises", None),
        ("on est 3 à vouloir un rendez-vous", None),
    ],
)
def test_a_headcount_is_said_of_a_gathering(text: str, people: int | None) -> None:
    assert wish.headcount_in(text) == people


def test_a_date_written_with_figures_is_no_phone_number() -> None:
    assert wish.phone_in("le gymnase 10/02/2027 9h") is None
    assert not wish.looks_like_phone("10/02/2027 9h")
    # Dotted phone numbers are still read, and a number beside a date too.
    assert wish.phone_in("06.81.79.19.49") == "+33681791949"
    assert wish.phone_in("le 01/02/2027, 06 12 34 56 78") == "+33612345678"


@pytest.mark.parametrize(
    "text",
    ["erreur, je voulais dire à 8h", "dsl je me suis trompée de jour, c le 12", "oups, le 14"],
)
def test_a_correction_is_no_name(text: str) -> None:
    assert wish.corrects(text)


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais un moment pour faire prendre mes empreintes",
        "un créneau pour refaire mon titre de voyage",
        "il me faut de nouveaux papiers d'identité, vous avez de la place mardi ?",
        "mon document pour passer la frontière est périmé, je peux venir quand ?",
    ],
)
def test_the_commune_names_the_id_appointment_by_what_residents_come_to_do(text: str) -> None:
    commune = load_commune(ROOT / "communes" / "clairval.yml")
    named = [
        wish.Named(slug, (noun(e.nom).bare, *e.synonymes))
        for slug, e in commune.data.ressources.items()
    ]
    assert wish.resource_in(text, named) == "rdv-titres"


def test_of_two_names_that_overlap_the_longer_is_the_one_said() -> None:
    named = [
        wish.Named("salle-des-fetes", ("salle des fêtes", "grande salle")),
        wish.Named("gymnase", ("gymnase", "salle de sport")),
        wish.Named("tables", ("tables",)),
    ]
    said = "des tables pour la grande salle de sport mercredi"
    assert wish.items_in(said, named) == ["tables", "gymnase"]
    assert wish.items_in("la grande salle et le gymnase", named) == ["salle-des-fetes", "gymnase"]
