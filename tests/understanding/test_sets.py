"""The two sets of first messages (held-out and dev) are well formed, big enough, labelled with
answers the assistant can give, and were never trained on."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from tests.nlu.test_heldout import ROOT, labelled, normalise, training
from tests.understanding.judge import KINDS, cases

FAMILIES = {"danger", "long", "indirect", "short", "elsewhere", "double"}
SIMPLE = {
    "ask_hours", "ask_hours_weekend", "ask_hours_lunch", "ask_waste_centre", "ask_bulky_waste",
    "ask_planning", "ask_id_documents", "ask_id_price", "ask_birth_certificate",
    "ask_electoral_lists", "ask_vehicle_registration", "ask_contact", "greet", "thank",
    "goodbye", "out_of_scope", "book", "resource_info", "grief", "request_human",
    "my_bookings", "cancel_booking", "report_status", "my_reports", "still_broken",
}  # fmt: skip
PREFIXED = {"book", "resource_info", "report", "emergency", "directory"}
SETS = [
    "heldout.yml",
    "heldout2.yml",
    *(f"dev{n}.yml" for n in ("", *range(2, 26))),
]


@pytest.mark.parametrize(
    ("name", "least"), [("heldout.yml", 360), ("heldout2.yml", 300), ("dev.yml", 330)]
)
def test_each_set_is_big_enough_in_every_family(name: str, least: int) -> None:
    found = cases(name)
    assert len(found) >= least
    families = Counter(c.family for c in found)
    assert set(families) == FAMILIES
    assert min(families.values()) >= 50, families


@pytest.mark.parametrize("name", SETS)
def test_every_label_is_an_answer_the_assistant_gives(name: str) -> None:
    for case in cases(name):
        for label in case.expect:
            prefix, _, rest = label.partition(":")
            if rest:
                assert prefix in PREFIXED, label
                if prefix == "emergency":
                    assert rest in KINDS, label
            else:
                assert label in SIMPLE, label


@cache
def _trained() -> frozenset[str]:
    """Every training message, written by hand in data/nlu or generated (data/nlu/generated),
    without spaces."""
    generated = labelled(ROOT / "data" / "nlu" / "generated" / "augmented.yml")
    return frozenset(
        normalise(t).replace(" ", "")
        for examples in (training(), generated)
        for texts in examples.values()
        for t in texts
    )


@pytest.mark.parametrize("name", SETS)
def test_no_message_was_trained_on(name: str) -> None:
    # Greetings and two-word requests (« bjr », « merci bcp », « banc cassé ») are written the
    # same way by everybody: only longer messages must be new to the classifier.
    trained = _trained()
    copies = [
        c.text
        for c in cases(name)
        if normalise(c.text).replace(" ", "") in trained and len(normalise(c.text).split()) > 3
    ]
    assert not copies
