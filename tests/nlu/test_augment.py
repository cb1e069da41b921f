"""The generated training variants are up to date with data/nlu and copy no held-out message."""

from __future__ import annotations

import subprocess
import sys

from bot.settings import ROOT

SCRIPT = ROOT / "scripts" / "nlu_augment.py"


def test_the_generated_variants_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_variants_are_noisy_copies_of_the_hand_written_examples() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import nlu_augment
    finally:
        sys.path.pop(0)
    import random

    rng = random.Random(1)
    assert nlu_augment.strip_accents("déchetterie à Noël") == "dechetterie a Noel"
    assert nlu_augment.sms("Je voudrais un rendez-vous", rng).startswith("jvoudrais")
    typo = nlu_augment.typo("horaires de la mairie", rng)
    assert typo != "horaires de la mairie" and len(typo) >= len("horaires de la mairie") - 1
