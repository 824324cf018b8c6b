"""The read-only "Content review" panel on library and clinic article edit views
(added from `ReviewConfig.ready()`).

It reviews the page as edited (the latest revision, or the submitted form), groups
the medical-claims findings by severity and quotes each sentence with the block it is
in. It runs only in the admin: nothing here touches a public render.
"""

from wagtail.admin.panels import Panel

from blog.models import ClinicArticlePage
from review.pages import group_by_severity, review_clinic_copy, review_library_article


class ContentReviewPanel(Panel):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("heading", "Content review")
        super().__init__(*args, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "review/panels/content_review.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            try:
                if isinstance(page, ClinicArticlePage):
                    findings = review_clinic_copy(page)
                else:
                    findings = review_library_article(page)
            except Exception as error:  # a half-edited page must not break the edit view
                context.update({"failed": f"{type(error).__name__}: {error}"})
                return context
            context.update({"groups": group_by_severity(findings), "count": len(findings)})
            return context
