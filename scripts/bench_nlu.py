"""The NLU part of `make bench`: intent F1 by cross-validation and on the French held-out set.

Cross-validation is `make eval`'s command (data/nlu, config.yml, 5 folds); the held-out set,
tests/nlu/heldout_fr.yml, is read by the trained model models/guichet.tar.gz and never trained
on. Both run Rasa as a subprocess and read the intent_report.json it writes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import yaml
from bench_common import ROOT, log
from bench_report import _ok, _stamp

from bot.stack import MODEL, QUIET_RASA, RASA_BIN

HELDOUT = ROOT / "tests" / "nlu" / "heldout_fr.yml"
OUT = ROOT / "var" / "results" / "bench-nlu"
GOAL = 0.95  # weighted F1, as `make eval` (scripts/nlu_report.py --goal 0.95)
SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")
CONFUSED = 10
CV_TIMEOUT_S = 3 * 3600
HELDOUT_TIMEOUT_S = 1800


def nlu(folds: int = 5, cross_validation: bool = True) -> dict[str, Any]:
    """Cross-validation on data/nlu (unless told not to), then the held-out set on the model."""
    figures: dict[str, Any] = {}
    if cross_validation:
        log(f"NLU: {folds}-fold cross-validation on data/nlu (several minutes)")
        out = OUT / "cv"
        argv = ["test", "nlu", "--nlu", "data/nlu", "--config", "config.yml"]
        argv += ["--cross-validation", "--folds", str(folds), "--out", _relative(out), "--no-plot"]
        figures["cross_validation"] = {"folds": folds} | _evaluate(argv, out, CV_TIMEOUT_S)
        cv = figures["cross_validation"]
        log(
            f"NLU cross-validation: weighted F1 {cv['weighted_f1']:.3f}, macro F1 "
            f"{cv['macro_f1']:.3f} over {cv['examples']} examples in {cv['seconds']:.0f} s"
        )
    if not MODEL.exists():
        raise FileNotFoundError(f"{_relative(MODEL)} is missing: train it with `make model`")
    log(f"NLU: held-out set {_relative(HELDOUT)} on {_relative(MODEL)}")
    out = OUT / "heldout"
    argv = ["test", "nlu", "--model", _relative(MODEL), "--nlu", _relative(HELDOUT)]
    argv += ["--out", _relative(out), "--no-plot", "--successes"]
    held = _evaluate(argv, out, HELDOUT_TIMEOUT_S)
    held["messages"] = held["examples"]
    held["confused"] = _confused(out / "intent_errors.json")
    held |= _low_confidence(out)
    figures["heldout"] = held
    log(
        f"NLU held-out: weighted F1 {held['weighted_f1']:.3f}, macro F1 {held['macro_f1']:.3f} "
        f"over {held['messages']} messages in {held['seconds']:.0f} s"
    )
    return figures


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _evaluate(argv: list[str], out: Path, timeout: float) -> dict[str, Any]:
    """Run `rasa <argv>` from the repository root and read the intent report it writes."""
    shutil.rmtree(out, ignore_errors=True)  # never read last run's report
    env = {**os.environ, **QUIET_RASA}
    command = [str(RASA_BIN), *argv]
    began = time.monotonic()
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    seconds = time.monotonic() - began
    report_file = out / "intent_report.json"
    if done.returncode != 0 or not report_file.exists():
        tail = (done.stderr or done.stdout).strip()[-400:]
        raise RuntimeError(f"rasa {' '.join(argv[:2])} failed (exit {done.returncode}): {tail}")
    report: dict[str, Any] = json.loads(report_file.read_text())
    return {"command": "rasa " + " ".join(argv), "seconds": round(seconds, 1)} | _figures(report)


def _figures(report: dict[str, Any]) -> dict[str, Any]:
    """Weighted and macro F1 and each intent's figures from Rasa's intent_report.json."""
    per_intent = {
        intent: {
            "precision": round(row["precision"], 4),
            "recall": round(row["recall"], 4),
            "f1": round(row["f1-score"], 4),
            "support": int(row["support"]),
        }
        for intent, row in sorted(report.items())
        if intent not in SUMMARY_ROWS and isinstance(row, dict)
    }
    return {
        "examples": sum(row["support"] for row in per_intent.values()),
        "weighted_f1": round(report["weighted avg"]["f1-score"], 4),
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "per_intent": per_intent,
    }


def _confused(errors_file: Path) -> list[tuple[str, str, int]]:
    """The most frequent (true intent, predicted intent, count) among the wrong predictions."""
    if not errors_file.exists():  # Rasa writes none when every prediction is right
        return []
    errors: list[dict[str, Any]] = json.loads(errors_file.read_text())
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    return [(true, predicted, n) for (true, predicted), n in pairs.most_common(CONFUSED)]


def _low_confidence(out: Path) -> dict[str, Any]:
    """Messages whose top intent is under the FallbackClassifier's threshold: the assistant asks
    to rephrase them (`rasa test nlu` scores the intent under the fallback, not the fallback)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    fallback = [c for c in config["pipeline"] if c["name"] == "FallbackClassifier"]
    if not fallback:
        return {}
    threshold = float(fallback[0].get("threshold", 0.3))
    below = 0
    for name in ("intent_successes.json", "intent_errors.json"):
        if (out / name).exists():
            for row in json.loads((out / name).read_text()):
                below += row["intent_prediction"]["confidence"] < threshold
    return {"fallback_threshold": threshold, "below_fallback_threshold": below}


