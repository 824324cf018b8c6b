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

The similarity of two copies is ``textreview.similarity.shingle_similarity`` of their
effective text (``EffectiveArticle.plain_text()``). Computing it needs every copy's
text, so decisions are computed when a copy or its library article is published or
unpublished, and stored in ``seo.models.CanonicalDecision``; a page render reads one
row.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.signals import post_delete
from wagtail.signals import page_published, page_unpublished

from blog.models import ClinicArticlePage, LibraryArticlePage
from blog.similarity import CopyFigures, measure_copies
from seo.models import CanonicalDecision
from seo.tasks import refresh_canonical_decisions
from textreview.similarity import NEAR_DUPLICATE_THRESHOLD

SIMILARITY_THRESHOLD = NEAR_DUPLICATE_THRESHOLD


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
            f"Differs enough from every other copy (at most {mine.max_similarity:.0%} "
            f"shared; threshold {SIMILARITY_THRESHOLD:.0%}).",
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
    for pk, figure in figures.items():
        decision = decide(pk, figures, source)
        CanonicalDecision.objects.update_or_create(
            page_id=pk,
            defaults={
                "outcome": decision.outcome,
                "target": decision.target,
                "library_similarity": figure.library_similarity,
                "max_similarity": figure.max_similarity,
                "similarities": {str(k): v for k, v in figure.similarities.items()},
                "reason": decision.reason[:255],
            },
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


def _on_clinic_copy_change(sender, instance, **kwargs):
    schedule_refresh(instance.source_id)


def _on_library_change(sender, instance, **kwargs):
    schedule_refresh(instance.pk)


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            _on_clinic_copy_change, sender=ClinicArticlePage, dispatch_uid=f"seo-c-{id(signal)}"
        )
    for signal in (page_published, page_unpublished):
        signal.connect(
            _on_library_change, sender=LibraryArticlePage, dispatch_uid=f"seo-l-{id(signal)}"
        )
