"""Medical-claims review: data-driven sentence rules plus document-level checks.

Rules live in ``rules/medical_claims.json`` (see its "about" field); an admin can
add rules there or pass another file / dict to ``load_rules``.

A rule's patterns find candidate wording; Python then judges each match in its
clause (``textreview.text``): a match inside a negation ("ketamine is not a cure")
does not count, nor one inside a hedged clause ("may help some patients") for
rules that allow hedging, nor one in a yes/no question. Rules that accept evidence
are silenced by a citation in the same paragraph (``find_citations``), and a rule
can require a second pattern in the same clause, in any order (advice rules: a verb
such as "stop" with an object such as "antidepressants").
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
from textreview.text import (
    clause_at,
    has_citation,
    is_hedged,
    is_negated,
    is_question,
    is_rhetorical_question,
    split_blocks,
    split_sentences,
    straighten_quotes,
)

DEFAULT_RULES_PATH = Path(__file__).parent / "rules" / "medical_claims.json"
CITATION_REFERENCE = "@citation"  # in an "unless" list: a citation (see ``find_citations``)


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
    title: str = ""  # what an editor reads, e.g. "Promises a cure"
    category: str = ""  # e.g. "efficacy", "safety", "advice", "evidence", "regulatory"
    requires: tuple[re.Pattern[str], ...] = ()  # each must also match in the same clause
    negatable: bool = True  # a match inside a negation does not count
    hedgeable: bool = False  # a match inside a hedged clause does not count
    cited_ok: bool = False  # a citation anywhere in the block silences the rule

    def matches(self, sentence: str, block: str) -> bool:
        """Whether the rule flags ``sentence`` (quotes straightened) of ``block``."""
        if _any_match(self.unless, sentence) or _any_match(self.unless_in_block, block):
            return False
        if self.cited_ok and has_citation(block):
            return False
        return any(
            self._counts(sentence, match)
            for pattern in self.patterns
            for match in pattern.finditer(sentence)
        )

    def _counts(self, sentence: str, match: re.Match[str]) -> bool:
        start, end = clause_at(sentence, match.start())
        clause = sentence[start:end]
        if not all(pattern.search(clause) for pattern in self.requires):
            return False
        if (
            self.negatable
            and is_negated(clause, match.start() - start)
            and not is_rhetorical_question(sentence)
        ):
            return False
        return not (self.hedgeable and is_hedged(clause))


@dataclass(frozen=True)
class DocumentRule:
    id: str
    severity: Severity
    advice: str
    patterns: tuple[re.Pattern[str], ...] = ()
    title: str = ""


@dataclass(frozen=True)
class RuleSet:
    sentence_rules: tuple[SentenceRule, ...]
    document_rules: Mapping[str, DocumentRule]
    review_cadence_days: int
    citation_patterns: tuple[re.Pattern[str], ...] = field(default=())  # besides the built-in


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
    sentence_rules = []
    for raw in data.get("sentence_rules", []):
        unless_in_block = list(raw.get("unless_in_block", []))
        cited_ok = bool(raw.get("cited_ok", False)) or CITATION_REFERENCE in unless_in_block
        if cited_ok and CITATION_REFERENCE not in unless_in_block:
            unless_in_block.append(CITATION_REFERENCE)
        sentence_rules.append(
            SentenceRule(
                id=raw["id"],
                severity=Severity(raw["severity"]),
                patterns=_compile(_patterns_of(raw)),
                advice=raw["advice"],
                unless=_compile(_expand(raw.get("unless", []), citations)),
                unless_in_block=_compile(_expand(unless_in_block, citations)),
                title=raw.get("title", ""),
                category=raw.get("category", ""),
                requires=_compile(raw.get("requires", [])),
                negatable=bool(raw.get("negatable", True)),
                hedgeable=bool(raw.get("hedgeable", False)),
                cited_ok=cited_ok,
            )
        )
    document_rules = {
        name: DocumentRule(
            id=raw["id"],
            severity=Severity(raw["severity"]),
            advice=raw["advice"],
            patterns=_compile(_patterns_of(raw)),
            title=raw.get("title", ""),
        )
        for name, raw in data.get("document_rules", {}).items()
    }
    return RuleSet(
        sentence_rules=tuple(sentence_rules),
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
            findings.append(
                Finding(rule.id, rule.severity, sentence, rule.advice, None, rule.title)
            )

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
            if is_question(plain_sentence):
                continue
            for rule in rules.sentence_rules:
                if rule.matches(plain_sentence, plain_block):
                    findings.append(
                        Finding(
                            rule.id, rule.severity, sentence, rule.advice, block_index, rule.title
                        )
                    )
    if meta is not None:
        if not isinstance(meta, ArticleMeta):
            meta = ArticleMeta.from_mapping(meta)
        findings.extend(_document_findings(blocks, meta, rules))
    return sort_findings(findings)
