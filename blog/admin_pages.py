"""Wagtail's page views, through its page viewsets (`PageViewSet`): the scoped ones
(`blog.admin_scoping.pages`), and these where Wagtail's read wrong for editors.

- Page search: its results header counts "pages" ("1-1 of 1 page"), where Wagtail's
  search view names no model ("1-1 of 1 None").
- A workflow action taken outside the editor (the dashboard's "Awaiting your review"
  panel's Approve, say) says what it did, as the edit view does.
- The article library's listing says that it has no site on purpose, instead of
  Wagtail's warning that pages created there are not at any URL.
- An article (a page that may have no children) opens in its editor from the sidebar's
  explorer, instead of as an empty listing of its children.
- A clinic blog's listing marks the copies whose changes the library has overtaken,
  linking to their stale changes (one subquery, from the flags the publishing jobs store).
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page, TaskState, WorkflowState

from blog.admin_scoping.pages import ScopedPageViewSet, ScopedWorkflowActionView
from blog.admin_views import LinkColumn
from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage


class PageSearchView(SearchView):
    verbose_name = "page"
    verbose_name_plural = "pages"


def workflow_action_message(page, task_state: TaskState) -> str | None:
    """What a workflow action did to `page`, or None if it did nothing (a form with
    errors, or an action that leaves the task in progress)."""
    title = page.get_admin_display_title()
    task = task_state.task.name
    workflow_state = task_state.workflow_state
    if task_state.status == TaskState.STATUS_APPROVED:
        if workflow_state.status == WorkflowState.STATUS_APPROVED:
            page.refresh_from_db(fields=["live", "has_unpublished_changes"])
            if page.live and not page.has_unpublished_changes:
                return f"“{title}” was approved at “{task}” and published."
            return f"“{title}” was approved at “{task}”: the workflow is complete."
        next_task = workflow_state.current_task_state
        following = next_task.task.name if next_task else "the next step"
        return f"“{title}” was approved at “{task}” and moves on to “{following}”."
    if task_state.status == TaskState.STATUS_REJECTED:
        return (
            f"Changes were requested on “{title}” at “{task}”: "
            "whoever submitted it is told to make them."
        )
    return None


class ConfirmingWorkflowActionView(ScopedWorkflowActionView):
    """Wagtail's workflow action, with a message saying what it did."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        task_state = TaskState.objects.select_related("workflow_state").get(pk=self.task_state.pk)
        message = workflow_action_message(self.object.specific, task_state)
        if message:
            messages.success(request, message)
        return response


class LeafPageIndexView(ExplorableIndexView):
    """A page that may have no children (an article) opens in its editor rather than as
    an empty listing: the sidebar's explorer links every page's title to its listing."""

    def get(self, request, parent_page_id=None):
        page = Page.objects.filter(pk=parent_page_id).first() if parent_page_id else None
        if (
            page is not None
            and not self.results_only
            and page.numchild == 0
            and page.specific_class is not None
            and not page.specific_class.allowed_subpage_models()
            and page.permissions_for_user(request.user).can_edit()
        ):
            return redirect("wagtailadmin_pages:edit", page.pk)
        return super().get(request, parent_page_id)


class ProjectPageViewSet(ScopedPageViewSet):
    """The viewset of every page type without one of its own: it replaces Wagtail's
    base one (registered with order -1), with the scoped views and those above."""

    model = Page
    index_view_class = LeafPageIndexView
    search_view_class = PageSearchView
    workflow_action_view_class = ConfirmingWorkflowActionView


LIBRARY_NOTE = (
    "This is the shared article library. It has no site of its own, on purpose: no "
    "domain serves these pages. Visitors read each article on the sites of the clinics "
    "that carry it, as each clinic's copy; publishing an article here (through medical "
    "review) updates those copies."
)


class LibraryIndexView(ExplorableIndexView):
    results_template_name = "blog/admin/library_index_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["library_note"] = LIBRARY_NOTE
        return context


class LibraryArticlePageViewSet(ProjectPageViewSet):
    """Library articles' viewset: Wagtail lists the library's children with it (the
    library holds only library articles), so the listing is explained rather than
    warned about."""

    model = LibraryArticlePage
    index_view_class = LibraryIndexView


def stale_changes_label(page) -> str:
    count = getattr(page, "stale_changes", 0)
    return ngettext("%d stale change", "%d stale changes", count) % count if count else ""


class ClinicArticleIndexView(ExplorableIndexView):
    def annotate_queryset(self, pages):
        stale = (
            BodyOverride.objects.filter(page_id=OuterRef("pk"), is_stale=True)
            .values("page_id")
            .annotate(count=Count("pk"))
            .values("count")
        )
        pages = super().annotate_queryset(pages)
        return pages.annotate(
            stale_changes=Coalesce(Subquery(stale, output_field=IntegerField()), 0)
        )

    # The viewset hands Wagtail's listing these columns (PageViewSet.columns).
    base_columns = [
        *ExplorableIndexView.base_columns,
        LinkColumn(
            "stale_changes",
            label="Library changed since",
            accessor=stale_changes_label,
            get_url=lambda page: (
                reverse("blog_stale_changes", args=[page.pk])
                if getattr(page, "stale_changes", 0)
                else None
            ),
        ),
    ]


class ClinicArticlePageViewSet(ProjectPageViewSet):
    """Clinic copies' viewset: Wagtail lists a clinic blog's children with it (a blog
    holds only clinic articles), with the stale-change column."""

    model = ClinicArticlePage
    index_view_class = ClinicArticleIndexView
