"""The simulated resident against a scripted assistant, without a stack.

They answer the question asked with their goal, say yes only to a summary that is right, correct
one that is not, and press a button only where told to, or when a question comes back a third time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, time

import httpx

from tests.dialogues import banks
from tests.dialogues.clocks import PARIS, REAL, SimClock
from tests.dialogues.model import BookingGoal, Category, Hours, Item, Moment, Scenario
from tests.dialogues.personas import Persona
from tests.dialogues.reading import norm
from tests.dialogues.record import Run
from tests.dialogues.saying import day_forms
from tests.dialogues.simulator import Resident

DAY = date(2027, 1, 19)  # a Tuesday
ASKED = {
    "requester": "Pour qui est cette réservation : vous-même (habitant de Clairval), une "
    "personne extérieure à la commune ou une association ?",
    "day": "Pour quelle date souhaitez-vous réserver le gymnase ?",
    "hours": "C’est noté : mardi 19 janvier 2027.\nDe quelle heure à quelle heure ?",
    "name": "À quel nom dois-je faire la réservation ?",
    "contact": "Quel numéro de téléphone ou quelle adresse e-mail pour vous joindre ?",
}
RIGHT = "Voici votre demande :\n- le gymnase, mardi 19 janvier 2027 de 18h à 20h\n- au nom de "
RIGHT += "FC Clairval, contact : 06 12 34 56 78\nJe confirme la réservation ?"
DONE = "C’est réservé : le gymnase, mardi 19 janvier 2027 de 18h à 20h. Numéro GYM-7KQ3."


def scenario(
    persona: Persona = Persona.STANDARD, presses: frozenset[str] = frozenset()
) -> Scenario:
    goal = BookingGoal(
        items=(Item("gymnase"),),
        moment=Moment(DAY, time(18), time(20)),
        requester="association",
        name="FC Clairval",
        name_key="FC Clairval",
        contact="0612345678",
        hours=Hours.RANGE,
        opening="je voudrais réserver {what}",
    )
    return Scenario("test-gym", Category.GYM, REAL.key, persona, 7, goal, presses=presses)


def scripted(replies: list[str | dict[str, object]]) -> tuple[httpx.Client, list[str]]:
    """A client whose assistant says these replies in turn; the residents' messages are kept."""
    said: list[str] = []
    answers: Iterator[str | dict[str, object]] = iter(replies)

    def handler(request: httpx.Request) -> httpx.Response:
        said.append(json.loads(request.content)["message"])
        reply = next(answers, "Avec plaisir !")
        return httpx.Response(200, json=[reply if isinstance(reply, dict) else {"text": reply}])

    return httpx.Client(base_url="http://bot", transport=httpx.MockTransport(handler)), said


def play(
    replies: list[str | dict[str, object]], s: Scenario | None = None
) -> tuple[Run, list[str]]:
    client, said = scripted(replies)
    clock = SimClock(REAL)
    clock.now = lambda: datetime(2026, 12, 3, 14, 0, tzinfo=PARIS)  # type: ignore[method-assign]
    with client:
        run = Resident(s or scenario(), client, clock).play()
    return run, said


def test_each_question_gets_the_goal_s_answer_and_a_right_summary_a_yes() -> None:
    run, said = play([*ASKED.values(), RIGHT, DONE])
    requester, day, hours, name, contact, yes = (norm(s) for s in said[1:7])
    assert requester in {norm(r) for r in banks.REQUESTER["association"]}
    assert day in {norm(f) for forms in day_forms(DAY, date(2026, 12, 3)).values() for f in forms}
    assert "18" in hours and "20" in hours
    assert name == norm("FC Clairval")
    assert "".join(c for c in contact if c.isdigit()).endswith("612345678")
    assert run.yes_booking == 1 and norm(yes) not in ("non", "nan")
    assert run.finished and not run.abandoned


def test_a_summary_that_cuts_the_range_is_corrected_not_confirmed() -> None:
    cut = RIGHT.replace("de 18h à 20h", "à 18h")
    run, said = play([*ASKED.values(), cut, cut, cut])
    assert run.yes_booking == 0
    corrections = said[6:8]  # « non, c'est de 18h à 20h », « non, de 6h à 8h du soir »…
    assert all(s.startswith("non") and ("20" in s or "8h du soir" in s) for s in corrections)
    assert run.abandoned and "hours" in run.gave_up


def test_a_button_is_pressed_where_the_scenario_says_or_at_the_third_time() -> None:
    with_buttons: dict[str, object] = {
        "text": ASKED["requester"],
        "buttons": [
            {"title": "Habitant de la commune", "payload": '/inform{"requester_type": "resident"}'},
            {"title": "Association", "payload": '/inform{"requester_type": "association"}'},
        ],
    }
    _, said = play([with_buttons], scenario(presses=frozenset({"demandeur"})))
    assert said[1] == '/inform{"requester_type": "association"}'
    _, said = play([with_buttons, with_buttons, with_buttons])
    assert not said[1].startswith("/") and not said[2].startswith("/")
    assert said[3] == '/inform{"requester_type": "association"}'


def test_the_resident_leaves_a_question_asked_four_times() -> None:
    run, said = play([ASKED["day"]] * 6)
    assert len(said) == 4
    assert "4 times" in run.gave_up


def test_numbers_survive_every_persona() -> None:
    for persona in Persona:
        _, said = play([*ASKED.values()], scenario(persona))
        assert "".join(c for c in said[5] if c.isdigit()).endswith("612345678"), persona
