"""Two requests in one message are cut where they meet; one request is never cut."""

from __future__ import annotations

import pytest

from bot.clauses import MAX_CLAUSES, clauses, turned


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("votre adresse et vos horaires ?", ["votre adresse", "vos horaires ?"]),
        ("ouvert samedi ? et les encombrants ?", ["ouvert samedi ?", "les encombrants ?"]),
        (
            "je voudrais un rdv passeport, c'est combien ?",
            ["je voudrais un rdv passeport", "c'est combien ?"],
        ),
        (
            "Le numéro de la gendarmerie et celui de la mairie svp",
            ["Le numéro de la gendarmerie", "Le numéro de la mairie svp"],
        ),
        ("rdv passeport jeudi + c koi les papiers", ["rdv passeport jeudi", "c koi les papiers"]),
        (
            "j'ai besoin du numéro de la CAF et de celui de la mairie",
            ["j'ai besoin du numéro de la CAF", "du numéro de la mairie"],
        ),
        (
            "J'annule SON-2RT5. Deuxième question : vous livrez les chaises ?",
            ["J'annule SON-2RT5.", "vous livrez les chaises ?"],
        ),
        (
            "le lampadaire est éteint et aussi le banc est cassé",
            ["le lampadaire est éteint", "le banc est cassé"],
        ),
        # Numbered, on one line or on several: the numbers go.
        (
            "1) le banc est cassé 2) vous ouvrez quand ?",
            ["le banc est cassé", "vous ouvrez quand ?"],
        ),
        ("Deux choses.\n1. le tag\n2. les horaires", ["Deux choses.", "le tag", "les horaires"]),
        (
            "1. c combien le passeport pour un ado 2. faut ramener quoi comme papiers",
            ["c combien le passeport pour un ado", "faut ramener quoi comme papiers"],
        ),
        # « et puis » and a capital « Aussi, » open another request, whatever follows.
        (
            "permis construire Et puis changement titulaire",
            ["permis construire", "changement titulaire"],
        ),
        (
            "horaires mairie Aussi, je dois jeter un frigo",
            ["horaires mairie", "je dois jeter un frigo"],
        ),
        ("encombrants Et permis construire", ["encombrants", "permis construire"]),
        # A pronoun before the second request's verb (« et en reprendre un »).
        (
            "je souhaite annuler le gymnase de mardi et en reprendre un jeudi à 19h",
            ["je souhaite annuler le gymnase de mardi", "en reprendre un jeudi à 19h"],
        ),
        # An order with its pronoun after « et » (« et réservez-moi la salle »).
        (
            "annulez les chaises du 3 et réservez-moi les tables à la place",
            ["annulez les chaises du 3", "réservez-moi les tables à la place"],
        ),
        # A word that turns to the new request (« et plutôt », « et à la place »).
        (
            "je souhaite annuler mes chaises du 3 mai et plutôt réserver le gymnase le 10",
            ["je souhaite annuler mes chaises du 3 mai", "réserver le gymnase le 10"],
        ),
        # « tant que j'y suis » opens another request and is dropped.
        (
            "je voudrais annuler le barnum du 6. Et tant que j'y suis, la sono coûte combien ?",
            ["je voudrais annuler le barnum du 6.", "la sono coûte combien ?"],
        ),
        # « mais d'abord » puts another request before the first.
        (
            "je veux un rdv pour mon passeport, mais d'abord il me faut une copie d'acte",
            ["je veux un rdv pour mon passeport", "il me faut une copie d'acte"],
        ),
    ],
)
def test_two_requests_are_cut(text: str, parts: list[str]) -> None:
    assert clauses(text) == parts


@pytest.mark.parametrize(
    "text",
    [
        "des tables et des chaises pour samedi",
        "de 14h à 18h et de 20h à 22h",
        "entre midi et deux",
        "vous fermez entre le matin et l'après-midi ?",
        "je voudrais aussi, si possible, réserver la salle",
        "2 bancs cassés et 3 lampadaires éteints au 12 rue du Moulin",
    ],
)
def test_one_request_stays_whole(text: str) -> None:
    assert clauses(text) == [text]


def test_a_long_story_keeps_every_word_and_its_last_clauses_apart() -> None:
    text = (
        "Bonjour. Je suis commerçant sur les marchés. Je travaille du mardi au vendredi. "
        "Le lundi je livre. Je ne peux passer que le samedi. Vous êtes ouverts ce jour-là ? "
        "Jusqu'à quelle heure ?"
    )
    got = clauses(text)
    assert len(got) == MAX_CLAUSES
    assert got[-2:] == ["Vous êtes ouverts ce jour-là ?", "Jusqu'à quelle heure ?"]
    assert " ".join(got) == text


def test_words_that_only_open_a_clause_are_dropped_however_many() -> None:
    assert clauses("Les horaires de la mairie svp. Ah et aussi ceux du bus 122.") == [
        "Les horaires de la mairie svp.",
        "Les horaires du bus 122.",
    ]


def test_a_wish_with_a_pronoun_and_a_possible_day_are_clauses() -> None:
    assert clauses("je voudrais une copie de mon acte de mariage et m'inscrire pour voter") == [
        "je voudrais une copie de mon acte de mariage",
        "m'inscrire pour voter",
    ]
    assert clauses("il me faut une carte d'identité, c'est possible un samedi ?") == [
        "il me faut une carte d'identité",
        "c'est possible un samedi ?",
    ]


def test_a_second_question_opened_by_qu_est_ce_is_a_clause() -> None:
    assert clauses("c'est combien une carte grise et qu'est-ce qu'il faut fournir") == [
        "c'est combien une carte grise",
        "qu'est-ce qu'il faut fournir",
    ]


def test_one_question_about_two_places_is_asked_of_each() -> None:
    def named(words: str) -> bool:
        return any(w in words.lower() for w in ("mairie", "poste", "tables", "chaises"))

    assert clauses("la poste et la mairie ouvrent le samedi ?", named) == [
        "la poste ouvrent le samedi ?",
        "la mairie ouvrent le samedi ?",
    ]
    assert clauses("les tables ou les chaises sont payantes ?", named) == [
        "les tables sont payantes ?",
        "les chaises sont payantes ?",
    ]
    # Two things that are no places: left to the usual cuts.
    assert len(clauses("le banc et la poubelle sont cassés", named)) <= 2


def test_a_second_request_named_bare_after_et_is_a_clause() -> None:
    assert clauses("horaires de la mairie et numéro de la police municipale") == [
        "horaires de la mairie",
        "numéro de la police municipale",
    ]


def test_the_same_asked_of_another_place_with_c_est_pareil() -> None:
    places = {"la poste", "la mairie", "le gymnase", "la salle des fêtes"}.__contains__
    got = clauses("la poste ferme le midi ? et vous, à la mairie, c'est pareil ?", places)
    assert got == ["la poste ferme le midi ?", "la mairie ferme le midi ?"]
    got = clauses("le gymnase ouvre le dimanche ? et la salle des fêtes, pareil ?", places)
    assert got == ["le gymnase ouvre le dimanche ?", "la salle des fêtes ouvre le dimanche ?"]


def test_a_message_that_turns_from_an_errand_to_what_is_happening_is_cut_where_it_turns() -> None:
    text = "je voulais un acte de naissance mais là mon père vient de tomber, il saigne"
    errand, danger = "je voulais un acte de naissance", "mon père vient de tomber, il saigne"
    assert turned(text) == [errand, danger]
    # « mais » alone does not turn the message.
    plain_but = "je voulais venir mais je suis malade"
    assert turned(plain_but) == [plain_but]
