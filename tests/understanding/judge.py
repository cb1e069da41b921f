"""Whether the first answers to a message are the ones its labels ask for.

A message is played as the first message of a new conversation; what the assistant said is
read back from the transcript, each answer tagged with its topic by the actions (« ask_hours »,
« book:gymnase », « directory:la_poste », « emergency:gaz »…). Labels are those of
tests/understanding/*.yml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
# The emergency kinds of the labels, the commune's situations that answer them, and the
# numbers the answer must hold.
KINDS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "gas": (frozenset({"gaz"}), ("18", "0 800 47 33 33")),
    "fire": (frozenset({"feu"}), ("18",)),
    "medical": (frozenset({"malaise", "accident"}), ("15",)),
    "violence": (frozenset({"violence", "menace"}), ("17", "3919")),
    "threat": (frozenset({"menace", "violence"}), ("17",)),
    "suicide": (frozenset({"suicide"}), ("3114",)),
    "flood": (frozenset({"inondation"}), ("18",)),
    "accident": (frozenset({"accident", "malaise"}), ("15",)),
    "electricity": (frozenset({"electricite"}), ("18",)),
    "missing_person": (frozenset({"disparition"}), ("17",)),
    "animal": (frozenset({"animal"}), ("17",)),
}
# What an out-of-scope question may get: the polite « not here », or « not ours ».
OUT_OF_SCOPE = frozenset({"out_of_scope", "hors_sujet", "not_ours", "directory:not_ours"})


@dataclass(frozen=True)
class Case:
    family: str
    text: str
    expect: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    right: bool
    in_order: bool
    false_alarm: bool
    why: str


def cases(name: str) -> list[Case]:
    """The messages of tests/understanding/<name>.yml."""
    document = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    return [
        Case(
            str(m["family"]),
            str(m["text"]),
            tuple(str(e) for e in m["expect"]),
            str(m.get("note") or ""),
        )
        for m in document["messages"]
    ]


def _matches(label: str, topic: str, text: str) -> bool:
    if label == "out_of_scope":
        return topic in OUT_OF_SCOPE
    if label == "request_human":
        return topic == "agent"
    if label.startswith("emergency:"):
        kind = label.split(":", 1)[1]
        situations, numbers = KINDS[kind]
        if not topic.startswith("emergency"):
            return False
        said = topic.split(":", 1)[1] if ":" in topic else ""
        right_kind = not said or said in situations
        return right_kind and all(f"le {n}" in text or n in text for n in numbers)
    if label in ("book", "resource_info", "report"):
        return topic == label or topic.startswith(f"{label}:")
    if label.startswith("book:") and topic.startswith("book:"):
        # One booking of several items: « book:salle-des-fetes+chaises ».
        return label.split(":", 1)[1] in topic.split(":", 1)[1].split("+")
    return topic == label


def judge(case: Case, answers: list[tuple[str, str]]) -> Verdict:
    """`answers`: (topic, text) of each tagged answer, in order (untagged ones left out)."""
    text = "\n".join(t for _, t in answers)
    topics = [topic for topic, _ in answers]
    emergency = any(t.startswith("emergency") for t in topics)
    expected_danger = any(e.startswith("emergency") for e in case.expect)
    false_alarm = emergency and not expected_danger
    found: list[int] = []
    missing: list[str] = []
    for label in case.expect:
        where = next((i for i, t in enumerate(topics) if _matches(label, t, text)), None)
        if where is None:
            missing.append(label)
        else:
            found.append(where)
    right = not missing and not false_alarm
    why = "" if right else f"expected {list(case.expect)}, got {topics}"
    if false_alarm:
        why = f"false alarm: {why}"
    return Verdict(right, found == sorted(found), false_alarm, why)


def tagged(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(topic, text) of the assistant's tagged answers, from transcript rows in order."""
    out: list[tuple[str, str]] = []
    for row in rows:
        payload = row.get("payload") or {}
        topic = payload.get("topic") if isinstance(payload, dict) else None
        if row.get("direction") == "out" and isinstance(topic, str):
            out.append((topic, str(row.get("text") or "")))
            # One answer that served several requests (gateway/turns.py `_without_repeats`).
            also = payload.get("also") or []
            out += [(str(other), str(row.get("text") or "")) for other in also]
    return out
