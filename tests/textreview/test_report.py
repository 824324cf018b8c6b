from datetime import date

import pytest

from textreview.claims import ArticleMeta
from textreview.findings import Finding, Severity
from textreview.report import article_similarities, findings_by_owner, overdue_reviews

LIBRARY = "one two three four five six seven eight nine ten"


def test_article_similarities_against_library_and_each_other():
    table = article_similarities(
        LIBRARY,
        {
            "nova": LIBRARY,
            "three-rivers": "one two three four five six seven eight x y",
        },
    )
    assert table["nova"]["library"] == 1.0
    assert table["three-rivers"]["library"] == pytest.approx(0.5)
    assert table["nova"]["three-rivers"] == table["three-rivers"]["nova"] == pytest.approx(0.5)


def test_overdue_reviews_worst_first():
    today = date(2026, 6, 1)
    articles = [
        ("fresh", ArticleMeta(last_reviewed=date(2026, 1, 1))),
        ("late", ArticleMeta(last_reviewed=date(2025, 1, 1))),
        ("later", ArticleMeta(last_reviewed=date(2024, 1, 1))),
        ("never", ArticleMeta()),
        ("strict", ArticleMeta(last_reviewed=date(2026, 1, 1), review_cadence_days=30)),
    ]
    assert [item.key for item in overdue_reviews(articles, today=today)] == [
        "never",
        "later",
        "late",
        "strict",
    ]


def test_findings_by_owner_counts_severities():
    finding = Finding("claims.cure", Severity.ERROR, "Cures.", "Don't.", 0)
    warning = Finding("claims.uncited-research", Severity.WARNING, "Studies show.", "Cite.", 1)
    counts = findings_by_owner([("nova", finding), ("nova", warning), ("tr", finding)])
    assert counts["nova"] == {"error": 1, "warning": 1}
    assert counts["tr"] == {"error": 1}
