"""The network report: near-duplicate clinic copies, library articles overdue for
medical review, and medical-claims findings by clinic.

Built from the database in the admin or on the command line (``content_audit``),
never on a visitor's request. Each live clinic copy is resolved once
(``blog.resolution.resolve_article``); near-duplicate pairs come from the MinHash/LSH
index (``textreview.similarity.find_near_duplicates``), not from comparing every pair.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from blog.models import ClinicArticlePage, LibraryArticlePage
from blog.resolution import resolve_article
from clinics.models import ClinicHomePage
from review.pages import article_meta, review_clinic_copy
from textreview.claims import ArticleMeta, default_rules
from textreview.findings import Severity
from textreview.report import find_near_duplicates, overdue_reviews
from textreview.similarity import NEAR_DUPLICATE_THRESHOLD

DEFAULT_THRESHOLD = NEAR_DUPLICATE_THRESHOLD


def live_copies():
    """(copy, clinic, effective article) for every live clinic article, in tree order."""
    copies = list(
        ClinicArticlePage.objects.live()
        .select_related("source", "source__medical_reviewer")
        .order_by("path")
    )
    clinics = ClinicHomePage.owning_each(copies)
    for copy in copies:
        clinic = clinics.get(copy.pk)
        if clinic is not None:
            yield copy, clinic, resolve_article(copy, clinic=clinic)


def _copy_label(copy, clinic, effective) -> dict[str, object]:
    return {
        "page_id": copy.pk,
        "clinic": clinic.title,
        "title": effective.title,
        "source_id": copy.source_id,
        "url": copy.get_full_url() or copy.url_path,
    }


def overdue_articles(*, today: date | None = None) -> list[dict[str, object]]:
    """Live library articles with no medical reviewer, never reviewed, or reviewed
    longer ago than the rule file's cadence; the longest overdue first."""
    today = today or date.today()
    articles = {
        page.pk: page
        for page in LibraryArticlePage.objects.live().select_related("medical_reviewer")
    }
    metas = {pk: article_meta(page) for pk, page in articles.items()}
    late = {item.key: item for item in overdue_reviews(metas.items(), today=today)}
    cadence = default_rules().review_cadence_days
    rows = []
    for pk, page in articles.items():
        meta: ArticleMeta = metas[pk]
        reasons = []
        if not meta.medical_reviewer:
            reasons.append("no medical reviewer")
        item = late.get(pk)
        if item is not None:
            reasons.append(
                "never reviewed"
                if item.last_reviewed is None
                else f"last reviewed {item.last_reviewed.isoformat()}, "
                f"{item.days_overdue} days past the {cadence}-day cadence"
            )
        if reasons:
            rows.append(
                {
                    "page_id": pk,
                    "title": page.title,
                    "medical_reviewer": meta.medical_reviewer,
                    "last_reviewed": page.last_reviewed.isoformat() if page.last_reviewed else None,
                    "days_overdue": item.days_overdue if item else None,
                    "reasons": reasons,
                }
            )
    rows.sort(key=lambda row: (row["last_reviewed"] is not None, -(row["days_overdue"] or 0)))
    return rows


def network_report(
    *, threshold: float = DEFAULT_THRESHOLD, today: date | None = None
) -> dict[str, object]:
    """The whole report as plain data (what ``content_audit --json`` prints)."""
    labels: dict[int, dict[str, object]] = {}
    texts: dict[int, str] = {}
    by_clinic: dict[str, dict[str, object]] = {}
    for copy, clinic, effective in live_copies():
        label = _copy_label(copy, clinic, effective)
        labels[copy.pk] = label
        texts[copy.pk] = effective.plain_text()
        findings = review_clinic_copy(copy, effective)
        entry = by_clinic.setdefault(
            clinic.title, {"clinic": clinic.title, "counts": Counter(), "articles": []}
        )
        entry["counts"].update(str(f.finding.severity) for f in findings)
        if findings:
            entry["articles"].append({**label, "findings": [f.as_dict() for f in findings]})

    pairs = []
    for pair in find_near_duplicates(texts, threshold=threshold):
        first, second = sorted(
            (labels[pair.first], labels[pair.second]), key=lambda label: label["page_id"]
        )
        pairs.append(
            {
                "similarity": round(pair.similarity, 3),
                "same_article": first["source_id"] is not None
                and first["source_id"] == second["source_id"],
                "first": first,
                "second": second,
            }
        )

    clinics = []
    for entry in by_clinic.values():
        counts = entry["counts"]
        entry["counts"] = {str(severity): counts.get(str(severity), 0) for severity in Severity}
        clinics.append(entry)
    return {
        "threshold": threshold,
        "copies": len(texts),
        "near_duplicates": pairs,
        "overdue_reviews": overdue_articles(today=today),
        "findings_by_clinic": clinics,
    }
