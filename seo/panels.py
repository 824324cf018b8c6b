"""Read-only panels on a clinic article's promote tab (added from `SeoConfig.ready()`):
how different this copy is from the other clinics' copies and what the canonical
policy decided, and the on-page analysis of the copy as search engines see it.

They run only in the admin, so their cost never reaches a public page render.
"""

from wagtail.admin.panels import Panel

from blog.models import ClinicArticlePage
from blog.resolution import resolve_article
from clinics.models import ClinicHomePage
from seo.analysis import seo_findings_for_copy
from seo.canonical import NEIGHBOUR_FLOOR, SIMILARITY_THRESHOLD
from seo.models import CanonicalDecision


class CanonicalSimilarityPanel(Panel):
    """The stored figures of this copy (from its last publish) and the decision they led
    to: a constant number of queries, whatever the number of clinics."""

    SHOWN_NEIGHBOURS = 10

    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/canonical_similarity.html"

        def is_shown(self):
            return bool(getattr(self.instance, "source_id", None))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page, source = self.instance, self.instance.source
            stored = (
                CanonicalDecision.objects.filter(page_id=page.pk).select_related("target").first()
                if page.pk
                else None
            )
            neighbours = sorted(
                ((int(pk), value) for pk, value in (stored.similarities if stored else {}).items()),
                key=lambda item: -item[1],
            )[: self.panel.SHOWN_NEIGHBOURS]
            copies = ClinicArticlePage.objects.filter(pk__in=[pk for pk, _ in neighbours]).only(
                "pk", "path"
            )
            clinics = ClinicHomePage.owning_each(copies)
            context.update(
                {
                    "stored": stored,
                    "rows": [
                        {
                            "clinic": clinics[pk].title,
                            "value": value,
                            "over": value >= SIMILARITY_THRESHOLD,
                            "primary": clinics[pk].pk == source.primary_clinic_id,
                        }
                        for pk, value in neighbours
                        if pk in clinics
                    ],
                    "more": len(stored.similarities) - len(neighbours) if stored else 0,
                    "threshold": SIMILARITY_THRESHOLD,
                    "floor": NEIGHBOUR_FLOOR,
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
