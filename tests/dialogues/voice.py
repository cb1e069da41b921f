"""A resident's voice: picks a wording from the banks, never the same twice in a row, in persona."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from tests.dialogues.personas import Persona, speak

# Polite residents wrap their answers; {x} is the plain answer.
POLITE = {
    "day": ("Ce serait pour {x}, s'il vous plaît.", "Je souhaiterais {x}, si c'est possible."),
    "hours": ("Ce serait {x}, merci.", "{x} si possible, merci."),
    "name": ("{x}, merci.", "C'est à ce nom : {x}."),
    "phone": ("Vous pouvez me joindre au {x}.", "Mon numéro est le {x}, merci."),
    "email": ("Mon adresse e-mail est {x}.", "Vous pouvez m'écrire à {x}, merci."),
    "quantity": ("Il m'en faudrait {x}, s'il vous plaît.",),
    "opening": (
        "Bonjour, {x}, s'il vous plaît. Merci d'avance !",
        "Bonjour madame, monsieur, {x}. Merci beaucoup.",
    ),
    "question": ("Bonjour, {x} Merci d'avance.", "Bonjour, excusez-moi, {x}"),
    "again": ("{x}, s'il vous plaît.", "Je disais : {x}."),
    "faq": ("Excusez-moi, {x}", "Pardon, {x}"),
    "other": ("{x}, merci.", "{x}, merci beaucoup."),
}
# Answers a polite resident gives as they are (already whole sentences, or yes and no).
AS_IS = frozenset({"yes", "no", "abandon", "button", "photo", "follow-up", "correction", "switch"})
# Answers that are already sentences: « il m'en faut 10 », « c'est au nom de Jean Durand ».
WHOLE_ANSWERS = ("il m'en faut", "c'est", "au nom de", "je ", "j'", "mon ", "celui", "pour ")


class Voice:
    """Chooses and writes what one resident says; seeded, so a scenario always talks the same way
    to the same assistant."""

    def __init__(self, persona: Persona, seed: int) -> None:
        self.persona = persona
        self.rng = random.Random(seed)
        self._used: dict[str, list[str]] = {}

    def choose(self, kind: str, options: Sequence[str]) -> str:
        """An option for this kind of answer, a different one each time until all were used."""
        if not options:
            raise ValueError(f"no wording for {kind}")
        pool = list(options)
        if self.persona is Persona.TERSE and len(pool) > 2:
            pool = sorted(pool, key=len)[: max(2, len(pool) // 3)]
        used = self._used.setdefault(kind, [])
        fresh = [o for o in pool if o not in used] or pool
        picked = self.rng.choice(fresh)
        used.append(picked)
        return picked

    def write(self, kind: str, text: str, keep: Iterable[str] = ()) -> str:
        """`text` in this persona's hand: polite wrapping, SMS style, no accents, typos…"""
        whole = kind not in ("opening", "again", "question", "faq") and (
            text.lower().startswith(WHOLE_ANSWERS) or "svp" in text.lower()
        )
        if self.persona is Persona.POLITE and kind not in AS_IS and not whole:
            wraps = POLITE.get(kind, POLITE["other"])
            if kind in ("opening", "question"):
                text = _without_greeting(text)
            text = self.rng.choice(wraps).format(x=text)
        return speak(self.persona, text, self.rng, keep)

    def say(self, kind: str, options: Sequence[str], keep: Iterable[str] = ()) -> str:
        return self.write(kind, self.choose(kind, options), keep)


def _without_greeting(text: str) -> str:
    lowered = text.lower()
    for greeting in ("bonjour, ", "bonjour "):
        if lowered.startswith(greeting):
            return text[len(greeting) :]
    return text