def report_lines(part: dict[str, Any] | None) -> list[str]:
    """The "NLU: intents" section of bench/report.md."""
    if not (part := _ok(part)):
        return []
    cv: dict[str, Any] | None = part.get("cross_validation")
    held: dict[str, Any] | None = part.get("heldout")
    lines = ["## NLU: intents", ""]
    said = [_stamp(part)]
    if cv:
        said.append(
            f"Cross-validation: `{cv['command']}`, {cv['folds']} folds over the "
            f"{cv['examples']} training examples of data/nlu ({_minutes(cv['seconds'])})."
        )
    else:
        said.append("Cross-validation not run this time (`--no-cv`).")
    if held:
        said.append(
            f"Held-out: `{held['command']}`, {held['messages']} French messages written apart "
            "from the training data and never trained on, read by the trained model."
        )
    verdicts = [
        f"{name} {figures['weighted_f1']:.3f} "
        f"({'met' if figures['weighted_f1'] >= GOAL else 'NOT met'})"
        for name, figures in (("cross-validation", cv), ("held-out", held))
        if figures
    ]
    said.append(f"Goal weighted F1 ≥ {GOAL:.2f}: " + ", ".join(verdicts) + ".")
    lines += [" ".join(said), ""]
    lines += _intent_table(cv, held)
    if held:
        lines += _heldout_notes(held)
    return lines


def _intent_table(cv: dict[str, Any] | None, held: dict[str, Any] | None) -> list[str]:
    def cells(figures: dict[str, Any] | None, intent: str) -> list[str]:
        row = (figures or {}).get("per_intent", {}).get(intent)
        return [f"{row['f1']:.3f}", str(row["support"])] if row else ["—", "—"]

    def summary(figures: dict[str, Any] | None, key: str) -> list[str]:
        return [f"**{figures[key]:.3f}**", str(figures["examples"])] if figures else ["—", "—"]

    intents = set((cv or {}).get("per_intent", {})) | set((held or {}).get("per_intent", {}))

    def weakest_first(intent: str) -> tuple[float, str]:
        f1s = [f["per_intent"][intent]["f1"] for f in (cv, held) if f and intent in f["per_intent"]]
        return (min(f1s, default=1.0), intent)

    rows = [[intent, *cells(cv, intent), *cells(held, intent)] for intent in sorted(intents)]
    rows.sort(key=lambda row: weakest_first(row[0]))
    rows += [
        ["**weighted avg**", *summary(cv, "weighted_f1"), *summary(held, "weighted_f1")],
        ["**macro avg**", *summary(cv, "macro_f1"), *summary(held, "macro_f1")],
    ]
    head = ("intent (weakest first)", "CV F1", "CV support", "held-out F1", "held-out support")
    return [
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        *["| " + " | ".join(row) + " |" for row in rows],
        "",
    ]


def _heldout_notes(held: dict[str, Any]) -> list[str]:
    notes: list[str] = []
    if held.get("confused"):
        pairs = "; ".join(f"{t} read as {p} ({n})" for t, p, n in held["confused"])
        notes.append(f"Most frequent held-out confusions (true read as predicted): {pairs}.")
    if "below_fallback_threshold" in held:
        notes.append(
            f"{held['below_fallback_threshold']} of {held['messages']} held-out messages have "
            f"their top intent under the fallback threshold ({held['fallback_threshold']}): "
            "the assistant would ask to rephrase them."
        )
    return [" ".join(notes), ""] if notes else []


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--no-cv", dest="cv", action="store_false", help="held-out set only")
    args = parser.parse_args()
    with redirect_stdout(sys.stderr):  # progress on stderr, figures alone on stdout
        figures = nlu(folds=args.folds, cross_validation=args.cv)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
