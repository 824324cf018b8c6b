"""Which URL search engines should index for each clinic's copy of a library article.

Policy (see docs/seo.md for the reasoning):

- ``self``: the copy is canonical to itself.
- ``noindex``: the copy is kept out of search results (``robots: noindex``).
- ``primary``: canonical to the library article's primary clinic's copy (or, with no
  live primary copy, to the oldest other live copy).
- ``auto`` (the default): the primary clinic's copy is canonical to itself; any other
  copy whose text shares at least ``SIMILARITY_THRESHOLD`` of its five-word shingles
  with another live copy is a near-duplicate and points to the leader of those copies
  (the primary clinic's copy first, then the oldest); a copy that differs enough from
  every other copy is canonical to itself.

The similarity of two copies is the share of five-word shingles their effective texts
have in common. It is read from the fingerprints the publishing pipeline stores for
every live copy (``blog.CopyFingerprint``), and neighbours are found with LSH
(``textreview.similarity.NearDuplicateIndex``): no copy is resolved again and no pair
is compared unless LSH names it. Decisions are recomputed in a background task when a
fan-out run finishes or a clinic publishes or unpublishes its copy, and stored in
``seo.models.CanonicalDecision``; a page render reads one row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models.signals import post_delete

from blog.models import ClinicArticlePage, CopyFingerprint, LibraryArticlePage
from blog.syndication import copy_text_changed, run_finished
from clinics.models import ClinicHomePage
from seo.models import CanonicalDecision
from seo.tasks import refresh_canonical_decisions
from textreview.similarity import NEAR_DUPLICATE_THRESHOLD, Fingerprint, NearDuplicateIndex

SIMILARITY_THRESHOLD = NEAR_DUPLICATE_THRESHOLD
# Pairs sharing at least this much are found (and shown to editors); below it, copies
# count as unrelated. Each decision stores its closest neighbours only.
NEIGHBOUR_FLOOR = 0.15
STORED_NEIGHBOURS = 20


@dataclass
class CopyFigures:
    """What the decision for one copy is based on (also shown to editors)."""

    page: ClinicArticlePage
    clinic: ClinicHomePage
    library_similarity: float | None = None
    similarities: dict[int, float] = field(default_factory=dict)  # neighbours only

    @property
    def max_similarity(self) -> float:
        return max(self.similarities.values(), default=0.0)


def measure_copies(source) -> dict[int, CopyFigures]:
    """Figures for every live copy of `source`, from the stored fingerprints."""
    stored = list(
        CopyFingerprint.objects.filter(source=source, page__live=True).select_related("page")
    )
    clinics = ClinicHomePage.owning_each([s.page for s in stored])
    figures = {
        s.page_id: CopyFigures(s.page, clinics[s.page_id], s.library_similarity)
        for s in stored
        if s.page_id in clinics
    }
    index = NearDuplicateIndex(NEIGHBOUR_FLOOR)
    index.add_fingerprints(
        (s.page_id, Fingerprint.from_bytes(bytes(s.hashes), bytes(s.signature)))
        for s in stored
        if s.page_id in figures
    )
    for pair in index.pairs():
        value = round(pair.similarity, 3)
        figures[pair.first].similarities[pair.second] = value
        figures[pair.second].similarities[pair.first] = value
    return figures


@dataclass
class Decision:
    outcome: str  # CanonicalDecision.Outcome.SELF / OTHER / NOINDEX
    target: object | None
    reason: str


def _is_primary(figure: CopyFigures, source) -> bool:
    return bool(source.primary_clinic_id) and figure.clinic.pk == source.primary_clinic_id


def decide(pk: int, figures: dict[int, CopyFigures], source) -> Decision:
    """The canonical decision for copy `pk` among `figures` (all live copies)."""
    mine = figures[pk]
    policy = mine.page.canonical_policy
    if policy == ClinicArticlePage.CanonicalPolicy.NOINDEX:
        return Decision("noindex", None, "Editors chose to keep this page out of search results.")
    if policy == ClinicArticlePage.CanonicalPolicy.SELF:
        return Decision("self", None, "Editors chose this page as the original.")

    def order(figure):
        first = figure.page.first_published_at
        return (not _is_primary(figure, source), first is None, first or 0, figure.page.pk)

    indexable = [
        f
        for f in figures.values()
        if f.page.canonical_policy != ClinicArticlePage.CanonicalPolicy.NOINDEX
    ]
    if policy == ClinicArticlePage.CanonicalPolicy.PRIMARY:
        candidates = [f for f in indexable if f.page.pk != pk]
        if _is_primary(mine, source) or not candidates:
            return Decision("self", None, "This is the primary clinic's copy.")
        leader = min(candidates, key=order)
        return Decision("other", leader.page, "Editors chose the primary clinic's copy.")

    # auto
    if _is_primary(mine, source):
        return Decision("self", None, "This is the primary clinic's copy.")
    similar = [
        f
        for f in indexable
        if f.page.pk != pk and mine.similarities.get(f.page.pk, 0.0) >= SIMILARITY_THRESHOLD
    ]
    if not similar:
        return Decision(
            "self",
            None,
            f"Differs enough from every other copy (at most "
            f"{max(mine.max_similarity, NEIGHBOUR_FLOOR):.0%} shared; threshold "
            f"{SIMILARITY_THRESHOLD:.0%}).",
        )
    leader = min([*similar, mine], key=order)
    if leader is mine:
        return Decision("self", None, "The first of the near-identical copies.")
    return Decision(
        "other",
        leader.page,
        f"Shares {mine.similarities[leader.page.pk]:.0%} of its text with "
        f"{leader.clinic.title}'s copy (threshold {SIMILARITY_THRESHOLD:.0%}).",
    )


def refresh_decisions(source_id: int) -> None:
    """Recompute and store the decision of every live copy of one library article."""
    source = LibraryArticlePage.objects.filter(pk=source_id).first()
    if source is None:
        return
    figures = measure_copies(source)
    CanonicalDecision.objects.filter(page__source_id=source_id).exclude(
        page_id__in=list(figures)
    ).delete()
    rows = []
    for pk, figure in figures.items():
        decision = decide(pk, figures, source)
        rows.append(
            CanonicalDecision(
                page_id=pk,
                outcome=decision.outcome,
                target=decision.target,
                library_similarity=figure.library_similarity,
                max_similarity=figure.max_similarity,
                similarities={
                    str(k): v
                    for k, v in sorted(figure.similarities.items(), key=lambda kv: -kv[1])[
                        :STORED_NEIGHBOURS
                    ]
                },
                reason=decision.reason[:255],
            )
        )
    CanonicalDecision.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["page"],
        update_fields=[
            "outcome",
            "target",
            "library_similarity",
            "max_similarity",
            "similarities",
            "reason",
            "computed_at",
        ],
    )


class _Refresh:
    """An on-commit callback that refreshes one library article's decisions."""

    def __init__(self, source_id: int):
        self.source_id = source_id
        self.done = False

    def __call__(self):
        self.done = True
        refresh_canonical_decisions.enqueue(self.source_id)


def schedule_refresh(source_id: int | None) -> None:
    """Refresh once the transaction commits; several publishes in one transaction
    refresh once. The pending callbacks are read from the connection itself, so a
    rolled-back transaction leaves nothing behind that would block later refreshes."""
    if not source_id:
        return
    pending = connection.run_on_commit if connection.in_atomic_block else []
    if any(
        isinstance(f, _Refresh) and f.source_id == source_id and not f.done for _, f, _ in pending
    ):
        return
    transaction.on_commit(_Refresh(source_id))


def _on_run_finished(sender, run, **kwargs):
    schedule_refresh(run.article_id)


def _on_copy_text_changed(sender, page, **kwargs):
    schedule_refresh(page.source_id)


def _on_copy_deleted(sender, instance, **kwargs):
    schedule_refresh(instance.source_id)


def connect_signals() -> None:
    run_finished.connect(_on_run_finished, dispatch_uid="seo-run-finished")
    copy_text_changed.connect(_on_copy_text_changed, dispatch_uid="seo-copy-text-changed")
    post_delete.connect(_on_copy_deleted, sender=ClinicArticlePage, dispatch_uid="seo-copy-deleted")
