"""The admin's views of stale changes: one copy's, with the clinic's decision on each,
and a dashboard panel of the copies that have them.

Whoever may edit a copy may see and decide its stale changes (Wagtail's page
permissions, so a clinic editor reaches their own clinic's copies only); anyone else
gets 403, whatever the id. The panel lists the copies the user may edit, from the flags
the publishing jobs store (`BodyOverride.is_stale`), in a constant number of queries.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.admin_views import VIEW_PERMISSION, forbidden
from blog.models import BodyOverride, ClinicArticlePage
from blog.stale_changes import KEEP, MERGE, TAKE, decide, stale_changes

PANEL_COPIES = 10
DECISIONS = {"keep": KEEP, "take": TAKE, "merge": MERGE}
DONE = {
    KEEP: "Kept your wording",
    TAKE: "Took the library's text",
    MERGE: "Merged the library's change into your wording",
}


def _editable_copy(request, page_id) -> ClinicArticlePage:
    copy = ClinicArticlePage.objects.filter(pk=page_id).select_related("source").first()
    if copy is None or not copy.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return copy


def stale_changes_view(request, page_id):
    try:
        copy = _editable_copy(request, page_id)
    except PermissionDenied:
        return forbidden(request)
    if request.method == "POST":
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            raise Http404
        try:
            published = decide(copy, request.POST.get("anchor", ""), decision, request.user)
        except LookupError:
            messages.warning(
                request,
                "Nothing changed: that change is not stale any more, or the library's "
                "change cannot be merged into it without a conflict.",
            )
        else:
            done = DONE[decision]
            where = "and published it" if published else "in a new draft; publish it to show it"
            messages.success(request, f"{done} {where}.")
        return redirect("blog_stale_changes", copy.pk)
    return TemplateResponse(
        request,
        "blog/admin/stale_changes.html",
        {"page": copy, "changes": stale_changes(copy)},
    )


class StaleChangesPanel(Component):
    """Dashboard, for a clinic's editors: the copies they may edit whose changes the
    library has overtaken, and the copies with drafts waiting to be published (new
    library articles that arrive as drafts, corrections merged into a draft, their own
    unpublished edits)."""

    name = "stale_changes"
    template_name = "blog/admin/stale_changes_panel.html"
    order = 140

    def __init__(self, user):
        self.user = user

    @cached_property
    def editable_copies(self):
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(
            self.user, ["change"]
        )
        return ClinicArticlePage.objects.filter(pk__in=editable.values("pk"))

    @cached_property
    def copies(self):
        return list(
            self.editable_copies.annotate(
                stale_count=Count("body_overrides", filter=Q(body_overrides__is_stale=True))
            )
            .filter(stale_count__gt=0)
            .order_by("title")[:PANEL_COPIES]
        )

    @cached_property
    def drafts(self):
        return list(
            self.editable_copies.filter(has_unpublished_changes=True)
            .select_related("latest_revision")
            .order_by("-latest_revision__created_at")[:PANEL_COPIES]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["copies"] = self.copies
        context["drafts"] = self.drafts
        return context


class NetworkStaleChangesPanel(Component):
    """Dashboard, for the central team: the library articles whose edits left clinics'
    changes stale, with how many clinics' copies have them (one aggregate query)."""

    name = "network_stale_changes"
    template_name = "blog/admin/network_stale_changes_panel.html"
    order = 160

    @cached_property
    def articles(self):
        return list(
            BodyOverride.objects.filter(is_stale=True)
            .values("page__source_id", "page__source__title")
            .annotate(copies=Count("page", distinct=True), changes=Count("pk"))
            .order_by("-copies", "page__source__title")[:PANEL_COPIES]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["articles"] = self.articles
        return context

    @staticmethod
    def is_shown_to(user) -> bool:
        return user.has_perm(VIEW_PERMISSION)  # the central team's, as Publishing runs
