"""The read-only "Content review" panel on library and clinic article edit views
(added from `ReviewConfig.ready()`).

It reviews the page as edited (the latest revision, or the submitted form), groups
the medical-claims findings by severity and quotes each sentence with the block it is
in. It runs only in the admin: nothing here touches a public render.
"""

from wagtail.admin.panels import Panel

from blog.models import ClinicArticlePage
from blog.resolution import LIBRARY, resolve_article
from review.pages import (
    group_by_severity,
    review_clinic_copy,
    review_clinic_words,
    review_library_article,
)


def library_matter(page, effective, findings):
    """The copy's findings that are the library's matter: in library blocks, in the
    library's title, or about the whole article."""
    kept = []
    for item in findings:
        if item.in_title:
            if not page.title_override and page.source_id:
                kept.append(item)
        elif item.block_number is None or effective.body[item.block_number - 1].origin == LIBRARY:
            kept.append(item)
    return kept


class ContentReviewPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Content review")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "review/panels/content_review.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            sections = []
            try:
                if isinstance(page, ClinicArticlePage):
                    effective = resolve_article(page)
                    findings = review_clinic_copy(page, effective)
                    own = review_clinic_words(page, effective)
                    inherited = library_matter(page, effective, findings)
                    findings = own + inherited
                    sections = [
                        (
                            "own",
                            "In this clinic's words",
                            "Error-level findings here send the page to medical review "
                            "when you publish; without them it is published at once.",
                            group_by_severity(own),
                        ),
                        (
                            "library",
                            "In the library's text",
                            "The library's matter, for the central team and its medical "
                            "reviewer: these never hold back this clinic's edits.",
                            group_by_severity(inherited),
                        ),
                    ]
                else:
                    findings = review_library_article(page)
            except Exception as error:  # a half-edited page must not break the edit view
                context.update({"failed": f"{type(error).__name__}: {error}"})
                return context
            context.update(
                {
                    "groups": group_by_severity(findings),
                    "count": len(findings),
                    "sections": [section for section in sections if section[3]],
                }
            )
            return context
