"""Network-report building blocks on plain data (keys and texts, no models).

The admin report and ``content_audit`` command can feed these from the clinic
and library models: keys are whatever identifies a copy, e.g. (clinic slug,
article slug).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

from textreview.claims import ArticleMeta, default_rules, review_text
from textreview.findings import Finding
from textreview.similarity import (
    NearDuplicatePair,
    find_near_duplicates,
    jaccard,
    shingles,
)

__all__ = [
    "NearDuplicatePair",
    "article_similarities",
    "file_pair_similarities",
    "find_near_duplicates",
    "findings_by_owner",
    "overdue_reviews",
    "review_files",
]

LIBRARY = "library"


def article_similarities(
    library_text: str, copies: Mapping[Hashable, str]
) -> dict[Hashable, dict[Hashable, float]]:
    """For one library article: each copy's similarity to the library text
    (under the key ``"library"``) and to every other copy."""
    shingle_sets = {key: shingles(text) for key, text in copies.items()}
    library_shingles = shingles(library_text)
    table: dict[Hashable, dict[Hashable, float]] = {
        key: {LIBRARY: jaccard(own, library_shingles)} for key, own in shingle_sets.items()
    }
    for first, second in combinations(shingle_sets, 2):
        similarity = jaccard(shingle_sets[first], shingle_sets[second])
        table[first][second] = similarity
        table[second][first] = similarity
    return table


@dataclass(frozen=True)
class OverdueReview:
    key: Hashable
    last_reviewed: date | None
    days_overdue: int | None  # None: never reviewed


def overdue_reviews(
    articles: Iterable[tuple[Hashable, ArticleMeta]], *, today: date | None = None
) -> list[OverdueReview]:
    """Articles never reviewed or reviewed longer ago than their cadence, worst first."""
    today = today or date.today()
    default_cadence = default_rules().review_cadence_days
    overdue = []
    for key, meta in articles:
        if meta.last_reviewed is None:
            overdue.append(OverdueReview(key, None, None))
            continue
        cadence = meta.review_cadence_days or default_cadence
        late = (today - meta.last_reviewed).days - cadence
        if late > 0:
            overdue.append(OverdueReview(key, meta.last_reviewed, late))
    return sorted(overdue, key=lambda item: -(item.days_overdue or 10**9))


def findings_by_owner(
    findings: Iterable[tuple[Hashable, Finding]],
) -> dict[Hashable, Counter[str]]:
    """Count findings per owner (e.g. clinic) and severity."""
    counts: dict[Hashable, Counter[str]] = defaultdict(Counter)
    for owner, finding in findings:
        counts[owner][str(finding.severity)] += 1
    return dict(counts)


# --- files (the review_text command) ------------------------------------------------


def review_files(paths: Iterable[str | Path]) -> Iterator[dict[str, object]]:
    """One record per finding in each plain-text file (file, rule, severity, sentence, advice)."""
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        for finding in review_text(text):
            yield {
                "file": str(path),
                "rule": finding.rule,
                "severity": str(finding.severity),
                "sentence": finding.sentence,
                "advice": finding.advice,
            }


def file_pair_similarities(paths: Iterable[str | Path]) -> Iterator[dict[str, object]]:
    """One record per pair of files with their five-word shingle similarity."""
    shingle_sets = {str(path): shingles(Path(path).read_text(encoding="utf-8")) for path in paths}
    for first, second in combinations(shingle_sets, 2):
        yield {
            "files": [first, second],
            "similarity": round(jaccard(shingle_sets[first], shingle_sets[second]), 4),
        }
