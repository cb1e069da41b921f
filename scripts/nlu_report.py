"""Print intent F1 from `rasa test nlu --cross-validation` and fail below the goal.

`rasa test nlu` always exits 0, so this script is what makes `make eval` fail.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")
# The answers to a form's questions, read by the forms themselves first (actions/flow.py):
# their F1 is reported apart, being the classifier's weak spot.
SHORT_ANSWERS = ("affirm", "deny", "inform", "stop", "skip_photo")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path, help="intent_report.json written by rasa test nlu")
    parser.add_argument("--goal", type=float, default=0.95)
    args = parser.parse_args()
    report = json.loads(args.report.read_text())
    intents = {k: v for k, v in report.items() if k not in SUMMARY_ROWS and isinstance(v, dict)}
    if not intents:
        print(f"no intent in {args.report}", file=sys.stderr)
        return 2
    width = max(len(k) for k in intents)
    print(f"{'intent':<{width}}  F1     support")
    for name, row in sorted(intents.items(), key=lambda kv: kv[1]["f1-score"]):
        print(f"{name:<{width}}  {row['f1-score']:.3f}  {row['support']}")
    short = {k: intents[k] for k in SHORT_ANSWERS if k in intents}
    if short:
        listed = ", ".join(f"{k} {v['f1-score']:.3f}" for k, v in short.items())
        mean = sum(v["f1-score"] for v in short.values()) / len(short)
        print(f"\nshort answers (read by the forms first): {listed}; mean {mean:.3f}")
    weighted = report["weighted avg"]["f1-score"]
    weakest = min(intents, key=lambda k: intents[k]["f1-score"])
    weakest_f1 = intents[weakest]["f1-score"]
    print(f"\nweighted F1 {weighted:.3f}; weakest intent: {weakest} ({weakest_f1:.3f})")
    if weighted < args.goal or intents[weakest]["f1-score"] < args.goal:
        print(f"below the goal of {args.goal}", file=sys.stderr)
        return 1
    print(f"goal {args.goal} met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
