"""Wagtail's page views, with the checks some of them lack.

Registered for every page type (``register_admin_viewset``, after Wagtail's own base
viewset, as ``blog.admin_pages.ProjectPageViewSet``), so each view here replaces
Wagtail's at the same URL and name.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.functional import classproperty
from wagtail.admin import messages
from wagtail.admin.views.pages import listing, move, workflow
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, PageLogEntry

from blog.admin_scoping.scope import users_named, visible_pages

NOT_IN_MODERATION = "This page is not currently awaiting moderation."


class ScopedConfirmWorkflowCancellationView(workflow.ConfirmWorkflowCancellationView):
    """Asked before publishing a page in a workflow; Wagtail answers for any page id,
    naming its workflow and task. Only someone who may edit the page is answered."""

    def dispatch(self, request, *args, **kwargs):
        if not self.object.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class UnnamedUnlessEditableMixin:
    """Wagtail's workflow views answer a page that is not in moderation with a message
    naming the page by its latest (draft) title, before checking anything else, so any
    page id would give its draft title away. The message names the page only to whom
    may edit it."""

    def _may_name_page(self):
        return self.object.permissions_for_user(self.request.user).can_edit()

    def add_not_in_moderation_error(self):
        if self._may_name_page():
            return super().add_not_in_moderation_error()
        messages.error(self.request, NOT_IN_MODERATION)
        return None

    def add_error_message(self):
        if self._may_name_page():
            return super().add_error_message()
        messages.error(self.request, NOT_IN_MODERATION)
        return None


class ScopedWorkflowActionView(UnnamedUnlessEditableMixin, workflow.WorkflowActionView):
    pass


class ScopedCollectWorkflowActionDataView(
    UnnamedUnlessEditableMixin, workflow.CollectWorkflowActionDataView
):
    pass


class ScopedPreviewRevisionForTaskView(
    UnnamedUnlessEditableMixin, workflow.PreviewRevisionForTaskView
):
    pass


class ScopedMoveConfirmView(move.MoveConfirmView):
    """Wagtail checks the page's slug against the destination's children (and names the
    slug in its message) before the ``before_move_page`` hooks check the move: here the
    move is checked first."""

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        if not page.permissions_for_user(request.user).can_move_to(destination):
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


# --- page listings: the "owner" and "edited by" drop-downs ----------------------------


def page_owners(request):
    """Owners of the pages the user may see (Wagtail's lists every page's owner)."""
    return users_named(visible_pages(request.user).values_list("owner_id", flat=True))


def page_editors(request):
    """Who edited a page the user may see (Wagtail's lists everyone who edited any)."""
    entries = PageLogEntry.objects.filter(
        action="wagtail.edit", page__in=visible_pages(request.user).values("pk")
    )
    return users_named(entries.values_list("user_id", flat=True))


class ScopedUserFiltersMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = page_owners
        self.filters["edited_by"].queryset = page_editors


class ScopedPageFilterSet(ScopedUserFiltersMixin, listing.PageFilterSet):
    pass


class ScopedGenericPageFilterSet(ScopedUserFiltersMixin, listing.GenericPageFilterSet):
    pass


class ScopedPageViewSet(PageViewSet):
    @classproperty
    def filterset_class(cls):
        # The filters of the explorer and the page type's "pages using" listing (Wagtail
        # passes the viewset's filterset to both views).
        return ScopedGenericPageFilterSet if cls.model is Page else ScopedPageFilterSet

    confirm_workflow_cancellation_view_class = ScopedConfirmWorkflowCancellationView
    workflow_action_view_class = ScopedWorkflowActionView
    collect_workflow_action_data_view_class = ScopedCollectWorkflowActionDataView
    workflow_preview_view_class = ScopedPreviewRevisionForTaskView
    move_confirm_view_class = ScopedMoveConfirmView
