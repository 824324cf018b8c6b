"""The read-only "Search engines" panel on a clinic article's promote tab.

It measures this copy (as currently edited) against the library text and every other
clinic's live copy, and shows what `auto` decides. It runs only in the admin, so
its cost (one resolution per copy) never reaches a public page render.
"""

from wagtail.admin.panels import Panel


class CanonicalSimilarityPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "seo/panels/canonical_similarity.html"

        def is_shown(self):
            return bool(getattr(self.instance, "source_id", None))

        def get_context_data(self, parent_context=None):
            from seo.canonical import SIMILARITY_THRESHOLD, decide, measure_copies
            from seo.models import CanonicalDecision

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
