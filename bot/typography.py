"""French typography for everything residents read: apostrophes and spaces before : ; ? !"""

from __future__ import annotations

import re

NBSP = "\u00a0"  # before ":" (espace insécable)
NNBSP = "\u202f"  # before ";", "?", "!" (espace fine insécable)

_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
# Only punctuation that ends a word: "https://", "12:00" and "?x=1" stay as they are.
_HIGH_PUNCTUATION = re.compile(r"(?<=\S)[ \u00a0\u202f]?([:;?!]+)(?=\s|$|[)»])")

_GUILLEMETS = re.compile(r"(\u00ab)[ \u00a0\u202f]?|[ \u00a0\u202f]?\u00bb")


def _space(match: re.Match[str]) -> str:
    marks = match.group(1)
    return (NBSP if marks[0] == ":" else NNBSP) + marks


def french(text: str) -> str:
    """Typographic apostrophes, and non-breaking spaces before : ; ? ! and inside « »."""
    text = _HIGH_PUNCTUATION.sub(_space, _APOSTROPHE.sub("\u2019", text))
    return _GUILLEMETS.sub(lambda m: "\u00ab" + NBSP if m.group(1) else NBSP + "\u00bb", text)
