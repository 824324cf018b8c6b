"""The scoped views, mounted by cms.urls in front of Wagtail's admin at the same paths.

Top-level names are Wagtail's own, so reversing them finds these; namespaced views
(reports) are unnamed here: Wagtail's names reverse to the same paths.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from blog.admin_scoping import choosers, reports


def _as_admin_views(patterns):
    """Wagtail's own decorations of its admin views: admin access, never cached."""
    return decorate_urlpatterns(decorate_urlpatterns(patterns, require_admin_access), never_cache)


def _report(route, view):
    return [
        path(f"reports/{route}", view.as_view()),
        path(f"reports/{route}results/", view.as_view(results_only=True)),
    ]


admin_overrides = _as_admin_views(
    [
        path("choose-page/", choosers.ScopedBrowseView.as_view(), name="wagtailadmin_choose_page"),
        path(
            "choose-page/<int:parent_page_id>/",
            choosers.ScopedBrowseView.as_view(),
            name="wagtailadmin_choose_page_child",
        ),
        path(
            "choose-page/chosen-multiple/",
            choosers.ScopedChosenMultipleView.as_view(),
            name="wagtailadmin_choose_page_chosen_multiple",
        ),
        # Reports: Wagtail's names (wagtailadmin_reports:…) reverse to these paths.
        *_report("page-types-usage/", reports.ScopedPageTypesUsageReportView),
        *_report("site-history/", reports.ScopedLogEntriesView),
        *_report("workflow/", reports.ScopedWorkflowView),
        *_report("locked/", reports.ScopedLockedPagesView),
    ]
)
