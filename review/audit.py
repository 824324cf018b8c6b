"""The network report: medical-claims findings of every live library article and clinic
copy, the copies' near-duplicates, and library articles overdue for medical review.

Two halves:

- **Stored in the background** (``review.tasks``, when a copy's text may have changed):
  each live copy's findings (``review.pages.review_clinic_copy`` on its effective text)
  and its near-duplicates among the live copies of the same library article, found with
  LSH (``textreview.similarity.NearDuplicateIndex``) from the fingerprints the publishing
  pipeline stores (``blog.CopyFingerprint``), go into one ``review.models.CopyReview``
  row per copy. A copy that is no longer live loses its row. Each live library
  article's own text is reviewed the same way (a ``review.models.LibraryReview`` row),
  when its fan-out run finishes.
- **Read** by the admin's report (one page of rows at a time) and by ``content_audit``:
  no copy is resolved and no pair is compared while reading, so a page of the report
  costs the same whatever the number of clinics. Overdue library articles are read as
  before (library articles only).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Count, Max, Q, Sum

from blog.models import ClinicArticlePage, CopyFingerprint, LibraryArticlePage
from blog.resolution import resolve_article
from clinics.models import ClinicHomePage
from review.approvals import attach_library_approvals
from review.models import CopyReview, LibraryReview
from review.pages import article_meta, review_clinic_copy, review_library_article
from textreview.claims import ArticleMeta, default_rules
from textreview.findings import Severity
from textreview.report import overdue_reviews
from textreview.similarity import NEAR_DUPLICATE_THRESHOLD, Fingerprint, NearDuplicateIndex

DEFAULT_THRESHOLD = NEAR_DUPLICATE_THRESHOLD
# Each copy keeps its closest near-duplicates only (it also keeps how many it has):
# a network where every clinic carries an article unchanged has n(n-1)/2 pairs of it.
STORED_NEIGHBOURS = 20
COUNT_FIELDS = {
    Severity.ERROR: "error_count",
    Severity.WARNING: "warning_count",
    Severity.INFO: "info_count",
}
# The report's severity filter: copies with at least one finding of that severity or
# worse, showing those findings only.
SEVERITY_FILTERS = {
    "error": (Severity.ERROR,),
    "warning": (Severity.ERROR, Severity.WARNING),
}
UPSERT_BATCH = 200


# --- stored in the background ------------------------------------------------------------


def review_row(copy: ClinicArticlePage, clinic: ClinicHomePage, effective=None) -> CopyReview:
    """A copy's review as an (unsaved) row: counts per severity and the findings."""
    if effective is None:
        effective = resolve_article(copy, clinic=clinic)
    findings = review_clinic_copy(copy, effective)
    counts = Counter(f.finding.severity for f in findings)
    return CopyReview(
        page=copy,
        clinic=clinic,
        source_id=copy.source_id,
        findings=[f.as_dict() for f in findings],
        **{name: counts.get(severity, 0) for severity, name in COUNT_FIELDS.items()},
    )


def _upsert(rows: list[CopyReview]) -> None:
    """Insert or update the rows' findings (their near-duplicates are left as stored)."""
    CopyReview.objects.bulk_create(
        rows,
        batch_size=UPSERT_BATCH,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=["clinic", "source", "findings", *COUNT_FIELDS.values(), "computed_at"],
    )


def _live_copies(**filters) -> list[ClinicArticlePage]:
    copies = list(
        ClinicArticlePage.objects.live().filter(**filters).select_related("source").order_by("path")
    )
    attach_library_approvals([copy.source for copy in copies])
    return copies


def store_article_reviews(source_id: int) -> int:
    """Review every live copy of one library article and store the rows, their
    near-duplicates, and no row for its copies that are not live. Returns the number
    of rows stored. Runs in a worker: it resolves each copy once, outside the
    transaction that writes the rows."""
    copies = _live_copies(source_id=source_id)
    clinics = ClinicHomePage.owning_each(copies)
    rows = [review_row(copy, clinics[copy.pk]) for copy in copies if copy.pk in clinics]
    neighbours = near_duplicates_by_copy(source_id)
    with transaction.atomic():
        CopyReview.objects.filter(source_id=source_id).exclude(
            page_id__in=[row.page_id for row in rows]
        ).delete()
        _upsert(rows)
        # A copy unpublished while this ran keeps no row.
        CopyReview.objects.filter(source_id=source_id, page__live=False).delete()
        _store_neighbours(source_id, neighbours)
    return len(rows)


