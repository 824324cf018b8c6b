"""The labelled sentences the claims benchmark (tests/benchmarks/claims.py) scores."""

import json
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "claims_corpus"
TUNING = CORPUS / "tuning.jsonl"
HELD_OUT = CORPUS / "held_out.jsonl"
LABELS = {"claim", "ok"}


def load(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def parts():
    return {"tuning": load(TUNING), "held-out": load(HELD_OUT)}


def test_every_row_has_text_label_and_kind(parts):
    for rows in parts.values():
        for row in rows:
            assert set(row) == {"text", "label", "kind"}, row
            assert row["label"] in LABELS, row
            assert row["text"].strip() == row["text"] and row["text"], row
            assert row["kind"], row


def test_held_out_part_has_at_least_120_sentences_and_60_of_each_label(parts):
    labels = Counter(row["label"] for row in parts["held-out"])
    assert sum(labels.values()) >= 120
    assert labels["claim"] >= 60 and labels["ok"] >= 60


def test_whole_corpus_has_at_least_400_sentences_and_150_of_each_label(parts):
    labels = Counter(row["label"] for rows in parts.values() for row in rows)
    assert sum(labels.values()) >= 400
    assert labels["claim"] >= 150 and labels["ok"] >= 150


def test_no_sentence_is_repeated_within_or_across_parts(parts):
    texts = [row["text"] for rows in parts.values() for row in rows]
    assert [text for text, count in Counter(texts).items() if count > 1] == []


def test_both_parts_have_near_misses_of_each_kind(parts):
    # Acceptable sentences that use claim words: negated, hedged, cited, regulatory facts.
    for rows in parts.values():
        ok_kinds = {row["kind"] for row in rows if row["label"] == "ok"}
        assert {"negated", "hedged", "cited", "regulatory-fact", "clinic"} <= ok_kinds


def test_every_kind_is_explained_in_the_readme(parts):
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    kinds = {row["kind"] for rows in parts.values() for row in rows}
    assert [kind for kind in sorted(kinds) if f"| {kind} |" not in readme] == []
