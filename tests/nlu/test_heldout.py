"""The French held-out NLU set is well formed, covers the domain and copies no training example."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "tests" / "nlu" / "heldout_fr.yml"
TRAINING = sorted((ROOT / "data" / "nlu").glob("*.yml"))
# Set by the FallbackClassifier from confidence, never trained, and reverted to the intent
# underneath by `rasa test nlu`: a held-out example cannot be labelled with it.
NOT_TESTABLE = {"nlu_fallback"}
MIN_MESSAGES = 200
MIN_PER_INTENT = 5

# Rasa's inline entity annotations: [text](entity), [text]{"entity": ...}, [text][...].
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")

Examples = dict[str, list[str]]


def normalise(text: str) -> str:
    """Lowercase, accents stripped, punctuation removed, spaces collapsed."""
    text = ANNOTATION.sub(r"\1", text)
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    kept = "".join(c if c.isalnum() or c.isspace() else "" for c in bare)
    return " ".join(kept.split())


def word_distance(a: str, b: str) -> int:
    """Words to insert, delete or replace to turn normalised `a` into normalised `b`."""
    x, y = normalise(a).split(), normalise(b).split()
    previous = list(range(len(y) + 1))
    for i, word in enumerate(x, 1):
        current = [i]
        for j, other in enumerate(y, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1]


def labelled(path: Path) -> Examples:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    found: Examples = {}
    for item in document.get("nlu") or []:
        if "intent" not in item:
            continue  # synonyms, regexes and lookup tables hold no labelled message
        lines = str(item["examples"]).splitlines()
        messages = [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]
        found.setdefault(str(item["intent"]), []).extend(messages)
    return found


@cache
def heldout() -> Examples:
    return labelled(HELDOUT)


@cache
def training() -> Examples:
    merged: Examples = {}
    for path in TRAINING:
        for intent, messages in labelled(path).items():
            merged.setdefault(intent, []).extend(messages)
    return merged


@cache
def domain_intents() -> set[str]:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return {next(iter(i)) if isinstance(i, dict) else str(i) for i in domain["intents"]}


def _pairs(examples: Examples) -> list[tuple[str, str]]:
    return [(intent, text) for intent, texts in examples.items() for text in texts]


def test_normalise_folds_case_accents_punctuation_and_spaces() -> None:
    assert normalise("  Où est la DÉCHETTERIE,  svp ?! ") == "ou est la dechetterie svp"
    assert normalise("c'est l'été") == normalise("cest lete")
    assert normalise("[salle des fêtes](booking_resource) samedi") == "salle des fetes samedi"
    assert normalise("réserver la salle") != normalise("réserver le gymnase")


def test_word_distance_counts_changed_words() -> None:
    assert word_distance("Merci beaucoup !", "merci  beaucoup") == 0
    assert word_distance("merci beaucoup", "merci infiniment") == 1
    assert word_distance("oui je confirme", "je confirme") == 1
    assert word_distance("la salle est libre samedi", "le gymnase est libre dimanche") == 3


def test_the_file_is_rasa_nlu_yaml_with_a_header() -> None:
    text = HELDOUT.read_text(encoding="utf-8")
    document = yaml.safe_load(text)
    assert document["version"] == "3.1"
    assert isinstance(document["nlu"], list)
    assert all(set(item) == {"intent", "examples"} for item in document["nlu"])
    assert all(isinstance(item["examples"], str) for item in document["nlu"])
    assert "NEVER use it for training" in text.split("nlu:")[0]


def test_it_holds_enough_messages() -> None:
    assert len(_pairs(heldout())) >= MIN_MESSAGES


def test_every_intent_of_the_domain_is_tested() -> None:
    missing = domain_intents() - NOT_TESTABLE - set(heldout())
    assert not missing, f"intents without held-out messages: {sorted(missing)}"
    thin = {i: len(m) for i, m in heldout().items() if len(m) < MIN_PER_INTENT}
    assert not thin, f"intents with fewer than {MIN_PER_INTENT} messages: {thin}"


def test_every_intent_used_exists_in_the_domain() -> None:
    unknown = set(heldout()) - domain_intents()
    assert not unknown, f"intents not in domain.yml: {sorted(unknown)}"
    assert not set(heldout()) & NOT_TESTABLE


def test_no_message_is_a_training_example() -> None:
    # Spaces dropped too: "week end", "week-end" and "weekend" are the same message.
    seen = {normalise(t).replace(" ", ""): (i, t) for i, t in _pairs(training())}
    copies = [
        (text, seen[key])
        for _, text in _pairs(heldout())
        if (key := normalise(text).replace(" ", "")) in seen
    ]
    assert not copies, f"held-out messages copying training examples: {copies}"


def test_no_message_is_one_word_away_from_a_training_example_of_its_intent() -> None:
    near = [
        (intent, text, example)
        for intent, text in _pairs(heldout())
        if len(normalise(text).split()) > 1
        for example in training().get(intent, [])
        if word_distance(text, example) <= 1
    ]
    assert not near, f"near-copies of training examples: {near}"


def test_no_message_appears_twice() -> None:
    counts = Counter(normalise(text) for _, text in _pairs(heldout()))
    twice = sorted(text for text, n in counts.items() if n > 1)
    assert not twice, f"duplicated held-out messages: {twice}"


@pytest.mark.parametrize("intent", sorted(labelled(HELDOUT)))
def test_entities_are_annotated_only_where_training_annotates_them(intent: str) -> None:
    def entities(messages: list[str]) -> set[str]:
        found = re.findall(r"\]\(([^)]+)\)|\]\{\"entity\": ?\"([^\"]+)\"", "\n".join(messages))
        return {a or b for a, b in found}

    extra = entities(heldout()[intent]) - entities(training().get(intent, []))
    assert not extra, f"{intent}: entities the training data never annotates: {sorted(extra)}"
