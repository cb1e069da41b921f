"""GSM-7 for SMS: fold French text into the GSM alphabet, count segments, split long texts."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# 3GPP TS 23.038 basic table (ESC at 0x1B left out: it only introduces the extension table).
_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each character costs an escape plus itself, two septets.
_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

_FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "‚": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u200a": " ",
        "\u200b": "",
        "\ufeff": "",
        "…": "...",
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "œ": "oe",
        "Œ": "OE",
        "â": "a",
        "ê": "e",
        "î": "i",
        "ô": "o",
        "û": "u",
        "ë": "e",
        "ï": "i",
        "ÿ": "y",
        "ç": "c",
        "À": "A",
        "Â": "A",
        "È": "E",
        "Ê": "E",
        "Ë": "E",
        "Î": "I",
        "Ï": "I",
        "Ô": "O",
        "Ù": "U",
        "Û": "U",
        "Ÿ": "Y",
    }
)
# Guillemets become straight quotes hugging the words: « oui » → "oui".
_OPEN_GUILLEMET = re.compile("«[ \u00a0\u202f\u2009]*")
_CLOSE_GUILLEMET = re.compile("[ \u00a0\u202f\u2009]*»")


def _fold_char(char: str) -> str:
    """A Latin letter outside GSM-7 loses its accent when that lands in GSM-7 (á → a)."""
    if char in _BASIC or char in _EXTENSION:
        return char
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base if base and all(c in _BASIC for c in base) else char


def to_gsm(text: str) -> str:
    """Replace what French uses outside GSM-7 by its GSM-7 equivalent; keep the rest."""
    text = _CLOSE_GUILLEMET.sub('"', _OPEN_GUILLEMET.sub('"', text)).translate(_FOLD)
    if is_gsm(text):
        return text
    return "".join(_fold_char(c) for c in text)


def is_gsm(text: str) -> bool:
    """True when every character has a GSM-7 code (basic or extension table)."""
    return all(c in _BASIC or c in _EXTENSION for c in text)


def _costs(text: str) -> tuple[list[int], int, int]:
    """Cost of each character in the text's encoding, and its single/part capacities."""
    if is_gsm(text):
        return [2 if c in _EXTENSION else 1 for c in text], GSM_SINGLE, GSM_PART
    return [2 if ord(c) > 0xFFFF else 1 for c in text], UCS2_SINGLE, UCS2_PART


def segments(text: str) -> int:
    """How many SMS the text costs (concatenated parts carry a 7-septet/3-unit header)."""
    costs, single, part = _costs(text)
    if sum(costs) <= single:
        return 1
    # Phones never cut an escape sequence or a surrogate pair in two: pack greedily.
    count, used = 1, 0
    for cost in costs:
        if used + cost > part:
            count, used = count + 1, 0
        used += cost
    return count


# Cut points from the most to the least natural: paragraph, line, sentence, word.
_LEVELS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"[ \t]*\n[ \t]*"),
    re.compile(r"(?<=[.!?…])\s+"),
    # Never leave French high punctuation alone at the start of the next SMS.
    re.compile(r"\s++(?![!?:;»])"),
)


def _hard_cut(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut a single over-long word at the longest prefix that fits, again and again."""
    parts: list[str] = []
    while text and not fits(text):
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(text[:middle]):
                low = middle
            else:
                high = middle - 1
        parts.append(text[:low])
        text = text[low:]
    if text:
        parts.append(text)
    return parts


def _pack(text: str, fits: Callable[[str], bool], level: int) -> list[str]:
    if fits(text):
        return [text]
    if level == len(_LEVELS):
        return _hard_cut(text, fits)
    pieces = _LEVELS[level].split(text)
    if len(pieces) == 1:
        return _pack(text, fits, level + 1)
    separators = ["", *_LEVELS[level].findall(text)]
    parts: list[str] = []
    current = ""
    for separator, piece in zip(separators, pieces, strict=True):
        candidate = current + separator + piece if current else piece
        if fits(candidate):
            current = candidate
            continue
        if current:
            parts.append(current)
        if fits(piece):
            current = piece
        else:
            finer = _pack(piece, fits, level + 1)
            parts.extend(finer[:-1])
            current = finer[-1]
    if current:
        parts.append(current)
    return parts


def split(text: str, max_segments: int = 3) -> list[str]:
    """SMS bodies of at most `max_segments` each, cut at the most natural boundary."""
    if max_segments < 1:
        raise ValueError("max_segments must be at least 1")

    def fits(candidate: str) -> bool:
        return segments(candidate) <= max_segments

    parts = (part.strip() for part in _pack(text.strip(), fits, 0))
    return [part for part in parts if part]
