"""First messages as residents write them, played through the real stack (a fast part of the
dev set; `make bench` plays both sets whole): the right answers, every danger with its numbers,
no false alarm."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import Engine

from tests.understanding.judge import Case, cases
from tests.understanding.play import play, summary

pytestmark = pytest.mark.stack

# Every third message of each family, and every danger and false alarm.
SAMPLE = [c for i, c in enumerate(cases("dev.yml")) if i % 3 == 0 or c.family == "danger"]


def test_residents_first_messages_get_their_answers(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    figures = summary(play(gateway, stack_engine, SAMPLE))
    wrong = "\n".join(f"{w['family']}: {w['text']} — {w['why']}" for w in figures["wrong"])
    assert figures["false_alarms"] == 0, wrong
    assert figures["emergencies_right"] >= figures["emergencies"] - 2, wrong
    assert figures["right"] >= 0.85, wrong


# Fresh wordings of what this session's mechanisms answer (none is in a set): each must get
# every answer it asks for.
FRESH = [
    Case(
        "double",
        "Combien de tables et de chaises vous pouvez prêter, et c'est payant ?",
        ("resource_info:tables", "resource_info:chaises"),
    ),
    Case(
        "double",
        "La mairie de Bagnolet est ouverte le samedi matin ? Et la vôtre ?",
        ("directory:mairie_voisine", "ask_hours_weekend"),
    ),
    Case(
        "double",
        "La poste ferme à quelle heure le midi ? Et vous, à la mairie, c'est pareil ?",
        ("directory:la_poste", "ask_hours_lunch"),
    ),
    Case(
        "indirect",
        "Ça fait trois fois que je vous signale le banc cassé du square, il est toujours pareil",
        ("still_broken",),
    ),
    Case(
        "double",
        "Je voudrais parler à quelqu'un de l'urbanisme : mon voisin construit un garage sans "
        "permis je crois",
        ("ask_planning", "request_human"),
    ),
    Case(
        "double",
        "Il va pleuvoir samedi d'après vous ? Et la déchetterie ouvre le samedi ?",
        ("out_of_scope", "ask_waste_centre"),
    ),
    Case(
        "danger",
        "Les pompiers sont intervenus hier pour le feu de broussailles et tout le monde va bien, "
        "qui nettoie le terrain brûlé ?",
        (),
    ),
    Case(
        "long",
        "Je suis coiffeuse place de l'Église et je voudrais réserver les barnums pour la "
        "braderie du quartier le 6 juin.",
        ("book:barnums",),
        "the resident's own business is no question about a business",
    ),
    Case(
        "elsewhere",
        "Mes allocations familiales n'arrivent plus depuis mars et personne ne répond au "
        "téléphone. Vers qui me tourner ?",
        ("directory:caf",),
        "the question names nobody: the story names the CAF",
    ),
    Case(
        "danger",
        "Je rentre du boulot vers 19h tous les soirs, la mairie est encore ouverte à cette "
        "heure-là ?",
        ("ask_hours",),
        "« je rentre » is no one missing",
    ),
]


def test_fresh_wordings_of_two_requests_and_follow_ups_get_every_answer(
    gateway: httpx.Client, stack_engine: Engine
) -> None:
    figures = summary(play(gateway, stack_engine, FRESH))
    assert figures["wrong"] == [], figures["wrong"]
    assert figures["false_alarms"] == 0
