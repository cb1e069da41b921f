"""The simulated resident itself, without a stack: its scenarios, its words, its reading.

When a conversation fails, it must be the assistant's fault: the residents must ask for free,
bookable slots, say dates that mean the day they want, and read questions correctly.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time

import phonenumbers
import pytest

from bot.places import distance_m
from tests.dialogues import banks
from tests.dialogues.clocks import ALL, PARIS, REAL, ClockSpec
from tests.dialogues.judge import bounds
from tests.dialogues.model import BookingGoal, BookingOutcome, Category, ReportOutcome, Scenario
from tests.dialogues.personas import Persona, speak
from tests.dialogues.planner import SPECS, TERRITORY
from tests.dialogues.reading import Ask, booking_summary_wrong, classify
from tests.dialogues.saying import (
    NEXT,
    NUMBER,
    THIS,
    day_forms,
    phone_forms,
    phone_number,
)
from tests.dialogues.scenarios import FULL_FROZEN, FULL_REAL, generate

NOW = datetime(2026, 12, 3, 14, 30, tzinfo=PARIS)  # a Thursday


def suite(spec: ClockSpec) -> list[Scenario]:
    if spec.start is None:
        return generate(spec, NOW, FULL_REAL)
    return generate(spec, spec.start.astimezone(PARIS), FULL_FROZEN)


@pytest.fixture(scope="module")
def everything() -> dict[str, list[Scenario]]:
    return {spec.key: suite(spec) for spec in ALL}


def test_the_full_suite_has_300_conversations_over_every_category_clock_and_resource(
    everything: dict[str, list[Scenario]],
) -> None:
    scenarios = [s for found in everything.values() for s in found]
    assert len(scenarios) >= 300
    assert {s.category for s in scenarios} == set(Category)
    assert all(everything[spec.key] for spec in ALL)
    booked = {o.resource for s in scenarios for o in s.expected if isinstance(o, BookingOutcome)}
    assert booked == set(SPECS)
    reported = {o.category for s in scenarios for o in s.expected if isinstance(o, ReportOutcome)}
    assert reported == set(TERRITORY.categories)
    assert len({s.key for s in scenarios}) == len(scenarios)
    assert {s.persona for s in scenarios} == set(Persona)


def test_no_two_scenarios_of_a_stack_compete_for_a_slot_or_a_street(
    everything: dict[str, list[Scenario]],
) -> None:
    for scenarios in everything.values():
        spans: dict[str, list[tuple[datetime, datetime]]] = {}
        lent: Counter[tuple[str, date]] = Counter()
        streets = Counter(
            (o.category, o.street)
            for s in scenarios
            for o in s.expected
            if isinstance(o, ReportOutcome)
        )
        assert max(streets.values()) == 1
        for scenario in scenarios:
            for wanted in _bookings(scenario):
                if SPECS[wanted.resource].kind.value == "equipment":
                    lent[(wanted.resource, wanted.day)] += wanted.quantity
                    continue
                span = bounds(wanted.day, wanted.start, wanted.end)
                for other in spans.setdefault(wanted.resource, []):
                    assert span[1] <= other[0] or other[1] <= span[0], (scenario.key, wanted)
                spans[wanted.resource].append(span)
        for (slug, _), quantity in lent.items():
            assert quantity <= max(1, SPECS[slug].stock // 2)


def _bookings(scenario: Scenario) -> list[BookingOutcome]:
    """What the scenario books, and what it says first and corrects (that is held for a while)."""
    found = [o for o in scenario.expected if isinstance(o, BookingOutcome)]
    for goal in (scenario.goal, *(step.goal for step in scenario.steps)):
        if isinstance(goal, BookingGoal) and goal.items:
            m = goal.moment
            item = goal.items[0]
            found.append(
                BookingOutcome(item.resource, m.day, m.start, m.end, item.quantity, "", "", "")
            )
    unique: dict[tuple[str, date, time | None, time | None], BookingOutcome] = {}
    for booking in found:
        unique.setdefault((booking.resource, booking.day, booking.start, booking.end), booking)
    return list(unique.values())


def test_every_booking_respects_notice_reach_and_opening_hours(
    everything: dict[str, list[Scenario]],
) -> None:
    for spec in ALL:
        now = NOW if spec.start is None else spec.start.astimezone(PARIS)
        for scenario in everything[spec.key]:
            for wanted in _bookings(scenario):
                resource = SPECS[wanted.resource]
                start, _ = bounds(wanted.day, wanted.start, wanted.end)
                assert start - now >= resource.min_notice, scenario.key
                assert start - now <= resource.max_ahead, scenario.key
                windows = [w for w in resource.windows if w.weekday == wanted.day.weekday()]
                assert windows, scenario.key
                if wanted.start is not None and wanted.end is not None:
                    minutes = (wanted.start.hour * 60 + wanted.start.minute, wanted.end.hour * 60)
                    assert any(w.start <= minutes[0] and minutes[1] <= w.end for w in windows)


@pytest.mark.parametrize(
    ("target", "form", "said"),
    [
        (date(2026, 12, 10), NEXT, "jeudi prochain"),
        (date(2026, 12, 5), THIS, "samedi qui vient"),
        (date(2026, 12, 12), NUMBER, "le 12"),
        (date(2026, 12, 24), "dans-semaines", "dans 3 semaines"),
        (date(2026, 12, 17), "dans-semaines", "dans quinze jours"),
        (date(2026, 12, 4), "demain", "demain"),
        (date(2026, 12, 14), "jour-numero", "lundi 14"),
        (date(2027, 1, 1), "absolu", "le 1er janvier"),
    ],
)
def test_a_relative_day_is_said_only_where_it_means_that_day(
    target: date, form: str, said: str
) -> None:
    assert said in day_forms(target, NOW.date())[form]


def test_ambiguous_days_are_never_said() -> None:
    friday = date(2026, 12, 4)
    # On a Friday, « samedi prochain » could be tomorrow or in eight days: not said.
    assert NEXT not in day_forms(date(2026, 12, 5), friday)
    assert NEXT not in day_forms(date(2026, 12, 12), friday)
    # « le 4 » on the 4th: today or next month?
    assert NUMBER not in day_forms(date(2027, 1, 4), friday)
    # Nothing is said for today or the past.
    assert day_forms(friday, friday) == {}


def test_phone_numbers_are_valid_french_mobiles_overseas_ones_included() -> None:
    rng = random.Random(3)
    regions = {"0690": "GP", "0696": "MQ", "0694": "GF", "0692": "RE", "0693": "RE", "0639": "YT"}
    for overseas in (False, True) * 40:
        number = phone_number(rng, overseas)
        region = regions.get(number[:4], "FR") if overseas else "FR"
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed), number
        assert phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        for written in phone_forms(number):
            digits = "".join(c for c in written if c.isdigit())
            assert digits.endswith(number[1:])


def test_no_two_streets_are_close_enough_to_make_two_reports_one() -> None:
    streets = TERRITORY.rues
    for i, one in enumerate(streets):
        for other in streets[i + 1 :]:
            assert distance_m(one.lat, one.lon, other.lat, other.lon) > TERRITORY.doublon_metres


@pytest.mark.parametrize("persona", list(Persona))
def test_personas_never_touch_numbers_addresses_and_references(persona: Persona) -> None:
    kept = ["06 12 34 56 78", "marie.martin12@example.fr", "SDA-7KQ3", "7FQ2K9LM3T"]
    text = "Bonjour, je voudrais réserver : " + " ".join(kept)
    said = speak(persona, text, random.Random(1), kept)
    assert all(k in said for k in kept)


def test_street_misspellings_stay_close_to_a_street_of_the_commune() -> None:
    assert set(banks.STREETS) == {s.nom for s in TERRITORY.rues}
    assert set(banks.DESCRIPTIONS) == set(TERRITORY.categories)


def reply(text: str, *titles: str) -> list[dict[str, object]]:
    return [{"text": text, "buttons": [{"title": t, "payload": "/x"} for t in titles]}]


@pytest.mark.parametrize(
    ("text", "ask"),
    [
        (
            "Pour qui est cette réservation : vous-même (habitant de Clairval), une personne "
            "extérieure à la commune ou une association ?",
            Ask.REQUESTER,
        ),
        ("Pour quelle date souhaitez-vous réserver la salle des associations ?", Ask.DAY),
        ("Pour quelle date ? Par exemple « samedi 12 décembre ».", Ask.DAY),
        (
            "Je n’ai pas compris la date. Pouvez-vous l’écrire autrement, par exemple « samedi 12 "
            "décembre » ?",
            Ask.DAY,
        ),
        ("De quelle heure à quelle heure ? Elle se réserve à l’heure, de 8h à 23h.", Ask.HOURS),
        ("Voici les créneaux libres jeudi 14 janvier 2027 ; lequel vous convient ?", Ask.SLOT),
        ("Combien vous en faut-il ? Il y en a 200 en tout.", Ask.QUANTITY),
        (
            "À quel nom dois-je faire la réservation ? Pour une association, indiquez son nom.",
            Ask.NAME,
        ),
        ("Quel numéro de téléphone ou quelle adresse e-mail pour vous joindre ?", Ask.CONTACT),
        (
            "Est-ce une première demande, un renouvellement, une déclaration de perte ou de vol, "
            "ou une demande pour un mineur ?",
            Ask.ID_CASE,
        ),
        ("Quel est votre numéro de pré-demande ANTS ? Il compte 10 lettres et chiffres.", Ask.ANTS),
        (
            "Voici votre demande :\n- la salle des fêtes\nJe confirme la réservation ?",
            Ask.CONFIRM_BOOKING,
        ),
        ("De quel type de problème s’agit-il ?", Ask.CATEGORY),
        ("Où se trouve le problème ? Indiquez la rue ou partagez votre position.", Ask.PLACE),
        ("Pouvez-vous décrire le problème en quelques mots ?", Ask.DESCRIPTION),
        ("Voulez-vous ajouter une photo ? Envoyez-la maintenant, ou répondez « non ».", Ask.PHOTO),
        (
            "Voici votre signalement :\n- tags\nJe l’envoie aux services de la mairie ?",
            Ask.CONFIRM_REPORT,
        ),
        ("Je mets votre réservation de côté le temps de ce signalement ?", Ask.SET_ASIDE),
        ("Oui, nous prêtons 4 barnums, gratuitement. Voulez-vous en réserver ?", Ask.OFFER),
        ("Voulez-vous que je vous mette en relation avec un agent ?", Ask.AGENT),
        ("Laquelle souhaitez-vous annuler ?", Ask.WHICH_BOOKING),
        (
            "C’est réservé : 10 tables. Pour annuler, écrivez-moi « annuler ma réservation "
            "TAB-7KQ3 ».",
            Ask.NOTHING,
        ),
        (
            "Merci ! Votre signalement est enregistré sous le numéro SIG-M7K9 ; vous pouvez me "
            "demander « où en est mon signalement SIG-M7K9 ? ».",
            Ask.NOTHING,
        ),
        ("Avec plaisir ! Avez-vous une autre question ?", Ask.ANYTHING_ELSE),
    ],
)
def test_questions_are_read_by_their_meaning(text: str, ask: Ask) -> None:
    assert classify(reply(text)) is ask


def test_proposed_alternatives_are_read_as_such() -> None:
    replies = reply(
        "Voici les possibilités les plus proches :", "samedi 5 décembre 2026 de 8h à 16h"
    )
    assert classify(replies) is Ask.ALTERNATIVES


def gym_goal() -> BookingGoal:
    from tests.dialogues.model import Hours, Item, Moment

    moment = Moment(date(2027, 1, 19), time(18), time(20))
    return BookingGoal(
        (Item("gymnase"),),
        moment,
        "association",
        "FC Clairval",
        "FC Clairval",
        "x@example.fr",
        hours=Hours.RANGE,
    )


def test_a_summary_must_show_the_start_and_the_end_of_a_range() -> None:
    cut = "- le gymnase, mardi 19 janvier 2027 à 18h\n- au nom de FC Clairval\nJe confirme ?"
    whole = (
        "- le gymnase, mardi 19 janvier 2027 de 18h à 20h\n- au nom de FC Clairval\nJe confirme ?"
    )
    assert booking_summary_wrong(cut, gym_goal(), 60) == "hours"
    assert booking_summary_wrong(whole, gym_goal(), 60) is None
    assert booking_summary_wrong(whole.replace("19 janvier", "12 janvier"), gym_goal(), 60) == "day"


def test_the_real_clock_suite_is_the_same_for_the_same_day() -> None:
    assert [s.describe() for s in generate(REAL, NOW, FULL_REAL)] == [
        s.describe() for s in generate(REAL, NOW, FULL_REAL)
    ]


def test_a_reworded_question_without_a_question_mark_is_still_read() -> None:
    again = (
        "Je n’ai pas compris pour qui est la réservation. Répondez par exemple « pour moi, "
        "j’habite Clairval », « pour mon association » ou « je n’habite pas la commune »."
    )
    assert classify(reply(again, "Habitant de la commune", "Association")) is Ask.REQUESTER
    third = "Je n’arrive pas à comprendre votre réponse. Vous pouvez choisir ci-dessous, "
    third += "demander à parler à un agent de l’accueil ou abandonner cette demande.\n" + again
    assert classify(reply(third, "Association", "Parler à un agent")) is Ask.REQUESTER
    summary = reply("Voici votre demande :\n- la salle des fêtes, samedi 5 décembre 2026")
    summary += reply("Pour réserver, répondez « oui » ; pour abandonner, « laisse tomber ».")
    assert classify(summary) is Ask.CONFIRM_BOOKING
    report = reply("Voici votre signalement :\n- tags et graffitis, rue du Moulin")
    report += reply("Pour envoyer ce signalement, répondez « oui » ; sinon, « laisse tomber ».")
    assert classify(report) is Ask.CONFIRM_REPORT
    refused = reply("Voici les possibilités les plus proches :", "mercredi 3 février 2027")
    refused += reply("Je n’ai pas compris combien il vous en faut. Écrivez un nombre (1 en tout).")
    assert classify(refused) is Ask.QUANTITY