def store_library_review(source_id: int) -> bool:
    """Review a library article's own live text and store its row (delete it if the
    article is not live). Returns whether a row is stored."""
    article = LibraryArticlePage.objects.live().filter(pk=source_id).first()
    if article is None:
        LibraryReview.objects.filter(page_id=source_id).delete()
        return False
    attach_library_approvals([article])
    findings = review_library_article(article)
    counts = Counter(f.finding.severity for f in findings)
    LibraryReview.objects.update_or_create(
        page=article,
        defaults={
            "findings": [f.as_dict() for f in findings],
            **{name: counts.get(severity, 0) for severity, name in COUNT_FIELDS.items()},
        },
    )
    return True


def store_copy_review(page_id: int) -> bool:
    """Review one copy and store its row (delete it if the copy is not live), then
    its library article's near-duplicates. Returns whether a row is stored."""
    previous = set(
        CopyReview.objects.filter(page_id=page_id)
        .exclude(source_id=None)
        .values_list("source_id", flat=True)
    )
    copies = _live_copies(pk=page_id)
    clinic = ClinicHomePage.owning_each(copies).get(page_id) if copies else None
    row = review_row(copies[0], clinic) if clinic is not None else None
    # Its article's (and, if the copy changed article, the previous one's) near-duplicates.
    current = (
        ClinicArticlePage.objects.filter(pk=page_id).values_list("source_id", flat=True).first()
    )
    sources = previous | ({current} if current else set())
    neighbours = {source_id: near_duplicates_by_copy(source_id) for source_id in sorted(sources)}
    with transaction.atomic():
        if row is None:
            CopyReview.objects.filter(page_id=page_id).delete()
        else:
            _upsert([row])
        for source_id, found in neighbours.items():
            _store_neighbours(source_id, found)
    return row is not None


Neighbours = dict[int, list[tuple[float, int]]]


def near_duplicates_by_copy(source_id: int) -> Neighbours:
    """For each live copy of one library article: (similarity, page id) of the other
    live copies of it at or above the near-duplicate threshold. Read from the stored
    fingerprints with LSH; no copy is resolved and only LSH's candidates are compared."""
    stored = CopyFingerprint.objects.filter(source_id=source_id, page__live=True).values_list(
        "page_id", "hashes", "signature"
    )
    index = NearDuplicateIndex(NEAR_DUPLICATE_THRESHOLD)
    index.add_fingerprints(
        (pk, Fingerprint.from_bytes(bytes(hashes), bytes(signature)))
        for pk, hashes, signature in stored
    )
    neighbours: Neighbours = defaultdict(list)
    for pair in index.pairs() if len(index) > 1 else []:
        similarity = round(pair.similarity, 3)
        neighbours[pair.first].append((similarity, pair.second))
        neighbours[pair.second].append((similarity, pair.first))
    return neighbours


def _store_neighbours(source_id: int, neighbours: Neighbours) -> None:
    rows = list(
        CopyReview.objects.filter(source_id=source_id).only(
            "page_id", "near_duplicates", "near_duplicate_count"
        )
    )
    for row in rows:
        mine = sorted(neighbours.get(row.page_id, []), key=lambda item: (-item[0], item[1]))
        row.near_duplicates = [
            {"page": pk, "similarity": similarity} for similarity, pk in mine[:STORED_NEIGHBOURS]
        ]
        row.near_duplicate_count = len(mine)
    CopyReview.objects.bulk_update(
        rows, ["near_duplicates", "near_duplicate_count"], batch_size=UPSERT_BATCH
    )


