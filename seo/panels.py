"""Read-only panels on a clinic article's promote tab (added from `SeoConfig.ready()`):
how different this copy is from the other clinics' copies and what the canonical
policy decides, and the on-page analysis of the copy as search engines see it.

They run only in the admin, so their cost never reaches a public page render.
"""

from wagtail.admin.panels import Panel

from blog.resolution import resolve_article
from blog.similarity import measure_copies
from seo.analysis import seo_findings_for_copy
from seo.canonical import SIMILARITY_THRESHOLD, decide
from seo.models import CanonicalDecision


class CanonicalSimilarityPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/canonical_similarity.html"

        def is_shown(self):
            return bool(getattr(self.instance, "source_id", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            source = page.source
            include = page if page.pk else None
            figures = measure_copies(source, include=include) if include else {}
            mine = figures.get(page.pk)
            rows = []
            if mine is not None:
                for other_pk, value in sorted(mine.similarities.items(), key=lambda x: -x[1]):
                    other = figures[other_pk]
                    rows.append(
                        {
                            "clinic": other.clinic.title,
                            "value": value,
                            "over": value >= SIMILARITY_THRESHOLD,
                            "primary": other.clinic.pk == source.primary_clinic_id,
                        }
                    )
                decision = decide(page.pk, figures, source)
            else:
                decision = None
            stored = CanonicalDecision.objects.filter(page_id=page.pk).first() if page.pk else None
            context.update(
                {
                    "mine": mine,
                    "rows": rows,
                    "decision": decision,
                    "stored": stored,
                    "threshold": SIMILARITY_THRESHOLD,
                    "primary_clinic": source.primary_clinic,
                }
            )
            return context


class SearchAnalysisPanel(Panel):
    """The copy's on-page SEO findings: keyphrase, lengths, headings, readability, links."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/search_analysis.html"

        def is_shown(self):
            return bool(getattr(self.instance, "source_id", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            try:
                findings = seo_findings_for_copy(self.instance, resolve_article(self.instance))
            except Exception as error:  # a half-edited page must not break the edit view
                context["failed"] = f"{type(error).__name__}: {error}"
                return context
            context["findings"] = findings
            context["keyphrase"] = self.instance.source.focus_keyphrase
            return context
