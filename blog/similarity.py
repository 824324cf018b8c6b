"""How alike the clinic copies of one library article are: each live copy's effective
text measured against the library text (as that clinic sees it) and every other copy.

The measure is the text engine's share of five-word shingles in common
(`textreview.similarity`). `seo` decides canonical URLs from these figures and
`review` shows them to editors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blog.models import ClinicArticlePage
from blog.resolution import library_text_for, resolve_article
from clinics.models import ClinicHomePage
from textreview.similarity import shingle_similarity


@dataclass
class CopyFigures:
    """One copy's text and how much it shares with the library and the other copies."""

    page: ClinicArticlePage
    clinic: ClinicHomePage
    text: str
    library_similarity: float | None = None
    similarities: dict[int, float] = field(default_factory=dict)

    @property
    def max_similarity(self) -> float:
        return max(self.similarities.values(), default=0.0)


def measure_copies(source, *, include=None) -> dict[int, CopyFigures]:
    """Figures for every live copy of `source` (plus `include`, e.g. a draft being edited)."""
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
    clinics = ClinicHomePage.owning_each(copies)
    figures: dict[int, CopyFigures] = {}
    for copy in copies:
        clinic = clinics.get(copy.pk)
        if clinic is None:
            continue
        text = resolve_article(copy, clinic=clinic).plain_text()
        figures[copy.pk] = CopyFigures(
            page=copy,
            clinic=clinic,
            text=text,
            library_similarity=round(shingle_similarity(text, library_text_for(source, clinic)), 3),
        )
    for pk, mine in figures.items():
        for other_pk, other in figures.items():
            if other_pk != pk:
                mine.similarities[other_pk] = round(shingle_similarity(mine.text, other.text), 3)
    return figures
