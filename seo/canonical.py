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

import threading
from dataclasses import dataclass, field

from django.db import transaction

from textreview.similarity import NEAR_DUPLICATE_THRESHOLD, shingle_similarity

SIMILARITY_THRESHOLD = NEAR_DUPLICATE_THRESHOLD


@dataclass
class CopyFigures:
    """What the decision for one copy is based on (also shown to editors)."""

    page: object
    clinic: object
    text: str
    library_similarity: float | None = None
    similarities: dict[int, float] = field(default_factory=dict)

    @property
    def max_similarity(self) -> float:
        return max(self.similarities.values(), default=0.0)


@dataclass
class Decision:
    outcome: str  # CanonicalDecision.SELF / OTHER / NOINDEX
    target: object | None
    reason: str


def _clinics_by_path():
    from clinics.models import ClinicHomePage

    return list(ClinicHomePage.objects.only("pk", "path", "title", "depth"))


def _clinic_of(page, clinics):
    return next((c for c in clinics if page.path.startswith(c.path)), None)


def measure_copies(source, *, include=None) -> dict[int, CopyFigures]:
    """Figures for every live copy of `source` (plus `include`, e.g. a draft being edited)."""
    from blog.models import ClinicArticlePage
    from blog.resolution import resolve_article

    copies = list(
        ClinicArticlePage.objects.live()
        .filter(source=source)
        .select_related("source")
        .order_by("first_published_at", "pk")
    )
    if include is not None and include.pk not in {c.pk for c in copies}:
        copies.append(include)
    elif include is not None:
        copies = [include if c.pk == include.pk else c for c in copies]
    clinics = _clinics_by_path()
    figures: dict[int, CopyFigures] = {}
    for copy in copies:
        clinic = _clinic_of(copy, clinics)
        if clinic is None:
            continue
        clinic = clinic.specific
        text = resolve_article(copy, clinic=clinic).plain_text()
        library_copy = ClinicArticlePage(source=source, title=source.title)
        library_text = resolve_article(library_copy, clinic=clinic).plain_text()
        figures[copy.pk] = CopyFigures(
            page=copy,
            clinic=clinic,
            text=text,
            library_similarity=round(shingle_similarity(text, library_text), 3),
        )
    for pk, mine in figures.items():
        for other_pk, other in figures.items():
            if other_pk != pk:
                mine.similarities[other_pk] = round(shingle_similarity(mine.text, other.text), 3)
    return figures


def _is_primary(figure: CopyFigures, source) -> bool:
    return bool(source.primary_clinic_id) and figure.clinic.pk == source.primary_clinic_id


def decide(pk: int, figures: dict[int, CopyFigures], source) -> Decision:
    """The canonical decision for copy `pk` among `figures` (all live copies)."""
    from blog.models import ClinicArticlePage as C

    mine = figures[pk]
    policy = mine.page.canonical_policy
    if policy == C.CANONICAL_NOINDEX:
        return Decision("noindex", None, "Editors chose to keep this page out of search results.")
    if policy == C.CANONICAL_SELF:
        return Decision("self", None, "Editors chose this page as the original.")

    def order(figure):
        first = figure.page.first_published_at
        return (not _is_primary(figure, source), first is None, first or 0, figure.page.pk)

    indexable = [f for f in figures.values() if f.page.canonical_policy != C.CANONICAL_NOINDEX]
    if policy == C.CANONICAL_PRIMARY:
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
    from blog.models import LibraryArticlePage
    from seo.models import CanonicalDecision

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


_pending = threading.local()


def schedule_refresh(source_id: int | None) -> None:
    """Refresh once the transaction commits; several publishes in one transaction
    (a library article's fan-out to every clinic) refresh once."""
    if not source_id:
        return
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    if source_id in pending:
        return
    pending.add(source_id)

    def run():
        from seo.tasks import refresh_canonical_decisions

        pending.discard(source_id)
        refresh_canonical_decisions.enqueue(source_id)

    transaction.on_commit(run)


def _on_clinic_copy_change(sender, instance, **kwargs):
    schedule_refresh(instance.source_id)


def _on_library_change(sender, instance, **kwargs):
    schedule_refresh(instance.pk)


def connect_signals() -> None:
    from django.db.models.signals import post_delete
    from wagtail.signals import page_published, page_unpublished

    from blog.models import ClinicArticlePage, LibraryArticlePage

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(
            _on_clinic_copy_change, sender=ClinicArticlePage, dispatch_uid=f"seo-c-{id(signal)}"
        )
    for signal in (page_published, page_unpublished):
        signal.connect(
            _on_library_change, sender=LibraryArticlePage, dispatch_uid=f"seo-l-{id(signal)}"
        )
