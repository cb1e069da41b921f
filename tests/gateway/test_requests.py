"""Which clauses of a message are requests of their own, decided from what each is understood
to ask (Rasa's guesses are given here as they come back from the model)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.clauses import clauses
from bot.commune import Commune, load_commune
from bot.emergency import alarm
from gateway.requests import (
    Part,
    asked_elsewhere,
    asks_where_it_stands,
    astray,
    complained_again,
    completed,
    conjoined,
    errands_beside,
    is_place,
    lead,
    other_places,
    problems,
    reported,
    reports_beside,
    requests,
    sole_request,
    still_broken,
    subject,
    thanks_for_a_repair,
    together,
    told_afresh,
    two_things,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clairval() -> Commune:
    return load_commune(ROOT / "communes" / "clairval.yml")


def test_two_wishes_said_as_statements_are_two_requests(clairval: Commune) -> None:
    text = "Je voudrais m'inscrire sur les listes électorales et refaire ma carte d'identité"
    pieces = clauses(text)
    understood = [("ask_electoral_lists", 0.99), ("ask_id_documents", 0.98)]
    assert requests(text, pieces, understood, clairval) == [
        Part("Je voudrais m'inscrire sur les listes électorales"),
        Part("refaire ma carte d'identité"),
    ]


def test_requests_announced_are_requests(clairval: Commune) -> None:
    text = "J'ai deux demandes : réserver la sono le 21 juin, et signaler un dépôt d'ordures"
    pieces = clauses(text)
    got = requests(text, pieces, [("book", 1.0), ("report_problem", 1.0)], clairval)
    assert [p.text for p in got] == pieces


def test_a_situation_is_context_not_a_request(clairval: Commune) -> None:
    text = "Mon passeport a été volé. Combien coûte un nouveau ?"
    pieces = clauses(text)
    understood = [("ask_id_documents", 0.9), ("ask_id_price", 0.99)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]


def test_a_statement_gives_context_to_a_booking(clairval: Commune) -> None:
    text = "Il a besoin d'un titre valide pour le bac. Est-ce que c'est payant ?"
    pieces = clauses(text)
    understood = [("book", 0.96), ("ask_id_price", 0.9)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]


def test_thanks_first_get_their_own_answer_but_not_thanks_in_advance(clairval: Commune) -> None:
    text = "merci pour l'info ! sinon c'est possible de réserver le gymnase ?"
    pieces = clauses(text)
    got = requests(text, pieces, [("thank", 0.9), ("book", 1.0)], clairval)
    assert [p.text for p in got] == pieces
    advance = "c'est combien le passeport ? merci d'avance"
    pieces = clauses(advance)
    assert requests(advance, pieces, [("ask_id_price", 1.0), ("thank", 0.9)], clairval) == [
        Part(advance)
    ]


def test_what_the_commune_words_recognise_is_sent_as_its_intent(clairval: Commune) -> None:
    text = "rdv passeport jeudi + c koi les papiers a amener"
    pieces = clauses(text)
    got = requests(text, pieces, [("book", 0.99), ("nlu_fallback", 0.6)], clairval)
    # The answer first, then the booking, whose question ends the reply.
    assert got == [Part(pieces[1], "ask_id_documents"), Part("rdv passeport jeudi")]


def test_a_place_named_in_passing_is_no_question_about_it(clairval: Commune) -> None:
    text = "mon fils a perdu sa carte d'identité dans le train. c'est payant de la refaire ?"
    pieces = clauses(text)
    got = requests(text, pieces, [("nlu_fallback", 0.6), ("ask_id_price", 0.9)], clairval)
    assert got == [Part(text)]


def test_reports_already_made_are_context(clairval: Commune) -> None:
    text = "j'ai fait des signalements (tags, un banc cassé). Je voudrais revoir la liste"
    pieces = clauses(text)
    got = requests(text, pieces, [("report_problem", 0.97), ("my_reports", 0.9)], clairval)
    assert got == [Part(text)]


def test_a_place_in_the_story_is_no_question_about_it(clairval: Commune) -> None:
    text = (
        "Bonjour, hier j'ai appelé la CAF pour mes APL, sans résultat. "
        "Ma vraie question : jusqu'à quelle heure êtes-vous ouverts le vendredi ?"
    )
    pieces = clauses(text)
    understood = [("ask_elsewhere", 0.97), ("ask_hours", 0.98)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]
    assert lead(text, pieces, understood, clairval) == (pieces[1], "ask_hours")


def test_a_danger_read_in_the_whole_message_is_never_hidden_by_its_question(
    clairval: Commune,
) -> None:
    text = "Mon fils est tombé du toboggan et ne bouge plus. Vous êtes ouverts quand ?"
    question = "Vous êtes ouverts quand ?"
    assert astray(text, "ask_elsewhere", question, "ask_hours", clairval)
    assert astray(text, "nlu_fallback", question, "request_human", clairval)
    assert not astray(text, "ask_hours", question, "ask_hours", clairval)
    assert not astray(text, "emergency", question, "ask_hours", clairval)


def test_a_question_about_the_service_its_story_names_is_not_led_astray(
    clairval: Commune,
) -> None:
    text = (
        "Ma demande d'aide au logement est bloquée depuis deux mois, je n'ai plus de "
        "nouvelles. Qui dois-je relancer ?"
    )
    assert not astray(text, "ask_elsewhere", "Qui dois-je relancer ?", "out_of_scope", clairval)
    # The story names the CAF, but the question asks about us.
    other = "Hier la CAF ne m'a pas répondu. Vous êtes ouverts le samedi ?"
    question = "Vous êtes ouverts le samedi ?"
    assert astray(other, "ask_elsewhere", question, "ask_hours_weekend", clairval)
    # The story names France Travail for sure, and the question asks how to reach us.
    moved = (
        "Nous venons d'arriver, tout est à refaire. Mon mari s'occupe de France Travail. "
        "Moi je voudrais savoir comment vous contacter."
    )
    question = "Moi je voudrais savoir comment vous contacter."
    assert astray(moved, "ask_elsewhere", question, "ask_contact", clairval)
    assert not astray(moved, "ask_elsewhere", "Qui dois-je relancer ?", "ask_contact", clairval)


def test_a_danger_the_classifier_alone_reads_in_a_story_does_not_hide_its_question(
    clairval: Commune,
) -> None:
    # Someone in hospital, and nothing of a danger now: the question is the request.
    text = (
        "Bonjour, ma mère est hospitalisée et j'essaie de régler plusieurs choses à sa place. "
        "J'aurais besoin d'expliquer tout ça à une personne du service. Est-ce possible ?"
    )
    assert astray(text, "emergency", "Est-ce possible ?", "request_human", clairval)


def test_the_question_leads_only_when_sure_asked_and_answerable_alone(clairval: Commune) -> None:
    story = "Bonjour, je suis sous curatelle depuis deux ans."
    text = f"{story} Pourrais-je échanger avec quelqu'un de l'accueil ?"
    pieces = clauses(text)
    assert lead(text, pieces, [("inform", 0.87), ("request_human", 0.99)], clairval) == (
        pieces[1],
        "request_human",
    )
    # Unsure of the question: nothing leads, the whole message is read.
    assert lead(text, pieces, [("inform", 0.87), ("request_human", 0.7)], clairval) is None
    # A statement is no question, however sure (« je veux voir la liste » would be).
    told = f"{story} Mon voisin a déjà parlé à quelqu'un de l'accueil."
    assert lead(told, clauses(told), [("inform", 0.87), ("request_human", 0.99)], clairval) is None
    # A booking needs every word of the message (the room may be named in the story).
    booked = "Mon passeport a été volé. Pouvez-vous me donner un rendez-vous jeudi ?"
    assert lead(booked, clauses(booked), [("nlu_fallback", 0.6), ("book", 1.0)], clairval) is None
    # Something else asked after it: no context, the whole message is read.
    more = "Mes réservations svp, je veux en annuler une"
    understood = [("my_bookings", 1.0), ("nlu_fallback", 0.6)]
    assert lead(more, clauses(more), understood, clairval) is None
    # Asked again in other words, or thanked: still the one question.
    again = f"{story} Comment ça marche pour un agent ? Je peux parler à quelqu'un ? Merci !"
    understood = [("inform", 0.9), ("request_human", 0.9), ("request_human", 0.95), ("thank", 1.0)]
    assert lead(again, clauses(again), understood, clairval) == (
        "Comment ça marche pour un agent ?",
        "request_human",
    )
    # Two requests are each read on their own already.
    two = "Vos horaires ? Et je voudrais parler à quelqu'un."
    assert lead(two, clauses(two), [("ask_hours", 0.99), ("request_human", 0.99)], clairval) is None


def test_a_question_without_its_subject_borrows_it(clairval: Commune) -> None:
    pieces = ["Combien coûte un passeport", "faut-il prendre rendez-vous ?"]
    got = completed(pieces, [("ask_id_price", 1.0), ("nlu_fallback", 0.6)], clairval)
    assert got == ["Combien coûte un passeport", "faut-il prendre rendez-vous pour passeport ?"]
    booking = ["mon passeport a été volé", "pouvez-vous me donner un rendez-vous jeudi ?"]
    got = completed(booking, [("ask_id_documents", 0.9), ("book", 0.98)], clairval)
    assert got[1] == "pouvez-vous me donner un rendez-vous jeudi pour passeport ?"


def test_a_question_that_names_its_subject_first_borrows_none(clairval: Commune) -> None:
    pieces = [
        "Où amener les gravats ?",
        "le document pour passer la frontière, ça se demande ici ?",
    ]
    got = completed(pieces, [("ask_waste_centre", 1.0), ("nlu_fallback", 0.6)], clairval)
    assert got == pieces


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        (
            "ma carte grise et mon passeport, je fais ça où ?",
            ("ma carte grise, je fais ça où ?", "mon passeport, je fais ça où ?"),
        ),
        ("prix des barnums et des chaises ?", ("prix des barnums ?", "prix des chaises ?")),
        ("tel mairie / tel police municipale", ("tel mairie", "tel police municipale")),
        ("acte de naissance + carte grise svp", ("acte de naissance svp", "carte grise svp")),
        # « … et la mairie aussi ? »: the same asked of the other place.
        (
            "déchetterie ouverte dimanche et mairie aussi ?",
            ("déchetterie ouverte dimanche ?", "mairie ouverte dimanche ?"),
        ),
        # « … et de la mairie »: what the first asks of, asked of the second.
        (
            "c koi le numéro de téléphone de la gendarmerie et de la mairie",
            (
                "c koi le numéro de téléphone de la gendarmerie",
                "c koi le numéro de téléphone de la mairie",
            ),
        ),
    ],
)
def test_one_question_about_two_things_is_asked_of_each(text: str, pair: tuple[str, str]) -> None:
    assert conjoined(text) == pair


@pytest.mark.parametrize(
    "text",
    [
        "vous êtes ouverts entre 12h et 14h ?",  # one span of time
        "la mairie, la poste et la gare, c'est où ?",  # three things: left whole
        "Dépôt sauvage de bidons d'huile et de vieux extincteurs derrière la salle des fêtes.",
    ],
)
def test_no_two_questions_where_nothing_asked_is_joined(text: str) -> None:
    assert conjoined(text) is None


def test_two_things_are_two_requests_only_when_understood_and_different(
    clairval: Commune,
) -> None:
    pair = ("ma carte grise, je fais ça où ?", "mon passeport, je fais ça où ?")
    sure = [("ask_vehicle_registration", 0.99), ("ask_id_documents", 0.97)]
    assert two_things(pair, sure, clairval)
    assert not two_things(pair, [("ask_id_documents", 0.97)] * 2, clairval)
    assert not two_things(pair, [sure[0], ("nlu_fallback", 0.6)], clairval)
    # Two resources asked the same of are two questions; one booking of two is one booking.
    prices = ("prix des barnums ?", "prix des chaises ?")
    assert two_things(prices, [("ask_resource", 0.99)] * 2, clairval)
    booking = ("je voudrais les tables", "les chaises pour le 12 mai")
    assert not two_things(booking, [("book", 0.99)] * 2, clairval)


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("la poste est ouverte samedi ? et la mairie ?", "la mairie est ouverte samedi ?"),
        (
            "La mairie de Montreuil est ouverte le samedi ? Et la vôtre ?",
            "votre mairie est ouverte le samedi ?",
        ),
        ("c'est combien la salle des fêtes ? et le gymnase ?", "c'est combien le gymnase ?"),
    ],
)
def test_an_elliptic_question_asks_the_previous_one_again(
    clairval: Commune, text: str, second: str
) -> None:
    assert clauses(text, lambda words: is_place(words, clairval))[1] == second


def test_an_elliptic_topic_is_not_a_place(clairval: Commune) -> None:
    text = "c'est ouvert le samedi ? et les encombrants ?"
    assert clauses(text, lambda words: is_place(words, clairval)) == [
        "c'est ouvert le samedi ?",
        "les encombrants ?",
    ]


def test_a_price_asked_after_a_booking_reference_is_about_its_room(clairval: Commune) -> None:
    text = "Ma réservation SDF-9KL2 est-elle confirmée ? Et le ménage est compris ?"
    pieces = clauses(text)
    understood = [("my_bookings", 0.99), ("ask_resource", 0.97)]
    assert requests(text, pieces, understood, clairval) == [
        Part("Ma réservation SDF-9KL2 est-elle confirmée ?"),
        Part("le ménage est compris pour salle des fêtes ?"),
    ]


def test_a_price_asked_after_a_wish_to_book_stays_with_it(clairval: Commune) -> None:
    text = "On voudrait la salle des fêtes pour un loto. C'est combien ?"
    pieces = clauses(text)
    assert len(requests(text, pieces, [("book", 0.9), ("ask_resource", 0.9)], clairval)) == 1


def test_a_cancelling_clause_rasa_is_unsure_of_is_a_cancellation(clairval: Commune) -> None:
    text = "vous pouvez me montrer mes réservations ? j'aimerais en annuler une"
    pieces = clauses(text)
    understood = [("my_bookings", 0.99), ("nlu_fallback", 0.6)]
    assert requests(text, pieces, understood, clairval) == [
        Part("vous pouvez me montrer mes réservations ?"),
        Part("j'aimerais en annuler une", "cancel_booking"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Je tenais à vous remercier. Le lampadaire de l'impasse a été réparé hier. Bravo !",
        "Le banc du square a été remplacé ce matin, merci beaucoup",
        "Merci aux agents qui ont dégagé la branche tombée sur le chemin",
    ],
)
def test_thanks_for_a_repair_are_thanks_not_a_report(text: str) -> None:
    assert thanks_for_a_repair(text)


@pytest.mark.parametrize(
    "text",
    [
        # Something asked, or still wrong, or thanks in advance for what is asked.
        "Merci pour le banc réparé. Et le lampadaire, c'est pour quand ?",
        "Le lampadaire a été réparé mais il clignote encore, merci de repasser",
        "Merci de me dire si le trou a été rebouché",
        "Merci, le feu rouge du carrefour est en panne",
    ],
)
def test_thanks_beside_a_request_are_no_thanks_for_a_repair(text: str) -> None:
    assert not thanks_for_a_repair(text)


def test_what_is_answered_at_once_goes_before_what_opens_a_form(clairval: Commune) -> None:
    text = (
        "Des gravats traînent sur le trottoir rue des Lilas ; et c'est quelle pharmacie de garde ?"
    )
    pieces = clauses(text)
    understood = [("report_problem", 0.95), ("ask_elsewhere", 0.9)]
    got = requests(text, pieces, understood, clairval)
    assert [p.text for p in got] == [pieces[1], pieces[0]]


def test_two_street_problems_of_two_kinds_are_two_reports_one_after_the_other(
    clairval: Commune,
) -> None:
    text = "Nid de poule devant le 15 avenue des Tilleuls, et aussi un réverbère qui clignote."
    pieces = clauses(text)
    understood = [("report_problem", 0.99), ("report_problem", 0.97)]
    # One turn opens the first report; the second problem goes along, filed after it.
    assert requests(text, pieces, understood, clairval) == [Part(pieces[0], then=(pieces[1],))]


def test_one_problem_told_in_two_sentences_is_one_report(clairval: Commune) -> None:
    text = "Il y a un nid de poule devant chez moi. Les voitures abîment le trottoir en passant."
    pieces = clauses(text)
    understood = [("report_problem", 0.99), ("report_problem", 0.9)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]


def test_a_numbered_report_and_question_are_both_asked(clairval: Commune) -> None:
    text = "2 choses : 1) le mur de la médiathèque est tagué 2) vous ouvrez à quelle heure lundi"
    pieces = clauses(text)
    assert pieces[1:] == ["le mur de la médiathèque est tagué", "vous ouvrez à quelle heure lundi"]
    # The classifier was unsure of the report: the commune's words recognise it, and it is
    # sent as a report with its words, after the question answered at once.
    understood = [("nlu_fallback", 0.6), ("nlu_fallback", 0.6), ("ask_hours", 0.99)]
    assert requests(text, pieces, understood, clairval) == [
        Part("vous ouvrez à quelle heure lundi"),
        Part("2 choses : le mur de la médiathèque est tagué", "report_problem"),
    ]


def test_numbered_questions_without_question_marks_are_each_answered(clairval: Commune) -> None:
    text = "1. c combien le passeport pour un ado 2. faut ramener quoi comme papiers"
    pieces = clauses(text)
    understood = [("ask_id_price", 0.99), ("ask_id_documents", 0.99)]
    assert requests(text, pieces, understood, clairval) == [
        Part("c combien le passeport pour un ado"),
        Part("faut ramener quoi comme papiers"),
    ]


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        # Bare requests, without a question mark.
        (
            "passeport ; decheterie horaire",
            [("ask_id_documents", 0.99), ("ask_waste_centre", 0.99)],
        ),
        # A need told, then « par ailleurs »: the need was a request too.
        (
            "On me réclame la copie intégrale de mon acte de naissance. Par ailleurs, horaires ?",
            [("ask_birth_certificate", 0.9), ("ask_hours", 0.98)],
        ),
        # A fact, and a question about it that names nothing of its own.
        (
            "J'ai une commode trop lourde pour ma voiture. Vous pouvez venir la prendre ? "
            "Et pour voter, je fais quoi ?",
            [("ask_bulky_waste", 0.95), ("nlu_fallback", 0.6), ("ask_electoral_lists", 0.99)],
        ),
        # « sinon » before a question said as a statement.
        (
            "prix passeport Sinon je suis nouveau, la mairie est dans quelle rue",
            [("ask_id_price", 0.99), ("ask_contact", 0.99)],
        ),
    ],
)
def test_two_questions_said_without_question_marks_are_both_asked(
    clairval: Commune, text: str, understood: list[tuple[str, float]]
) -> None:
    pieces = clauses(text)
    assert len(pieces) == len(understood)
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == [None, None]
    assert got[0].text.startswith(pieces[0]) and got[1].text == pieces[-1]


def test_clauses_that_say_nothing_alone_are_read_two_by_two(clairval: Commune) -> None:
    pieces = [
        "Je viens d'hériter de la camionnette de mon oncle",
        "je fais comment maintenant ?",
        "vos horaires ?",
    ]
    unsure, sure = ("nlu_fallback", 0.6), ("ask_hours", 0.99)
    assert together(pieces, [unsure, unsure, sure], clairval) == [[0, 1], [2]]
    # The question before the fact: each stays alone.
    assert together(pieces[::-1], [sure, unsure, unsure], clairval) == [[0], [1], [2]]
    # A street problem the commune's words recognise stays alone.
    reported = ["le banc est cassé", "j'en ai marre", "vos horaires ?"]
    assert together(reported, [unsure, unsure, sure], clairval) == [[0], [1], [2]]
    # Two facts are not read as one: only a fact and the question after it.
    told = ["mon fils a eu 18 ans", "il part en Italie", "il doit faire quoi ?"]
    assert together(told, [unsure, unsure, unsure], clairval) == [[0], [1, 2]]


def test_a_booking_told_as_made_is_the_story_of_its_cancellation(clairval: Commune) -> None:
    text = (
        "j'avais réservé les tables et les chaises pour le 18 mai. "
        "La fête n'aura pas lieu, je voudrais annuler."
    )
    pieces = clauses(text)
    understood = [
        ("my_bookings", 0.9),
        ("book", 0.98),
        ("nlu_fallback", 0.6),
        ("cancel_booking", 0.99),
    ]
    assert len(pieces) == 4
    assert requests(text, pieces, understood, clairval) == [Part(text)]


def test_a_need_said_in_the_conditional_is_asked(clairval: Commune) -> None:
    text = "Merci pour la dernière fois ! Cette fois j'aurais besoin du jour des encombrants."
    pieces = clauses(text)
    understood = [("thank", 0.74), ("ask_bulky_waste", 0.99)]
    assert [p.intent for p in requests(text, pieces, understood, clairval)] == [None, None]


def test_asking_for_a_person_in_plain_words_is_a_request(clairval: Commune) -> None:
    text = (
        "Je voudrais qu'un agent me rappelle pour la concession au cimetière, "
        "et sinon vous êtes ouverts samedi ?"
    )
    pieces = clauses(text)
    understood = [("nlu_fallback", 0.6), ("ask_hours_weekend", 0.99)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == ["request_human", None]
    assert got[0].text.startswith("Je voudrais qu'un agent me rappelle")


def test_a_street_problem_told_amid_a_story_is_the_message_s_one_request(
    clairval: Commune,
) -> None:
    text = (
        "Bonjour, mon fils prend le car scolaire devant chez nous, tout va bien de ce côté. "
        "En revanche, l'abribus où il attend a perdu son banc. Pourriez-vous le remplacer ?"
    )
    pieces = clauses(text)
    understood = [("ask_elsewhere", 0.84), ("report_problem", 0.91), ("nlu_fallback", 0.6)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]
    assert reported(text, pieces, understood, clairval)
    # A problem the classifier is sure is something else (a swarm of bees, out of scope)
    # is not a report, whatever its words.
    text = "Un essaim d'abeilles s'est posé sur une branche. Vous connaissez un apiculteur ?"
    pieces = clauses(text)
    understood = [("out_of_scope", 0.99), ("out_of_scope", 0.95)]
    assert not reported(text, pieces, understood, clairval)


@pytest.mark.parametrize(
    ("text", "halves"),
    [
        (
            "le toboggan du square est fendu, les poubelles à côté débordent",
            ["le toboggan du square est fendu", "les poubelles à côté débordent"],
        ),
        (
            "la chaussée est défoncée rue Pasteur et en plus y a des sacs poubelle éventrés",
            ["la chaussée est défoncée rue Pasteur", "des sacs poubelle éventrés"],
        ),
    ],
)
def test_one_clause_holding_two_street_problems_is_cut_in_two(
    clairval: Commune, text: str, halves: list[str]
) -> None:
    pieces, understood = problems([text], [("report_problem", 0.99)], clairval)
    assert pieces == halves
    assert understood == [("report_problem", 0.99)] * 2
    got = requests(text, pieces, understood, clairval)
    assert got == [Part(halves[0], then=(halves[1],))]


@pytest.mark.parametrize(
    "text",
    [
        # What the problem makes people do, a problem told again, reports already made.
        "la haie déborde, les passants doivent marcher sur la route",
        "le lampadaire est tombé, il bloque le trottoir",
        "j'ai déjà signalé le banc cassé, et la poubelle déborde toujours",
    ],
)
def test_one_problem_and_its_effects_stay_one_clause(clairval: Commune, text: str) -> None:
    pieces, _ = problems([text], [("report_problem", 0.99)], clairval)
    assert pieces == [text]


def test_only_a_report_is_cut(clairval: Commune) -> None:
    text = "le banc est cassé, les horaires de la mairie svp"
    assert problems([text], [("ask_hours", 0.9)], clairval)[0] == [text]


def test_a_resource_asked_for_on_the_day_of_a_booking_is_booked_with_it(
    clairval: Commune,
) -> None:
    text = "La salle des fêtes est libre le 14 mai ? Et on peut avoir les barnums ce jour-là ?"
    pieces = clauses(text)
    understood = [("book", 0.95), ("ask_resource", 0.8)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]
    # Asked about on their own, they are a question of their own.
    other = "La salle des fêtes est libre le 14 mai ? Et les barnums coûtent combien ?"
    assert len(requests(other, clauses(other), understood, clairval)) == 2
    # Added to the booking with « et aussi », the tables are booked with the hall.
    added = "Je réserve la salle des fêtes pour le 3 octobre, et aussi douze tables si possible."
    assert clauses(added) == [
        "Je réserve la salle des fêtes pour le 3 octobre",
        "douze tables si possible.",
    ]
    assert requests(added, clauses(added), understood, clairval) == [Part(added)]


def test_a_report_said_closed_but_still_wrong_is_still_broken(clairval: Commune) -> None:
    text = "ma demande pour le banc est close mais il est toujours cassé, rappelez-moi svp"
    pieces = clauses(text)
    assert pieces == [
        "ma demande pour le banc est close mais il est toujours cassé",
        "rappelez-moi svp",
    ]
    understood = [("nlu_fallback", 0.55), ("request_human", 0.97)]
    # The person is asked for at once; the report is then reopened.
    assert requests(text, pieces, understood, clairval) == [
        Part(pieces[1]),
        Part(pieces[0], "still_broken"),
    ]


def test_a_report_made_before_and_still_there_beside_another_is_a_follow_up(
    clairval: Commune,
) -> None:
    pieces = [
        "un tag énorme sur l'abribus rue des Lilas",
        "la fontaine que j'ai signalée en mai fuit tjrs pas réparée",
    ]
    text = ", et ".join(pieces)
    understood = [("report_problem", 0.99), ("report_status", 0.6)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == [None, "still_broken"]


@pytest.mark.parametrize(
    ("text", "understood", "said"),
    [
        (
            "En mars j'ai signalé que le panneau du carrefour était tordu. "
            "On m'a dit que les services techniques étaient prévenus. "
            "Trois mois plus tard rien n'a bougé.",
            [("report_problem", 0.97), ("nlu_fallback", 0.5), ("nlu_fallback", 0.5)],
            # A first report told over several sentences is none.
            ("En mars j'ai signalé que le", "Depuis mars le"),
        ),
        (
            # Asked to push it (« quelqu'un peut relancer ? »), though it asks for somebody.
            "Il y a trois semaines j'ai signalé un trou devant le 14 chemin des Vignes. "
            "Rien n'a bougé depuis. Est-ce que quelqu'un peut relancer ?",
            [("report_status", 0.89), ("still_broken", 0.67), ("request_human", 0.91)],
            # Somebody asked for about another matter is a request of its own.
            ("Est-ce que quelqu'un peut relancer ?", "Je voudrais parler à un agent."),
        ),
    ],
)
def test_a_report_told_again_over_several_sentences_is_one_follow_up(
    clairval: Commune,
    text: str,
    understood: list[tuple[str, float]],
    said: tuple[str, str],
) -> None:
    pieces = clauses(text)
    assert len(pieces) == 3
    assert still_broken(text, pieces, understood, clairval)
    other = text.replace(*said)
    assert not still_broken(other, clauses(other), understood, clairval)


def test_where_this_request_stands_is_a_report_status(clairval: Commune) -> None:
    text = "Pouvez-vous me dire où en est cette demande ? Et vos horaires ?"
    pieces = clauses(text)
    understood = [("my_bookings", 0.7), ("ask_hours", 0.9)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == [None, "report_status"]  # the hours first


def test_a_booking_said_after_a_cancellation_is_a_request_of_its_own(clairval: Commune) -> None:
    text = "Je voudrais annuler le gymnase de mercredi et plutôt réserver la salle des associations"
    pieces = clauses(text)
    assert len(pieces) == 2
    understood = [("cancel_booking", 0.99), ("nlu_fallback", 0.6)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == [None, "book"]
    # A price asked of a room is no booking.
    asked = [pieces[0], "combien pour réserver la salle des associations ?"]
    got = requests(" et ".join(asked), asked, understood, clairval)
    assert [p.intent for p in got] != [None, "book"]


def test_a_danger_the_safety_layer_did_not_find_is_no_reason_to_drop_a_report(
    clairval: Commune,
) -> None:
    text = (
        "Merci pour le lampadaire de la rue des Écoles, réparé en deux jours ! "
        "Au passage il y en a un autre qui clignote rue Haute."
    )
    pieces = clauses(text)
    understood = [("report_problem", 0.91), ("emergency", 0.66)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == ["thank", "report_problem"]


def test_a_second_problem_placed_under_the_first_is_another_report(clairval: Commune) -> None:
    text = "y a un lampadaire HS rue des Écoles et juste en dessous un nid-de-poule énorme"
    pieces, understood = problems([text], [("report_problem", 0.99)], clairval)
    assert pieces == ["y a un lampadaire HS rue des Écoles", "un nid-de-poule énorme"]
    got = requests(text, pieces, understood, clairval)
    assert got == [Part(pieces[0], then=(pieces[1],))]


def test_where_a_report_stands_beside_a_cancellation_is_no_new_report(clairval: Commune) -> None:
    pieces = [
        "où en est ma réclamation pour le banc cassé du square",
        "je voudrais annuler mes chaises de samedi",
    ]
    text = ", et ".join(pieces)
    understood = [("report_problem", 0.62), ("cancel_booking", 0.97)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == ["report_status", None]
    # Asked whether it was taken into account.
    pieces[0] = "dites-moi si ma réclamation pour le banc a bien été prise en compte"
    got = requests(", et ".join(pieces), pieces, understood, clairval)
    assert [p.intent for p in got] == ["report_status", None]


def test_a_booking_asked_outright_that_rasa_is_unsure_of_is_a_booking(clairval: Commune) -> None:
    pieces = ["annulez la sono du 12", "réservez-moi 6 tables"]
    understood = [("cancel_booking", 0.97), ("nlu_fallback", 0.6)]
    got = requests(" et ".join(pieces), pieces, understood, clairval)
    assert [(p.text, p.intent) for p in got] == [(pieces[0], None), (pieces[1], "book")]
    # A question about them is no booking.
    pieces[1] = "vous prêtez combien de tables ?"
    assert len(requests(" et ".join(pieces), pieces, understood, clairval)) == 1


def test_another_institution_s_contact_is_theirs_beside_ours(clairval: Commune) -> None:
    text = "Le numéro de la sécurité sociale ? Et le vôtre à la mairie ?"
    pieces = clauses(text, lambda words: is_place(words, clairval))
    understood = [("ask_contact", 0.85), ("ask_contact", 0.99)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == ["ask_elsewhere", None]


def test_words_that_ask_are_no_subject_to_borrow(clairval: Commune) -> None:
    assert subject("j'ai oublié quelles pièces apporter", clairval) is None
    assert subject("nos rendez-vous pour nos passeports", clairval) == "passeports"


def test_a_choice_made_after_a_question_is_a_booking_of_its_own(clairval: Commune) -> None:
    text = "les particuliers peuvent louer le gymnase ? sinon je prends la salle des fêtes le 8"
    pieces = clauses(text)
    understood = [("ask_resource", 0.98), ("book", 0.97)]
    assert [p.text for p in requests(text, pieces, understood, clairval)] == pieces


def test_trying_is_no_tent(clairval: Commune) -> None:
    # « je tente » (I try) names no tent; « une tente » does.
    assert subject("personne n'a répondu, alors je tente par ce moyen", clairval) is None
    assert subject("il nous faudrait une tente pour samedi", clairval) == "barnums"


@pytest.mark.parametrize(
    ("text", "again"),
    [
        ("c'est la 4e fois que je vous signale le réverbère de ma rue, toujours éteint", True),
        ("ça fait deux fois que je vous écris, la grille est encore arrachée", True),
        ("je vous ai déjà prévenus pour le regard cassé et rien n'a bougé", True),
        ("la haie du square, je vous en ai parlé en mai, elle est dans le même état", True),
        ("Encore HS le réverbère du parking, je vous l'avais signalé en juin !", True),
        # A repair promised, and the problem still there.
        ("On m'avait promis que le banc serait changé, mais ce matin encore c'est cassé", True),
        # A question about a report's progress, or a first report: no complaint made again.
        ("mon signalement du lampadaire est toujours en cours ?", False),
        ("trois fois que je passe devant ce trou, il faudrait le reboucher", False),
    ],
)
def test_a_complaint_made_again_about_what_is_still_broken(text: str, again: bool) -> None:
    assert complained_again(text) is again


def test_a_question_about_another_town_and_the_same_of_ours_are_two(clairval: Commune) -> None:
    text = "La mairie de Bondy ouvre le samedi ? Et la vôtre ?"
    pieces = clauses(text, lambda words: is_place(words, clairval))
    understood = [("ask_hours_weekend", 0.9), ("ask_hours_weekend", 0.99)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == ["ask_elsewhere", None]
    assert "Bondy" in got[0].text and "Bondy" not in got[1].text


def test_a_wish_misspelt_is_still_a_request(clairval: Commune) -> None:
    text = "je voudrai un rdv pour la carte d'identité de ma fille et savoir quoi apporter"
    pieces = clauses(text)
    understood = [("book", 0.99), ("ask_id_documents", 0.9)]
    assert len(requests(text, pieces, understood, clairval)) == 2


def test_a_problem_told_with_a_sour_bravo_is_a_report_not_thanks(clairval: Commune) -> None:
    text = (
        "Le lampadaire de la rue Pasteur est toujours éteint malgré mon signalement. "
        "Et en plus quelqu'un a jeté des gravats juste dessous, bravo la commune."
    )
    pieces = clauses(text)
    understood = [("still_broken", 0.62), ("thank", 0.8)]
    got = requests(text, pieces, understood, clairval)
    assert [p.intent for p in got] == [None, "report_problem"]


def test_a_report_said_as_one_is_a_report_whatever_its_other_words(clairval: Commune) -> None:
    text = (
        "Je vous signale des pneus jetés dans le fossé du chemin du Moulin, j'ai noté la plaque "
        "de la camionnette. La gendarmerie la plus proche, c'est où ?"
    )
    pieces = clauses(text)
    understood = [("nlu_fallback", 0.6), ("ask_elsewhere", 0.99), ("nlu_fallback", 0.6)]
    got = requests(text, pieces, understood, clairval)
    # The question is answered at once, the report's form comes after it.
    assert [p.intent for p in got] == [None, "report_problem"]
    assert got[1].text.startswith("Je vous signale")


def test_something_left_at_a_street_told_without_a_question_is_a_report(clairval: Commune) -> None:
    from gateway.requests import left_in_the_street

    assert left_in_the_street("vers le 4 ch du stade : un vieil encombrant abandonné", clairval)
    # A question about the collection, even with a street, is none.
    assert not left_in_the_street("les encombrants rue des Lilas c'est quand ?", clairval)
    assert not left_in_the_street("ramassage des encombrants rue des Lilas", clairval)


def test_a_street_problem_told_by_one_of_our_rooms_is_a_report(clairval: Commune) -> None:
    from gateway.requests import told_by_a_room

    assert told_by_a_room("des sacs éventrés traînent partout derrière le gymnase", clairval)
    assert told_by_a_room("le lampadaire du parking de la salle des fêtes est mort", clairval)
    # A question about the room, or its parking, is none.
    assert not told_by_a_room("le parking de la salle des fêtes, il est grand ?", clairval)
    assert not told_by_a_room("la salle des fêtes est libre samedi ?", clairval)


def test_a_problem_told_without_a_report_before_is_told_afresh(clairval: Commune) -> None:
    assert told_afresh("Le lampadaire de l'impasse clignote puis s'éteint toute la nuit", clairval)
    # A report made before, or a problem still there: a follow-up.
    assert not told_afresh("Le lampadaire que j'ai signalé clignote toujours", clairval)
    assert not told_afresh("mon signalement du banc : il est cassé", clairval)
    # No problem named: nothing told.
    assert not told_afresh("Bonjour, vous êtes ouverts samedi ?", clairval)


def test_the_clause_that_asks_leads_when_the_request_was_named_before(clairval: Commune) -> None:
    text = (
        "Ma fille part étudier à Madrid. Sa carte d'identité est périmée depuis mai. "
        "Vous pouvez me dire ce qu'elle doit apporter pour la refaire ? Merci, Julie"
    )
    pieces = clauses(text)
    understood = [
        ("nlu_fallback", 0.6),
        ("ask_id_documents", 0.55),
        ("ask_id_documents", 0.97),
        ("thank", 0.9),
    ]
    assert lead(text, pieces, understood, clairval) == (pieces[2], "ask_id_documents")


def test_an_unsure_question_leads_only_when_asked_to(clairval: Commune) -> None:
    text = "Je suis venue lundi déposer mon dossier. Vous pourriez me rappeler vos horaires ?"
    pieces = clauses(text)
    understood = [("nlu_fallback", 0.6), ("ask_hours", 0.62)]
    assert lead(text, pieces, understood, clairval) is None
    assert lead(text, pieces, understood, clairval, sure=0.5) == (pieces[1], "ask_hours")


def test_a_follow_up_told_with_its_story_keeps_every_word(clairval: Commune) -> None:
    text = (
        "Le 2 juin j'ai signalé un lampadaire éteint rue des Écoles. Rien depuis. "
        "Vous pouvez me dire où en est ce signalement ? Bien à vous"
    )
    pieces = clauses(text)
    understood = [("report_problem", 0.9), ("nlu_fallback", 0.6), ("report_status", 0.66)]
    understood += [("nlu_fallback", 0.6)] * (len(pieces) - len(understood))
    assert sole_request(text, pieces, understood, clairval) == "report_status"
    # A question answered alone is the lead's, not the whole message's.
    hours = "Le 2 juin je suis passé. Vous ouvrez à quelle heure ?"
    assert (
        sole_request(hours, clauses(hours), [("inform", 0.9), ("ask_hours", 0.9)], clairval) is None
    )


@pytest.mark.parametrize(
    ("text", "whole", "confidence", "expected"),
    [
        # Another town's town hall, named for sure: whatever the classifier read.
        ("À la mairie de Bellerive on peut venir sans rendez-vous ?", "my_bookings", 0.7, True),
        # A place named in one word, the classifier unsure.
        ("Le collège ouvre la cantine le mercredi ? c'est pour ma fille", "book", 0.6, True),
        ("Je cherche un notaire, vous pouvez m'en recommander un ?", "request_human", 0.7, True),
        # A question about the school's canteen read, unsure, as a street problem.
        (
            "Ma fille mange à la cantine du collège, à qui je signale son allergie ?",
            "report_problem",
            0.62,
            True,
        ),
        # Sure of a booking: the school is what the party is for.
        ("Je peux réserver le gymnase pour la kermesse de l'école ?", "book", 0.98, False),
        (
            "Le trottoir devant l'école est défoncé, vous venez quand ?",
            "report_problem",
            0.93,
            False,
        ),
        ("Le collège ouvre la cantine le mercredi ? c'est pour ma fille", "book", 0.78, False),
        # Not a question, or a question about our own facts.
        ("À la mairie de Bellerive on m'a dit de venir ici", "my_bookings", 0.6, False),
        ("Le collège ouvre la cantine le mercredi ?", "ask_hours", 0.6, False),
        # Where the resident lives is no place asked about.
        ("J'habite à Bagnolet, je peux réserver la salle des fêtes ?", "book", 0.6, False),
    ],
)
def test_a_question_about_another_place_read_as_our_service_goes_to_the_directory(
    clairval: Commune, text: str, whole: str, confidence: float, expected: bool
) -> None:
    assert asked_elsewhere(text, other_places(text, clairval), whole, confidence) is expected


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("J'ai signalé un banc cassé au square la semaine dernière, ça en est où ?", True),
        ("où en est mon signalement pour la fontaine ?", True),
        ("Pourriez-vous simplement me dire où en est ce signalement ?", True),
        ("mes signalements svp, et l'état de celui sur la fontaine", True),
        # The report told in the story, the question about « ce dossier ».
        ("J'ai signalé des tags sur l'école il y a dix jours. Où en est ce dossier ?", True),
        ("Où en est mon dossier de passeport ?", False),
        ("Le banc du square est cassé, ça fait où ?", False),
        ("J'ai signalé un banc cassé, merci de le réparer", False),
    ],
)
def test_a_question_about_how_a_report_stands_said_in_one_sentence(text: str, asked: bool) -> None:
    assert asks_where_it_stands(text) is asked


def _danger(commune: Commune) -> Callable[[str], bool]:
    return lambda said: alarm(said, commune.data.urgences) is not None


@pytest.mark.parametrize(
    ("pieces", "understood", "expected"),
    [
        # A booking, then the danger that interrupts it: the booking, without the danger.
        (["Bonjour, je voulais réserver les barnums pour la kermesse",
          "mais là il y a de la fumée noire qui sort du garage d'en face"],
         [("book", 0.99), ("emergency", 0.98)],
         [("book:barnums", "je voulais réserver les barnums pour la kermesse")]),
        # A cancellation the danger causes.
        (["L'eau de la rivière entre dans notre cave et monte vite",
          "du coup je voudrais annuler ma réservation des tables pour dimanche"],
         [("emergency", 0.99), ("cancel_booking", 0.99)],
         [("cancel_booking",
           "du coup je voudrais annuler ma réservation des tables pour dimanche")]),
        # Said as a statement, but sure: an appointment for a passport.
        (["Mon ex m'a menacée avec un couteau, il a dit qu'il reviendrait ce soir",
          "il faudrait aussi que je prenne rendez-vous pour mon passeport"],
         [("emergency", 0.99), ("book", 0.95)],
         [("book:rdv-titres", "il faudrait aussi que je prenne rendez-vous pour mon passeport")]),
        # A booking told as done is the story, not a request.
        (["j'avais réservé la salle des fêtes pour samedi",
          "et là ça sent le gaz partout dans la cuisine de la salle"],
         [("book", 0.9), ("emergency", 0.99)],
         []),
        # A frequent question is answered from the commune's answers, not taken up.
        (["ça sent le gaz dans l'escalier", "vous fermez à quelle heure ?"],
         [("emergency", 0.99), ("ask_hours", 0.99)],
         []),
    ],
)  # fmt: skip
def test_requests_beside_a_danger_that_need_a_conversation_are_taken_up(
    clairval: Commune,
    pieces: list[str],
    understood: list[tuple[str, float]],
    expected: list[tuple[str, str]],
) -> None:
    text = ". ".join(pieces)
    assert errands_beside(text, pieces, understood, clairval, _danger(clairval)) == expected


def test_a_street_problem_told_after_the_danger_that_opens_its_report_is_its_own(
    clairval: Commune,
) -> None:
    pieces = [
        "Les fils du lampadaire devant l'école pendent jusqu'au sol et font des étincelles.",
        "Par ailleurs dans ma rue deux autres lampadaires sont éteints depuis une semaine.",
    ]
    understood = [("report_problem", 0.99), ("report_problem", 0.99)]
    got = reports_beside(" ".join(pieces), pieces, understood, clairval, _danger(clairval))
    assert got == [(pieces[1], "eclairage")]
    # The danger told at more length is no other problem.
    pieces[1] = "Les enfants passent juste à côté en sortant de l'école."
    understood[1] = ("nlu_fallback", 0.4)
    assert reports_beside(" ".join(pieces), pieces, understood, clairval, _danger(clairval)) == []


def test_a_resource_named_in_a_statement_is_no_question_about_it(clairval: Commune) -> None:
    text = (
        "Je vous écris au sujet du parking de la salle des fêtes. "
        "Les poubelles y débordent et des sacs traînent partout."
    )
    pieces = clauses(text)
    understood = [("ask_resource", 0.85), ("report_problem", 0.99)]
    assert requests(text, pieces, understood, clairval) == [Part(text)]
    # Asked, it is a question of its own.
    text = "Combien coûte la salle des fêtes ? Les poubelles débordent devant le gymnase."
    pieces = clauses(text)
    assert len(requests(text, pieces, understood, clairval)) == 2
