"""How the answers to several requests of one message are put together."""

from __future__ import annotations

from gateway.turns import _kept, _without_repeats


def test_one_answer_to_two_requests_is_said_once_and_answers_both() -> None:
    none_yet = "Vous n’avez aucune réservation en cours depuis cette conversation."
    raw = [
        {"text": none_yet, "part": 0, "part_topic": "my_bookings"},
        {"text": none_yet, "part": 1, "part_topic": "cancel_booking"},
    ]
    kept = _without_repeats(raw)
    assert [r["text"] for r in kept] == [none_yet]
    assert kept[0]["also"] == ["cancel_booking"]
    payload = _kept({"text": none_yet}, "my_bookings", kept[0]["also"])
    assert payload == {"topic": "my_bookings", "also": ["cancel_booking"]}


def test_a_question_asked_again_later_is_said_the_last_time() -> None:
    question = "Pour qui est la réservation ?"
    raw = [
        {"text": question, "part": 0, "part_topic": "book"},
        {"text": "Voici les horaires.", "part": 1, "part_topic": "ask_hours"},
        {"text": f"Revenons à votre réservation : {question}", "part": 1},
    ]
    assert [r["text"] for r in _without_repeats(raw)] == [raw[1]["text"], raw[2]["text"]]
