"""Which frequent question a message is about, from the words the commune file lists for each
answer: a second opinion when the classifier is unsure, before asking to rephrase."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.answers import plain


def scores(text: str, words: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """For each answer, how much of the message its words cover (a phrase counts its words)."""
    said = f" {plain(text)} "
    found: dict[str, int] = {}
    for key, phrases in words.items():
        for phrase in phrases:
            bare = plain(phrase)
            if bare and re.search(rf"(?<!\w){re.escape(bare)}s?(?!\w)", said):
                found[key] = found.get(key, 0) + len(bare.split())
    return found


# An answer that only makes sense with another one's words (« combien » about an ID card),
# and answers that refine another one (« samedi » with « ouvert »).
REQUIRES = {"prix_papiers_identite": "papiers_identite"}
REFINES = {
    "horaires_week_end": "horaires",
    "horaires_midi": "horaires",
    "prix_papiers_identite": "papiers_identite",
}


def best(text: str, words: Mapping[str, tuple[str, ...]], *, at_least: int = 2) -> str | None:
    """The answer whose words cover the message clearly more than any other's."""
    found = scores(text, words)
    for key, needed in REQUIRES.items():
        if key in found and needed not in found:
            del found[key]
    for key, base in REFINES.items():
        if key in found and base in found:
            found[key] += found.pop(base)
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    found_list = ranked
    if not found_list or found_list[0][1] < at_least:
        return None
    if len(found_list) > 1 and found_list[1][1] >= found_list[0][1]:
        return None
    return found_list[0][0]
