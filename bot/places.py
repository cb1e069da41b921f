"""Where a report is: a street named in free text, the category its words point to, distances."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from bot.answers import fold
from bot.territory import Category, Street

# How residents shorten the kind of street ("av. des Tilleuls", "r des écoles", "bd").
_ABBREVIATIONS = {
    "r": "rue",
    "av": "avenue",
    "ave": "avenue",
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "pl": "place",
    "imp": "impasse",
    "ch": "chemin",
    "che": "chemin",
    "all": "allee",
    "rte": "route",
    "sq": "square",
    "crs": "cours",
    "st": "saint",
    "ste": "sainte",
}
# Words that say what kind of street it is, or link words: never a street's name on their own.
_GENERIC = frozenset(
    {
        *_ABBREVIATIONS.values(),
        "quai",
        "voie",
        "sentier",
        "passage",
        "rond",
        "point",
        "de",
        "des",
        "du",
        "la",
        "le",
        "les",
        "l",
        "d",
        "a",
        "au",
        "aux",
        "en",
    }
)
FULL_SCORE = 0.8  # the whole name, a little misspelt
CORE_SCORE = 0.8  # the distinctive words, compared alone
BARE_SCORE = 0.86  # the distinctive words said without "rue": stricter, and never exact
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class StreetMatch:
    """A street found in a text; `exact` when written as in the list (case, accents aside)."""

    street: Street
    score: float
    exact: bool


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return [_ABBREVIATIONS.get(w, w) for w in words]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _core_ratio(window: Sequence[str], core: Sequence[str]) -> float:
    """How well the distinctive words of a name appear, side by side, inside a window."""
    wanted = " ".join(core)
    size = len(core)
    best = 0.0
    for start in range(max(1, len(window) - size + 1)):
        best = max(best, _ratio(" ".join(window[start : start + size]), wanted))
    return best


def _match_one(words: Sequence[str], street: Street) -> StreetMatch | None:
    name = _words(street.nom)
    core = [w for w in name if w not in _GENERIC] or name
    full = " ".join(name)
    best: StreetMatch | None = None
    for size in {max(1, len(name) - 1), len(name), len(name) + 1}:
        for start in range(max(0, len(words) - size + 1)):
            window = words[start : start + size]
            if not any(w not in _GENERIC for w in window):
                continue  # "rue des" alone names no street
            if _core_ratio(window, core) < CORE_SCORE:
                continue
            said = " ".join(window)
            score = _ratio(said, full)
            if score >= FULL_SCORE and (best is None or score > best.score):
                best = StreetMatch(street, score, said == full)
    if best is None and len("".join(core)) >= 4:
        # "devant le 3 Victor Hugo": the name without its "rue", a little less sure.
        score = _core_ratio(words, core) if words else 0.0
        if score >= BARE_SCORE:
            best = StreetMatch(street, round(score * 0.9, 4), False)
    return best


def match_street(text: str, streets: Sequence[Street]) -> StreetMatch | None:
    """The street of the list named in free text, fuzzily; None when none is close enough."""
    words = _words(text)
    if not words:
        return None
    best: StreetMatch | None = None
    for street in streets:
        found = _match_one(words, street)
        if found is not None and (best is None or found.score > best.score):
            best = found
    return best


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def category_of(
    text: str, categories: Mapping[str, Category], streets: Sequence[Street] = ()
) -> tuple[str, bool] | None:
    """The category whose words the text holds; sure only when one category alone matched.

    Street names are taken out first: "route de Montreuil" says where, not that the road
    is damaged.
    """
    said = f" {_plain(text)} "
    for street in streets:
        said = said.replace(f" {_plain(street.nom)} ", " ")
    found: dict[str, int] = {}
    first: dict[str, int] = {}
    deciding = [
        key
        for key, category in categories.items()
        if any(_said(word, said) for word in category.decisifs)
    ]
    for key, category in categories.items():
        # « autre » is named by its own words too (« une épave », « un animal mort »).
        for word in category.mots:
            match = _said(word, said)
            if match:
                found[key] = found.get(key, 0) + len(_plain(word))
                first[key] = min(first.get(key, len(said)), match.start())
    if len(deciding) == 1:
        return deciding[0], True
    if not found:
        return None
    # What the sentence is about comes first (« la haie déborde sur le trottoir »), unless
    # another category's words clearly outweigh it.
    subject = min(first, key=lambda key: first[key])
    heaviest = max(found, key=lambda key: found[key])
    best = heaviest if found[heaviest] > 2 * found[subject] else subject
    return best, len(found) == 1


def _said(word: str, said: str) -> re.Match[str] | None:
    """Where a category's word is said; a plural ("lampadaires", "travaux") still names it."""
    plain = _plain(word)
    return re.search(rf" {re.escape(plain)}[sx]? ", said) if plain else None


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance in metres between two WGS 84 points (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
