"""Personas change the surface of what a resident writes (SMS style, no accents, typos…)."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable
from enum import StrEnum


class Persona(StrEnum):
    STANDARD = "standard"
    SMS = "sms"
    NO_ACCENTS = "sans-accents"
    TYPOS = "fautes"
    POLITE = "poli"
    TERSE = "bref"


# SMS habits, whole words only; none touches a date word other than « demain ».
SMS_WORDS = (
    (r"je voudrais", "jvoudrais"),
    (r"je veux", "jveux"),
    (r"je suis", "jsuis"),
    (r"j'ai", "jai"),
    (r"je n'ai pas", "jai pas"),
    (r"demain", "dmain"),
    (r"s'il vous plaît", "stp"),
    (r"s'il vous plait", "stp"),
    (r"svp", "stp"),
    (r"bonjour", "bjr"),
    (r"c'est", "c"),
    (r"pour", "pr"),
    (r"rendez-vous", "rdv"),
    (r"beaucoup", "bcp"),
    (r"d'accord", "dac"),
    (r"association", "asso"),
    (r"quelqu'un", "qqn"),
    (r"merci", "merci"),
)
# Typos a clerk reads without noticing.
TYPOS = (
    ("voudrais", "voudrai"),
    ("aimerais", "aimerai"),
    ("réserver", "réservé"),
    ("réservation", "réservaton"),
    ("lampadaire", "lampadère"),
    ("graffitis", "grafitis"),
    ("passeport", "passport"),
    ("renouvellement", "renouvelement"),
    ("rendez-vous", "rendez vous"),
    ("association", "assocation"),
    ("février", "fevrier"),
    ("décembre", "decembre"),
    ("août", "aout"),
    ("d'accord", "dacord"),
    ("s'il vous plaît", "s'il vous plait"),
    ("quelqu'un", "quelquun"),
    ("gymnase", "gymnaze"),
    ("barnums", "barnum"),
    ("poubelle", "poubel"),
    ("merci", "mercii"),
    ("déchets", "déchet"),
    ("abandonnée", "abandoné"),
    ("cassé", "casser"),
)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def speak(persona: Persona, text: str, rng: random.Random, keep: Iterable[str] = ()) -> str:
    """`text` as this persona writes it; the `keep` parts (numbers, addresses) stay exact."""
    if not text:
        return text
    held: list[str] = []

    def hold(match: re.Match[str]) -> str:
        held.append(match.group(0))
        return f"\x00{len(held) - 1}\x00"

    for part in sorted({k for k in keep if k}, key=len, reverse=True):
        text = re.sub(re.escape(part), hold, text)
    text = _transform(persona, text, rng)
    return re.sub(r"\x00(\d+)\x00", lambda m: held[int(m.group(1))], text)


def _transform(persona: Persona, text: str, rng: random.Random) -> str:
    match persona:
        case Persona.SMS:
            text = text.lower()
            for pattern, short in SMS_WORDS:
                text = re.sub(rf"(?<![\w']){pattern}(?![\w'])", short, text)
            return strip_accents(text).replace(" ?", "?").rstrip(".!")
        case Persona.NO_ACCENTS:
            return strip_accents(text).lower()
        case Persona.TYPOS:
            for right, wrong in TYPOS:
                if rng.random() < 0.7:
                    text = re.sub(rf"(?<!\w){re.escape(right)}(?!\w)", wrong, text)
            return text
        case Persona.TERSE:
            return re.sub(r"^bonjour,? ", "", text.lower()).rstrip(".!")
        case _:
            return text
