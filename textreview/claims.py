"""Medical-claims review: data-driven sentence rules plus document-level checks.

Rules live in ``rules/medical_claims.json`` (see its "about" field); an admin can
add rules there or pass another file / dict to ``load_rules``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from textreview.findings import Finding, Severity, sort_findings
from textreview.text import split_blocks, split_sentences, straighten_quotes

DEFAULT_RULES_PATH = Path(__file__).parent / "rules" / "medical_claims.json"
CITATION_REFERENCE = "@citation"  # in an "unless" list: any of the file's citation patterns


def _compile(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


def _any_match(patterns: Iterable[re.Pattern[str]], text: str) -> bool:
    return any(pattern.search(text) for pattern in patterns)


@dataclass(frozen=True)
class SentenceRule:
    id: str
    severity: Severity
    patterns: tuple[re.Pattern[str], ...]
    advice: str
    unless: tuple[re.Pattern[str], ...] = ()  # silences the rule if found in the sentence
    unless_in_block: tuple[re.Pattern[str], ...] = ()  # ... or anywhere in the block

    def matches(self, sentence: str, block: str) -> bool:
        return (
            _any_match(self.patterns, sentence)
            and not _any_match(self.unless, sentence)
            and not _any_match(self.unless_in_block, block)
        )


@dataclass(frozen=True)
class DocumentRule:
    id: str
    severity: Severity
    advice: str
    patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class RuleSet:
    sentence_rules: tuple[SentenceRule, ...]
    document_rules: Mapping[str, DocumentRule]
    review_cadence_days: int
    citation_patterns: tuple[re.Pattern[str], ...] = field(default=())


def _expand(patterns: Iterable[str], citations: list[str]) -> list[str]:
    expanded: list[str] = []
    for pattern in patterns:
        expanded.extend(citations if pattern == CITATION_REFERENCE else [pattern])
    return expanded


def _patterns_of(raw: Mapping[str, Any]) -> list[str]:
    """A rule may give one "pattern" or a list of "patterns"."""
    if "pattern" in raw:
        return [raw["pattern"]]
    return list(raw.get("patterns", []))


def parse_rules(data: Mapping[str, Any]) -> RuleSet:
    """Build a RuleSet from the JSON structure of ``medical_claims.json``."""
    citations = list(data.get("citation_patterns", []))
    sentence_rules = tuple(
        SentenceRule(
            id=raw["id"],
            severity=Severity(raw["severity"]),
            patterns=_compile(_patterns_of(raw)),
            advice=raw["advice"],
            unless=_compile(_expand(raw.get("unless", []), citations)),
            unless_in_block=_compile(_expand(raw.get("unless_in_block", []), citations)),
        )
        for raw in data.get("sentence_rules", [])
    )
    document_rules = {
        name: DocumentRule(
            id=raw["id"],
            severity=Severity(raw["severity"]),
            advice=raw["advice"],
            patterns=_compile(_patterns_of(raw)),
        )
        for name, raw in data.get("document_rules", {}).items()
    }
    return RuleSet(
        sentence_rules=sentence_rules,
        document_rules=document_rules,
        review_cadence_days=int(data.get("review_cadence_days", 365)),
        citation_patterns=_compile(citations),
    )


def load_rules(path: str | Path = DEFAULT_RULES_PATH) -> RuleSet:
    with open(path, encoding="utf-8") as handle:
        return parse_rules(json.load(handle))


@cache
def default_rules() -> RuleSet:
    return load_rules(DEFAULT_RULES_PATH)


# --- document metadata ------------------------------------------------------------


@dataclass(frozen=True)
class ArticleMeta:
    """What the document-level checks need to know about an article.

    ``disclaimer`` is the disclaimer text shown with the article (e.g. a site
    footer); the article body is searched as well.
    """

    medical_reviewer: str | None = None
    last_reviewed: date | None = None
    disclaimer: str | None = None
    review_cadence_days: int | None = None  # None: the rule file's cadence
    today: date | None = None  # None: date.today(); fixed in tests

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ArticleMeta:
        last_reviewed = raw.get("last_reviewed")
        if isinstance(last_reviewed, datetime):
            last_reviewed = last_reviewed.date()
        elif isinstance(last_reviewed, str):
            last_reviewed = date.fromisoformat(last_reviewed)
        today = raw.get("today")
        if isinstance(today, str):
            today = date.fromisoformat(today)
        return cls(
            medical_reviewer=raw.get("medical_reviewer") or None,
            last_reviewed=last_reviewed,
            disclaimer=raw.get("disclaimer") or None,
            review_cadence_days=raw.get("review_cadence_days"),
            today=today,
        )


def _document_findings(blocks: list[str], meta: ArticleMeta, rules: RuleSet) -> list[Finding]:
    findings: list[Finding] = []

    def report(name: str, sentence: str = "") -> None:
        rule = rules.document_rules.get(name)
        if rule is not None:
            findings.append(Finding(rule.id, rule.severity, sentence, rule.advice, None))

    disclaimer_rule = rules.document_rules.get("missing-disclaimer")
    if disclaimer_rule is not None:
        searched = straighten_quotes("\n".join([*blocks, meta.disclaimer or ""]))
        if not _any_match(disclaimer_rule.patterns, searched):
            report("missing-disclaimer")

    if not meta.medical_reviewer:
        report("missing-reviewer")

    if meta.last_reviewed is None:
        report("never-reviewed")
    else:
        cadence = meta.review_cadence_days or rules.review_cadence_days
        age = ((meta.today or date.today()) - meta.last_reviewed).days
        if age > cadence:
            report(
                "review-overdue",
                f"last reviewed {meta.last_reviewed.isoformat()}: "
                f"{age} days ago, cadence {cadence} days",
            )
    return findings


# --- entry point ----------------------------------------------------------------------


def review_text(
    text_or_blocks: str | Iterable[str],
    *,
    meta: ArticleMeta | Mapping[str, Any] | None = None,
    rules: RuleSet | None = None,
) -> list[Finding]:
    """Medical-claims findings for one article, worst first.

    ``text_or_blocks``: plain text (one block per line) or a list of blocks.
    ``meta``: when given, the document-level checks (disclaimer, medical
    reviewer, review date) run as well; without it only sentences are checked.
    """
    rules = rules or default_rules()
    blocks = split_blocks(text_or_blocks)
    findings: list[Finding] = []
    for block_index, block in enumerate(blocks):
        plain_block = straighten_quotes(block)
        for sentence in split_sentences(block):
            plain_sentence = straighten_quotes(sentence)
            for rule in rules.sentence_rules:
                if rule.matches(plain_sentence, plain_block):
                    findings.append(
                        Finding(rule.id, rule.severity, sentence, rule.advice, block_index)
                    )
    if meta is not None:
        if not isinstance(meta, ArticleMeta):
            meta = ArticleMeta.from_mapping(meta)
        findings.extend(_document_findings(blocks, meta, rules))
    return sort_findings(findings)
