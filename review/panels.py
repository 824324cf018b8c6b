"""The read-only "Content review" panel on library and clinic article edit views.

It reviews the page as edited (the latest revision, or the submitted form), groups
the findings by severity and quotes each sentence with the block it is in; on a
clinic copy it adds the copy's similarity to the library text and to the other
clinics' live copies. It runs only in the admin: nothing here touches a public render.
Everything from ``review`` and ``blog`` is imported inside the methods, since
``blog.models`` imports this module while it loads.
"""

from wagtail.admin.panels import Panel


class ContentReviewPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Content review")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "review/panels/content_review.html"

        def get_context_data(self, parent_context=None):
            from blog.models import ClinicArticlePage
            from blog.resolution import resolve_article
            from review.pages import (
                group_by_severity,
                review_clinic_copy,
                review_library_article,
                seo_findings_for_copy,
            )

            context = super().get_context_data(parent_context)
            page = self.instance
            similarity = None
            try:
                if isinstance(page, ClinicArticlePage):
                    effective = resolve_article(page)
                    findings = review_clinic_copy(page, effective)
                    findings += seo_findings_for_copy(page, effective)
                    similarity = self.similarity(page)
                else:
                    findings = review_library_article(page)
            except Exception as error:  # a half-edited page must not break the edit view
                context.update({"failed": f"{type(error).__name__}: {error}"})
                return context
            context.update(
                {
                    "groups": group_by_severity(findings),
                    "count": len(findings),
                    "similarity": similarity,
                }
            )
            return context

        @staticmethod
        def similarity(page):
            """This copy against the library text and each other clinic's live copy."""
            if not (page.source_id and page.pk):
                return None
            from seo.canonical import SIMILARITY_THRESHOLD, measure_copies

            figures = measure_copies(page.source, include=page)
            mine = figures.get(page.pk)
            if mine is None:
                return None
            others = [
                {
                    "clinic": figures[pk].clinic.title,
                    "value": value,
                    "over": value >= SIMILARITY_THRESHOLD,
                }
                for pk, value in sorted(mine.similarities.items(), key=lambda item: -item[1])
            ]
            return {
                "library": mine.library_similarity,
                "others": others,
                "threshold": SIMILARITY_THRESHOLD,
            }
