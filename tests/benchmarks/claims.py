"""Benchmark: the medical-claims rules against the labelled sentences in
tests/textreview/claims_corpus/ (see its README).

Run:  python tests/benchmarks/claims.py [--part tuning|held-out|all] [--misses]

Each sentence is reviewed on its own (one block, no article metadata). It counts as
flagged when at least one sentence rule of severity error or warning matches it;
info-level findings ("worth a look") do not count, and document-level checks do not
run. Not a pytest test: the figures are measured, not asserted in the suite. The
exit status is 1 when the held-out part misses its targets (recall >= 0.95,
false-positive rate <= 3 %).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textreview.claims import review_text  # noqa: E402
from textreview.findings import Severity  # noqa: E402

CORPUS = ROOT / "tests" / "textreview" / "claims_corpus"
PARTS = {"tuning": CORPUS / "tuning.jsonl", "held-out": CORPUS / "held_out.jsonl"}
COUNTED = frozenset({Severity.ERROR, Severity.WARNING})
TARGET_RECALL = 0.95
TARGET_FALSE_POSITIVE_RATE = 0.03


def load(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def flagged_by(text: str) -> list[str]:
    """The rules of severity error or warning that match ``text``."""
    return [f.rule for f in review_text(text) if f.severity in COUNTED]


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    true_negatives: int = 0

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        claims = self.true_positives + self.false_negatives
        return self.true_positives / claims if claims else 1.0

    @property
    def false_positive_rate(self) -> float:
        acceptable = self.false_positives + self.true_negatives
        return self.false_positives / acceptable if acceptable else 0.0

    def line(self, name: str) -> str:
        claims = self.true_positives + self.false_negatives
        acceptable = self.false_positives + self.true_negatives
        return (
            f"{name:<9} {claims + acceptable:>4} sentences ({claims} claims, {acceptable} ok)  "
            f"precision {self.precision:.3f} ({self.true_positives}/"
            f"{self.true_positives + self.false_positives})  "
            f"recall {self.recall:.3f} ({self.true_positives}/{claims})  "
            f"false-positive rate {self.false_positive_rate:.1%} "
            f"({self.false_positives}/{acceptable})"
        )


def score(rows: list[dict[str, str]], misses: list[str] | None = None) -> Score:
    result = Score()
    for row in rows:
        rules = flagged_by(row["text"])
        if row["label"] == "claim":
            if rules:
                result.true_positives += 1
            else:
                result.false_negatives += 1
                if misses is not None:
                    misses.append(f"  missed claim [{row['kind']}]: {row['text']}")
        elif rules:
            result.false_positives += 1
            if misses is not None:
                misses.append(
                    f"  false positive [{row['kind']}] {', '.join(sorted(set(rules)))}: "
                    f"{row['text']}"
                )
        else:
            result.true_negatives += 1
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=[*PARTS, "all"], default="all")
    parser.add_argument(
        "--misses", action="store_true", help="list missed claims and false positives"
    )
    args = parser.parse_args()
    names = list(PARTS) if args.part == "all" else [args.part]

    print("Flagged = any error- or warning-level sentence rule matches (info does not count).")
    held_out_ok = True
    for name in names:
        rows = load(PARTS[name])
        misses: list[str] | None = [] if args.misses else None
        result = score(rows, misses)
        print(result.line(name))
        if misses:
            print("\n".join(misses))
        if name == "held-out":
            held_out_ok = (
                result.recall >= TARGET_RECALL
                and result.false_positive_rate <= TARGET_FALSE_POSITIVE_RATE
            )
            verdict = "met" if held_out_ok else "NOT met"
            print(
                f"held-out targets (recall >= {TARGET_RECALL}, false-positive rate <= "
                f"{TARGET_FALSE_POSITIVE_RATE:.0%}): {verdict}"
            )
    if args.part == "all":
        kinds = Counter(row["label"] for name in names for row in load(PARTS[name]))
        print(f"corpus: {sum(kinds.values())} sentences, {kinds['claim']} claims, {kinds['ok']} ok")
    return 0 if held_out_ok else 1


if __name__ == "__main__":
    sys.exit(main())
