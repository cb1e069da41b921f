"""Other places and institutions (« numéros utiles »): a question about the gendarmerie, La
Poste, the tax office or another town's town hall gets that entry of the commune file's
directory, or an honest « ce n'est pas de mon ressort » with where to ask — never the
commune's own facts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field

from bot.answers import plain
from bot.schema import Strict

NEIGHBOUR = "mairie_voisine"


class Entry(Strict):
    """One useful contact: who, the words that name it, and what to say."""

    nom: str
    mots: tuple[str, ...] = Field(min_length=1)
    texte: str


class Directory(Strict):
    """The commune file's `annuaire`, and the answer when nothing in it fits."""

    entrees: dict[str, Entry]
    ailleurs: str  # another town: {{ lieu }} is what the resident named


@dataclass(frozen=True)
class Found:
    """A directory entry, or another place (`key` is NEIGHBOUR, `place` what was named)."""

    key: str
    place: str = ""


# « la mairie de Montreuil », « la déchetterie de Bagnolet », « à Rosny, la piscine ».
_PLACES = (
    r"mairie|mairies|dechetterie|decheterie|dechetteries|hotel de ville|ville|commune|"
    r"piscine|mediatheque|bibliotheque|cimetiere|centre social|ccas|encombrants"
)
_OTHER_TOWN = re.compile(
    rf"\b(?:{_PLACES}) (?:de|d|du|a) (?!la commune|ma |mon |notre |votre )"
    r"([a-z]+(?: (?:sur|sous|les|en|le|la) [a-z]+)?)"
)
_GENERIC = frozenset(
    {
        "la", "le", "les", "chez", "ici", "quartier", "ville", "commune", "garde", "service",
        "secteur", "centre", "proximite", "residence", "naissance", "deces", "mariage",
        "rendez", "rdv", "demain", "aujourd", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
        "samedi", "dimanche", "midi", "quelle", "quel", "combien", "l", "heure", "ouverture",
    }
)  # fmt: skip


def _has(words: str, phrase: str) -> bool:
    said = plain(phrase)
    return bool(said) and re.search(rf"(?<!\w){re.escape(said)}s?(?!\w)", words) is not None


def elsewhere(text: str, directory: Directory, commune: str) -> Found | None:
    """The other place or institution the text asks about, or None if it is about us."""
    words = plain(text)
    best: tuple[int, str] | None = None
    for key, entry in directory.entrees.items():
        for phrase in entry.mots:
            if _has(words, phrase) and (best is None or len(phrase) > best[0]):
                best = (len(phrase), key)
    if best is not None:
        return Found(best[1])
    ours = plain(commune)
    for match in _OTHER_TOWN.finditer(words):
        place = match.group(1)
        if place.split()[0] in _GENERIC or place.startswith(ours):
            continue
        return Found(NEIGHBOUR, place)
    return None
