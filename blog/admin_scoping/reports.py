"""Wagtail's reports, scoped to what the editor may see.

Wagtail narrows each report's rows to the user's permissions, but not everything
around them: the page types usage report counts and names every page (drafts
included), and the filter drop-downs list every user who ever locked a page, started
a workflow or left a log entry, whoever's pages they were. Each view here keeps
Wagtail's rows and fixes what is around them; superusers get Wagtail's own views.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.reports import audit_logging, locked_pages, page_types_usage, workflows
from wagtail.documents import get_document_model
from wagtail.documents import get_permission_policy as document_policy
from wagtail.images import get_image_model
from wagtail.images import get_permission_policy as image_policy
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, WorkflowState

from blog.admin_scoping.api import COLLECTION_ACTIONS
from blog.admin_scoping.scope import (
    is_own,
    own_pages_q,
    show_as_published,
    users_named,
    visible_pages,
)

# --- log entries (site history) ------------------------------------------------------


def scoped_log_entries(log_model, user):
    """The log entries `user` may see. Wagtail shows a page's entries to those who may
    explore the page, and a model's entries to anyone with any permission on the model:
    for images and documents, which belong to a collection, that is every collection's.
    Here they are narrowed to the objects the user may use."""
    entries = log_model.objects.viewable_by_user(user)
    if user.is_superuser or "page" in {f.name for f in log_model._meta.fields}:
        return entries
    owned = {get_image_model(): image_policy(), get_document_model(): document_policy()}
    content_types = ContentType.objects.get_for_models(*owned)
    keep = ~Q(content_type__in=list(content_types.values()))
    for model, policy in owned.items():
        ids = policy.instances_user_has_any_permission_for(user, COLLECTION_ACTIONS)
        keep |= Q(
            content_type=content_types[model],
            object_id__in=ids.values_list(Cast("pk", output_field=CharField()), flat=True),
        )
    return entries.filter(keep)


def scoped_log_models(user):
    return [
        (model, scoped_log_entries(model, user))
        for model in log_action_registry.get_log_entry_models()
    ]


class ScopedSiteHistoryFilterSet(audit_logging.SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(
        label="Type",
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in={
                pk
                for _, entries in scoped_log_models(request.user)
                for pk in entries.get_content_type_ids()
            }
        ).order_by("model"),
    )

    def get_action_choices(self):
        actions = {
            action
            for _, entries in scoped_log_models(self.request.user)
            for action in entries.get_actions()
        }
        return [choice for choice in log_action_registry.get_choices() if choice[0] in actions]

    def get_users_queryset(self):
        return users_named(
            {
                pk
                for _, entries in scoped_log_models(self.request.user)
                for pk in entries.get_user_ids()
            }
        )


class ScopedLogEntriesView(audit_logging.LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's, with each log model's entries narrowed by scoped_log_entries.
        queryset = None
        scoped = scoped_log_models(self.request.user)
        self.log_models = [model for model, _ in scoped]
        for index, (_, entries) in enumerate(scoped):
            sub_queryset = entries.values("pk", "timestamp").annotate(
                log_model_index=Value(index, output_field=IntegerField())
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")


# --- page types usage ------------------------------------------------------------------


class ScopedPageTypesUsageFilterSet(page_types_usage.PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user
        if user.is_superuser or "site" not in self.filters:
            return
        choices = [
            (site.root_page.path, str(site))
            for site in self.sites.values()
            if is_own(user, site.root_page)
        ]
        if len(choices) > 1:
            self.filters["site"].extra["choices"] = choices
        else:
            self.sites_filter_enabled = False
            del self.filters["site"]


class ScopedPageTypesUsageReportView(page_types_usage.PageTypesUsageReportView):
    """Counts and names only the pages the editor may see (their own, the live
    library), the library's by their live titles."""

    filterset_class = ScopedPageTypesUsageFilterSet

    def get_queryset(self):
        user = self.request.user
        if user.is_superuser:
            return super().get_queryset()
        queryset = ContentType.objects.filter(model__in=self.page_models)
        queryset = self.filter_queryset(queryset).distinct()
        self.queryset = queryset
        pages = visible_pages(user)
        language_code = self.filters.form.cleaned_data.get("page_locale")
        site_root_path = self.filters.form.cleaned_data.get("site")
        if language_code:
            pages = pages.filter(locale__language_code=language_code)
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        of_type = pages.filter(content_type=OuterRef("pk")).order_by()
        count = of_type.values("content_type").annotate(n=Count("pk")).values("n")
        latest = of_type.order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Coalesce(Subquery(count), 0),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        for item in page_types:
            show_as_published(self.request.user, item.last_edited_page)
        return page_types


# --- workflows and locked pages: their user drop-downs --------------------------------


def workflow_requesters(request):
    """Who started a workflow on a page (or snippet) the user may see in the report."""
    if request.user.is_superuser:
        return workflows.get_requested_by_queryset(request)
    # The report's own rows: workflows on pages the user may edit, or on snippets.
    editable_pages = Q(
        base_content_type_id=ContentType.objects.get_for_model(Page).id,
        object_id__in=workflows.get_editable_page_ids_query(request),
    )
    editable_objects = Q(content_type_id__in=workflows.get_editable_content_type_ids(request))
    states = WorkflowState.objects.filter(editable_pages | editable_objects)
    return users_named(states.values_list("requested_by", flat=True))


class ScopedWorkflowReportFilterSet(workflows.WorkflowReportFilterSet):
    requested_by = workflows.django_filters.ModelChoiceFilter(
        field_name="requested_by", queryset=workflow_requesters
    )


class ScopedWorkflowView(workflows.WorkflowView):
    filterset_class = ScopedWorkflowReportFilterSet


def lockers(request):
    """Who locked a page the user may see."""
    user = request.user
    if user.is_superuser:
        return locked_pages.get_users_for_filter()
    return users_named(
        Page.objects.filter(own_pages_q(user), locked=True).values_list("locked_by", flat=True)
    )


class ScopedLockedPagesFilterSet(locked_pages.LockedPagesReportFilterSet):
    locked_by = locked_pages.django_filters.ModelChoiceFilter(
        label="Locked by",
        empty_label="Anyone",
        field_name="locked_by",
        queryset=lockers,
    )


class ScopedLockedPagesView(locked_pages.LockedPagesView):
    filterset_class = ScopedLockedPagesFilterSet