def store_near_duplicates(source_id: int) -> int:
    """Store the near-duplicates of one library article's copies (after a copy was
    deleted). Returns the number of pairs."""
    neighbours = near_duplicates_by_copy(source_id)
    with transaction.atomic():
        _store_neighbours(source_id, neighbours)
    return sum(len(found) for found in neighbours.values()) // 2


@dataclass
class RefreshSummary:
    articles: int = 0
    own_articles: int = 0
    reviews: int = 0
    removed: int = 0
    without_fingerprint: int = 0


def refresh_all() -> RefreshSummary:
    """Review every live library article and copy of the network again
    (``content_audit --refresh``): for
    an operator after a deploy or a change no signal reports (a clinic's disclaimer, the
    rule file). Library article by library article, as the background task does."""
    summary = RefreshSummary()
    summary.removed, _ = CopyReview.objects.exclude(page__live=True).delete()
    LibraryReview.objects.exclude(page__live=True).delete()
    for article_id in LibraryArticlePage.objects.live().values_list("pk", flat=True):
        store_library_review(article_id)
    live = ClinicArticlePage.objects.live()
    source_ids = sorted(
        set(live.exclude(source=None).values_list("source_id", flat=True).distinct())
    )
    for source_id in source_ids:
        summary.reviews += store_article_reviews(source_id)
    summary.articles = len(source_ids)
    for page_id in live.filter(source=None).values_list("pk", flat=True):
        summary.reviews += store_copy_review(page_id)
        summary.own_articles += 1
    summary.without_fingerprint = live.exclude(source=None).filter(fingerprint__isnull=True).count()
    return summary


# --- read: library articles overdue for medical review ----------------------------------


def overdue_articles(*, today: date | None = None) -> list[dict[str, object]]:
    """Live library articles with no medical reviewer, never reviewed, or reviewed
    longer ago than the rule file's cadence; the longest overdue first."""
    today = today or date.today()
    articles = {page.pk: page for page in LibraryArticlePage.objects.live()}
    attach_library_approvals(articles.values())
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
                    "last_reviewed": meta.last_reviewed.isoformat() if meta.last_reviewed else None,
                    "days_overdue": item.days_overdue if item else None,
                    "reasons": reasons,
                }
            )
    rows.sort(key=lambda row: (row["last_reviewed"] is not None, -(row["days_overdue"] or 0)))
    return rows


# --- read: the stored reviews --------------------------------------------------------------


def stored_reviews():
    """The stored rows of live copies, in tree order (so by clinic)."""
    return (
        CopyReview.objects.filter(page__live=True)
        .select_related("page", "clinic")
        .order_by("page__path")
    )


def filter_reviews(queryset, *, clinic: str = "", severity: str = ""):
    """Rows of clinics whose name contains `clinic`, with a finding of `severity`
    ("error", or "warning": an error or a warning) when given."""
    if clinic:
        queryset = queryset.filter(clinic__title__icontains=clinic)
    if severity in SEVERITY_FILTERS:
        wanted = Q()
        for level in SEVERITY_FILTERS[severity]:
            wanted |= Q(**{f"{COUNT_FIELDS[level]}__gt": 0})
        queryset = queryset.filter(wanted)
    return queryset


def network_summary() -> dict[str, object]:
    """Counts over the whole network, in two queries."""
    totals = CopyReview.objects.filter(page__live=True).aggregate(
        copies=Count("pk"), paired=Sum("near_duplicate_count"), computed_at=Max("computed_at")
    )
    live = ClinicArticlePage.objects.live().count()
    return {
        "threshold": DEFAULT_THRESHOLD,
        "copies": totals["copies"],
        "near_duplicate_pairs": (totals["paired"] or 0) // 2,
        "pending": max(0, live - totals["copies"]),
        "computed_at": totals["computed_at"],
    }


