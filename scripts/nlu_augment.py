"""Training messages that look like real ones, generated from data/nlu: polite and contextual
wrappers, SMS abbreviations, accents dropped and typos (seeded, so the file is reproducible).

    .venv/bin/python scripts/nlu_augment.py           # writes data/nlu/generated/augmented.yml
    .venv/bin/python scripts/nlu_augment.py --check   # fails if that file is not up to date

Variants too close to a held-out message (tests/nlu, tests/understanding) are left out: the
held-out sets stay unseen.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "nlu"
OUT = SOURCES / "generated" / "augmented.yml"
# Every set of first messages (held-out and development alike) stays unseen by the classifier.
HELDOUT = (
    ROOT / "tests" / "nlu" / "heldout_fr.yml",
    *sorted((ROOT / "tests" / "understanding").glob("*.yml")),
)
SEED = 20261203
# Short answers get no polite wrapper (« Bonjour, oui. » is not how people confirm).
SHORT_ANSWERS = frozenset(
    {"inform", "affirm", "deny", "stop", "skip_photo", "greet", "thank", "goodbye"}
)
BEFORE = (
    "Bonjour, ", "Bonjour madame, ", "Bonjour monsieur, ", "Bonsoir, ", "Salut, ", "Bjr ",
    "Excusez-moi de vous déranger, ", "Bonjour, petite question : ", "Rebonjour, ",
    "Madame, Monsieur, ", "Bonjour à vous, ", "Bonjour, je me permets de vous écrire : ",
    "Bonjour, je viens d'emménager à Clairval. ", "Bonjour, ma voisine m'a dit de vous écrire. ",
    "Bonjour, je n'ai pas trouvé l'information sur le site. ", "Pardon de vous embêter, ",
    "Bonjour, je vous écris pour ma mère qui n'a pas internet. ", "Hello, ", "Coucou, ",
    "Bonjour, j'espère que vous allez bien. ", "Bonjour, une question rapide : ",
    "Bonjour, je suis perdu avec toutes ces démarches. ", "Bonjour, désolée du dérangement, ",
    "Bonjour, je suis nouveau dans le village et ", "Bonsoir, je sais qu'il est tard mais ",
)  # fmt: skip
AFTER = (
    " Merci d'avance.", " Merci beaucoup !", " Bonne journée.", " Cordialement.",
    " Merci pour votre aide.", " svp", " s'il vous plaît", " merci", " Merci !!",
    " Je vous remercie par avance.", " C'est assez urgent pour moi.", " Bien à vous.",
    " Je n'arrive pas à trouver l'info.", " Merci de votre réponse rapide.", " :)",
    " Bonne soirée.", " Merci, Martine.", " D'avance merci.",
    " Je ne suis pas très douée avec internet.",
)  # fmt: skip
SMS = (
    ("s'il vous plaît", "svp"), ("s'il vous plait", "svp"), ("s'il te plaît", "stp"),
    ("je voudrais", "jvoudrais"), ("je veux", "jveux"), ("je suis", "chui"),
    ("qu'est-ce que", "keske"), ("est-ce que", "esque"), ("c'est", "c"), ("quoi", "koi"),
    ("pour", "pr"), ("quand", "qd"), ("aujourd'hui", "ajd"), ("demain", "dmain"),
    ("beaucoup", "bcp"), ("rendez-vous", "rdv"), ("vous", "vs"), ("tout", "tt"),
    ("merci", "mci"), ("bonjour", "bjr"), ("salut", "slt"), ("il y a", "ya"), ("j'ai", "g"),
    ("d'accord", "dac"), ("comment", "cmt"), ("pourquoi", "pk"), ("combien", "cb"),
    ("je sais pas", "jsp"), ("quelque chose", "qqch"), ("je peux", "jpeux"), ("ne ", ""),
)  # fmt: skip
# A key next to each letter on a French keyboard, for typos.
NEIGHBOURS = dict(zip("azertyuiopqsdfghjklmwxcvbn", "zaeryuiopmsqdfghjklmwxcvbn", strict=True))


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() or c.isspace() else " " for c in bare).split())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sms(text: str, rng: random.Random) -> str:
    out = text.lower().replace("’", "'")
    for long, short in SMS:
        if long in out and rng.random() < 0.7:
            out = out.replace(long, short)
    out = re.sub(r"\s*([?!.,])", r"\1", out)
    if rng.random() < 0.5:
        out = out.rstrip("?!. ")
    return strip_accents(out) if rng.random() < 0.8 else out


def typo(text: str, rng: random.Random) -> str:
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    elif kind == 1:
        word = word[:j] + word[j + 1 :]
    elif kind == 2:
        word = word[:j] + word[j] + word[j:]
    else:
        word = word[:j] + NEIGHBOURS.get(word[j].lower(), word[j]) + word[j + 1 :]
    words[i] = word
    return " ".join(words)


def wrap(text: str, rng: random.Random) -> str:
    first = text[:1].lower() + text[1:] if not text[:2].isupper() else text
    choice = rng.randrange(3)
    if choice == 0:
        return rng.choice(BEFORE) + first
    if choice == 1:
        return text + rng.choice(AFTER)
    return rng.choice(BEFORE) + first + rng.choice(AFTER)


def examples(path: Path) -> dict[str, list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    found: dict[str, list[str]] = {}
    for item in document.get("nlu") or document.get("messages") or []:
        if "intent" in item and "examples" in item:
            lines = str(item["examples"]).splitlines()
            texts = [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]
            found.setdefault(str(item["intent"]), []).extend(texts)
        elif "text" in item:
            found.setdefault("heldout", []).append(str(item["text"]))
    return found


def sources() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for path in sorted(SOURCES.glob("*.yml")):
        for intent, texts in examples(path).items():
            merged.setdefault(intent, []).extend(texts)
    return merged


def _near(text: str, protected: set[str]) -> bool:
    key = plain(text)
    if key.replace(" ", "") in protected:
        return True
    words = key.split()
    # One word added, dropped or changed: drop each word in turn and compare.
    return any("".join(words[:i] + words[i + 1 :]) in protected for i in range(len(words)))


def generate() -> str:
    rng = random.Random(SEED)  # noqa: S311 (reproducible training data, no secret)
    protected: set[str] = set()
    for path in HELDOUT:
        if path.exists():
            for texts in examples(path).values():
                for text in texts:
                    words = plain(text).split()
                    protected.add("".join(words))
                    protected.update("".join(words[:i] + words[i + 1 :]) for i in range(len(words)))
    training = sources()
    seen = {plain(t) for texts in training.values() for t in texts}
    lines = [
        'version: "3.1"',
        "",
        "# Generated by scripts/nlu_augment.py from the other files of data/nlu: do not edit.",
        "nlu:",
    ]
    for intent in sorted(training):
        variants: list[str] = []
        for text in training[intent]:
            if text.startswith("/") or "[" in text:
                continue
            # One variant per example, sometimes two: enough for the classifier to see
            # politeness, SMS and typos, without making training several times longer.
            wrapped = intent not in SHORT_ANSWERS and len(text.split()) <= 14
            kinds = ["sms", "typo", *(["wrap", "wrap"] if wrapped else [])]
            made = []
            for kind in rng.sample(kinds, 2 if rng.random() < 0.3 else 1):
                if kind == "sms":
                    made.append(sms(text, rng))
                elif kind == "typo":
                    made.append(typo(sms(text, rng) if rng.random() < 0.3 else text, rng))
                else:
                    made.append(wrap(text, rng))
            for variant in made:
                key = plain(variant)
                if key and key not in seen and not _near(variant, protected):
                    seen.add(key)
                    variants.append(variant)
        if variants:
            lines.append(f"  - intent: {intent}")
            lines.append("    examples: |")
            lines += [f"      - {v}" for v in variants]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is not up to date")
    args = parser.parse_args()
    text = generate()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            where = OUT.relative_to(ROOT)
            print(f"{where} is not up to date: run scripts/nlu_augment.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    count = sum(1 for line in text.splitlines() if line.startswith("      - "))
    print(f"{count} messages written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
