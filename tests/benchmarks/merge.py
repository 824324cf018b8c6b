"""Benchmark: the three-way merge (textreview.threeway) over the generated corpus
(tests/textreview/merge_corpus.py): the share of cases merged cleanly, the share of the
expected conflicts flagged, and the wrong merges (a clean merge whose text is not the
expected one, or a clean merge where a conflict was expected). Target: 0 wrong merges.

Run:  python tests/benchmarks/merge.py      (exit status 1 if any merge is wrong)
"""

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.textreview.merge_corpus import cases  # noqa: E402
from textreview.threeway import merge  # noqa: E402


def main() -> int:
    corpus = cases()
    started = time.perf_counter()
    results = [(case, merge(case.base, case.theirs, case.mine)) for case in corpus]
    elapsed = time.perf_counter() - started
    clean = sum(result.clean for _, result in results)
    expected_conflicts = [r for case, r in results if case.expected is None]
    flagged = sum(not r.clean for r in expected_conflicts)
    wrong = Counter(
        case.kind
        for case, r in results
        if r.clean and (case.expected is None or r.text != case.expected)
    )
    missed = sum(
        1 for case, r in results if case.expected is not None and not r.clean
    )  # a conflict where a clean merge was possible: safe, but work for the editor
    n = len(corpus)
    kinds = ", ".join(f"{k} {v}" for k, v in Counter(c.kind for c in corpus).items())
    print(f"three-way merge: {n} cases ({kinds})")
    expected_clean = n - len(expected_conflicts)
    print(f"merged cleanly           {clean}/{n} ({clean / n:.1%}); expected {expected_clean}")
    words = sum(1 for _, r in results if r.clean and r.words)
    print(f"  of which word by word  {words} (inside a sentence both sides changed)")
    print(
        f"conflicts flagged        {flagged}/{len(expected_conflicts)}"
        f" ({flagged / max(1, len(expected_conflicts)):.1%}) of the expected conflicts"
    )
    print(
        f"clean merges missed      {missed} (flagged as conflicts though a clean merge was right)"
    )
    print(
        f"wrong merges             {sum(wrong.values())}" + (f" ({dict(wrong)})" if wrong else "")
    )
    print(f"time                     {elapsed * 1000:.1f} ms in all")
    print("target (0 wrong merges): " + ("met" if not wrong else "NOT met"))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