def clinic_totals(clinic_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Findings per severity over each clinic's live copies (one query)."""
    rows = (
        CopyReview.objects.filter(clinic_id__in=set(clinic_ids), page__live=True)
        .values("clinic_id")
        .annotate(copies=Count("pk"), **{name: Sum(name) for name in COUNT_FIELDS.values()})
        .order_by()
    )
    return {
        row["clinic_id"]: {
            "copies": row["copies"],
            **{str(severity): row[name] or 0 for severity, name in COUNT_FIELDS.items()},
        }
        for row in rows
    }


def copy_url(page: ClinicArticlePage, request=None) -> str:
    """A copy's public URL on its clinic's domain."""
    return page.get_full_url(request) or page.url_path


def copy_label(review: CopyReview, request=None) -> dict[str, object]:
    return {
        "page_id": review.page_id,
        "clinic": review.clinic.title,
        "title": review.page.title,
        "source_id": review.source_id,
        "url": copy_url(review.page, request),
    }


@dataclass
class RuleFindings:
    """A rule's findings in one copy: its advice once, then each place it matched."""

    rule: str
    title: str
    severity: str
    advice: str
    places: list[dict[str, object]] = field(default_factory=list)  # where, sentence


def rules_of(findings: list[dict[str, object]]) -> list[RuleFindings]:
    """Stored findings by rule, worst rule first, in reading order within."""
    grouped: dict[str, RuleFindings] = {}
    for finding in findings:
        rule = grouped.get(finding["rule"])
        if rule is None:
            rule = grouped[finding["rule"]] = RuleFindings(
                finding["rule"],
                finding.get("title") or finding["rule"],
                finding["severity"],
                finding["advice"],
            )
        rule.places.append({"where": finding["where"], "sentence": finding["sentence"]})
    return list(grouped.values())


@dataclass
class ReportRow:
    """One copy on a page of the report."""

    review: CopyReview
    label: dict[str, object]
    findings: list[dict[str, object]]  # those shown (the severity filter applied)
    neighbours: list[tuple[dict[str, object], float]] = field(default_factory=list)
    max_places: int = 20  # findings listed in a row; a page's size must stay small

    @property
    def rules(self) -> list[RuleFindings]:
        return rules_of(self.findings[: self.max_places])

    @property
    def unlisted_findings(self) -> int:
        return max(0, len(self.findings) - self.max_places)

    @property
    def more_neighbours(self) -> int:
        return self.review.near_duplicate_count - len(self.neighbours)


@dataclass
class ClinicGroup:
    """A clinic's rows on a page of the report, with its totals over all its copies."""

    clinic: ClinicHomePage
    totals: dict[str, int]
    rows: list[ReportRow] = field(default_factory=list)


@dataclass
class LibraryRow:
    """A library article with findings in its own text."""

    review: LibraryReview
    findings: list[dict[str, object]]  # those shown (the severity filter applied)
    max_places: int = 20

    @property
    def rules(self) -> list[RuleFindings]:
        return rules_of(self.findings[: self.max_places])

    @property
    def unlisted_findings(self) -> int:
        return max(0, len(self.findings) - self.max_places)


def library_rows(*, severity: str = "", limit: int = 50) -> tuple[list[LibraryRow], int]:
    """Live library articles with findings in their own text (of `severity` or worse
    when filtered), most errors first: at most `limit` rows, and how many there are."""
    shown = {str(s) for s in SEVERITY_FILTERS.get(severity, tuple(Severity))}
    wanted = Q()
    for level in SEVERITY_FILTERS.get(severity, tuple(Severity)):
        wanted |= Q(**{f"{COUNT_FIELDS[level]}__gt": 0})
    reviews = (
        LibraryReview.objects.filter(wanted, page__live=True)
        .select_related("page")
        .order_by("-error_count", "-warning_count", "-info_count", "page__title", "pk")
    )
    rows = [
        LibraryRow(review, [f for f in review.findings if f["severity"] in shown])
        for review in reviews[:limit]
    ]
    return rows, reviews.count()


def report_page(
    reviews: Iterable[CopyReview], *, request=None, severity: str = "", neighbours: int = 3
) -> list[ClinicGroup]:
    """One page of rows grouped by clinic, each with its shown findings (those of
    `severity` when filtered) and its closest near-duplicates. A constant number of
    queries whatever the page holds: the clinics' totals, and the neighbours' labels."""
    reviews = list(reviews)
    shown = {str(s) for s in SEVERITY_FILTERS.get(severity, tuple(Severity))}
    wanted = {item["page"] for review in reviews for item in review.near_duplicates[:neighbours]}
    labels = {
        other.page_id: copy_label(other, request)
        for other in stored_reviews().filter(page_id__in=wanted)
    }
    totals = clinic_totals(review.clinic_id for review in reviews)
    groups: list[ClinicGroup] = []
    for review in reviews:
        if not groups or groups[-1].clinic.pk != review.clinic_id:
            groups.append(ClinicGroup(review.clinic, totals.get(review.clinic_id, {})))
        groups[-1].rows.append(
            ReportRow(
                review,
                copy_label(review, request),
                [f for f in review.findings if f["severity"] in shown],
                [
                    (labels[item["page"]], item["similarity"])
                    for item in review.near_duplicates[:neighbours]
                    if item["page"] in labels
                ],
            )
        )
    return groups


def network_report(
    *, threshold: float = DEFAULT_THRESHOLD, today: date | None = None
) -> dict[str, object]:
    """The whole report as plain data, from the stored rows (``content_audit --json``).

    ``near_duplicates`` lists each copy's stored closest near-duplicates at or above
    `threshold` (which cannot be below the stored threshold); ``near_duplicate_pairs``
    counts every pair at the stored threshold."""
    if threshold < DEFAULT_THRESHOLD:
        raise ValueError(f"near-duplicates are stored from {DEFAULT_THRESHOLD:.0%}")
    summary = network_summary()
    labels: dict[int, dict[str, object]] = {}
    by_clinic: dict[int, dict[str, object]] = {}
    links: dict[tuple[int, int], float] = {}
    for review in stored_reviews().iterator(chunk_size=500):
        label = copy_label(review)
        labels[review.page_id] = label
        entry = by_clinic.setdefault(
            review.clinic_id,
            {"clinic": review.clinic.title, "counts": Counter(), "articles": []},
        )
        entry["counts"].update(
            {str(severity): getattr(review, name) for severity, name in COUNT_FIELDS.items()}
        )
        if review.findings:
            entry["articles"].append({**label, "findings": review.findings})
        for item in review.near_duplicates:
            if item["similarity"] >= threshold:
                key = tuple(sorted((review.page_id, item["page"])))
                links[key] = item["similarity"]

    pairs = []
    for (first, second), similarity in sorted(links.items(), key=lambda kv: (-kv[1], kv[0])):
        if first in labels and second in labels:
            pairs.append(
                {
                    "similarity": similarity,
                    # Near-duplicates are found among copies of one library article.
                    "same_article": labels[first]["source_id"] is not None
                    and labels[first]["source_id"] == labels[second]["source_id"],
                    "first": labels[first],
                    "second": labels[second],
                }
            )

    clinics = []
    for entry in by_clinic.values():
        counts = entry["counts"]
        entry["counts"] = {str(severity): counts.get(str(severity), 0) for severity in Severity}
        clinics.append(entry)
    return {
        "threshold": threshold,
        "copies": summary["copies"],
        "pending": summary["pending"],
        "computed_at": summary["computed_at"].isoformat() if summary["computed_at"] else None,
        "near_duplicate_pairs": summary["near_duplicate_pairs"],
        "near_duplicates_per_copy": STORED_NEIGHBOURS,
        "near_duplicates": pairs,
        "overdue_reviews": overdue_articles(today=today),
        "findings_in_library": [
            {
                "page_id": review.page_id,
                "title": review.page.title,
                "counts": {
                    str(severity): getattr(review, name) for severity, name in COUNT_FIELDS.items()
                },
                "findings": review.findings,
            }
            for review in LibraryReview.objects.filter(page__live=True)
            .exclude(findings=[])
            .select_related("page")
            .order_by("-error_count", "-warning_count", "page__title", "pk")
        ],
        "findings_by_clinic": clinics,
    }
