"""The publishing pipeline in the admin: Reports → Publishing runs.

Every fan-out of a library article (`SyndicationRun`) with how many of its clinic jobs
are queued, running, done or failed; one run's jobs with their outcome and error; a
POST that queues a run's failed jobs again; and a dashboard panel of the latest runs
with failed jobs.

Runs cover every clinic, so these views are the central team's: reading needs
``blog.view_syndicationrun`` and retrying ``blog.change_syndicationrun`` (both granted
in `clinics.provisioning.provision_central_team`; superusers have them). The check runs
before anything is looked up, so a clinic editor gets 403 on every URL, whatever the id.

Queries stay constant per page: the job counts of a page of runs come from one
aggregate query, whatever the number of runs, jobs or clinics.
"""

from collections import defaultdict

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import get_resolver, reverse
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import (
    Column,
    DateColumn,
    NumberColumn,
    StatusTagColumn,
    TitleColumn,
    UserColumn,
)
from wagtail.admin.views.generic.base import BaseListingView, BaseOperationView
from wagtail.permission_policies import ModelPermissionPolicy

from blog.models import SyndicationJob, SyndicationRun
from blog.syndication import retry_failed

VIEW_PERMISSION = "blog.view_syndicationrun"
STATUSES = [status for status, _label in SyndicationJob.Status.choices]
PANEL_RUNS = 5

runs_policy = ModelPermissionPolicy(SyndicationRun)


def failed_jobs(run=None):
    """A run's failed jobs (by default the outer query's run, for subqueries)."""
    run = OuterRef("pk") if run is None else run
    return SyndicationJob.objects.filter(run=run, status=SyndicationJob.Status.FAILED)


def runs_with_failures(runs=None):
    return (runs if runs is not None else SyndicationRun.objects.all()).filter(
        Exists(failed_jobs())
    )


def job_counts(run_ids) -> dict[int, dict[str, int]]:
    """{run id: {status: jobs}} for every status, in one aggregate query."""
    counts = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    rows = (
        SyndicationJob.objects.filter(run_id__in=list(run_ids))
        .order_by()
        .values_list("run_id", "status")
        .annotate(n=Count("pk"))
    )
    for run_id, status, n in rows:
        counts[run_id][status] = n
    return {run_id: counts[run_id] for run_id in run_ids}


def forbidden(request):
    """A 403 response. (Raised, PermissionDenied becomes a redirect to the dashboard:
    Wagtail's admin turns it into one for every view registered through its hooks.)"""
    handler = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(403)
    return handler(request, exception=PermissionDenied())


class CentralTeamOnly:
    """Answers 403 to a user without the runs permission, before the view looks anything
    up (so a clinic editor learns nothing, not even whether a run exists)."""

    permission_required = "view"

    def setup(self, request, *args, **kwargs):
        self.permitted = runs_policy.user_has_permission(request.user, self.permission_required)
        if self.permitted:
            super().setup(request, *args, **kwargs)
        else:
            self.request, self.args, self.kwargs = request, args, kwargs

    def dispatch(self, request, *args, **kwargs):
        if not self.permitted:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def can_retry(self) -> bool:
        return runs_policy.user_has_permission(self.request.user, "change")


class LinkColumn(Column):
    """A value linked to the URL ``get_url(instance)`` returns (plain text when None)."""

    cell_template_name = "blog/admin/link_cell.html"

    def __init__(self, name, get_url, **kwargs):
        super().__init__(name, **kwargs)
        self.get_url = get_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["link_url"] = self.get_url(instance)
        return context


class StatusCountColumn(NumberColumn):
    """How many of a run's jobs have one status (from the page's aggregate query)."""

    def __init__(self, status, label, **kwargs):
        super().__init__(
            f"jobs_{status}", label=label, accessor=lambda run: run.jobs_by_status[status], **kwargs
        )


class ErrorColumn(Column):
    cell_template_name = "blog/admin/error_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        lines = [line for line in (context["raw_value"] or "").splitlines() if line.strip()]
        context["summary"] = lines[-1] if lines else ""
        return context


def _revision_url(run):
    if run.revision_id is None:
        return None
    return reverse("wagtailadmin_pages:revisions_view", args=[run.article_id, run.revision_id])


def _revision_label(run):
    return f"#{run.revision_id}" if run.revision_id else "—"


class RunFilterSet(WagtailFilterSet):
    failed = django_filters.ChoiceFilter(
        label="Show",
        method="filter_failed",
        choices=(("true", "Runs with failures"),),
        empty_label="All runs",
        widget=forms.RadioSelect,
    )
    kind = django_filters.ChoiceFilter(
        choices=SyndicationRun.Kind.choices, empty_label="Any kind", label="Kind"
    )

    def filter_failed(self, queryset, name, value):
        return runs_with_failures(queryset) if value == "true" else queryset

    class Meta:
        model = SyndicationRun
        fields = ["failed", "kind"]


class RunDecorationMixin:
    """Attaches each run's job counts to a page of runs, in one aggregate query."""

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = object_list = self.decorate(list(object_list))
        return paginator, page, object_list, is_paginated

    def decorate(self, runs):
        counts = job_counts([run.pk for run in runs])
        for run in runs:
            run.jobs_by_status = counts[run.pk]
        return runs


class RunListView(CentralTeamOnly, RunDecorationMixin, BaseListingView):
    """Recent runs, newest first, with their job counts; filter: runs with failures."""

    page_title = "Publishing runs"
    header_icon = "tasks"
    paginate_by = 25
    index_url_name = "blog_runs:index"
    index_results_url_name = "blog_runs:index_results"
    filterset_class = RunFilterSet
    verbose_name = "publishing run"
    verbose_name_plural = "publishing runs"
    columns = [
        TitleColumn(
            "article_title",
            label="Library article",
            get_url=lambda run: reverse("blog_runs:detail", args=[run.pk]),
        ),
        Column("kind", accessor="get_kind_display"),
        LinkColumn(
            "revision", label="Library revision", accessor=_revision_label, get_url=_revision_url
        ),
        UserColumn("requested_by", label="Requested by", blank_display_name="—"),
        DateColumn("created_at", label="Created"),
        DateColumn("finished_at", label="Finished"),
        StatusCountColumn("queued", "Queued"),
        StatusCountColumn("running", "Running"),
        StatusCountColumn("done", "Done"),
        StatusCountColumn("failed", "Failed"),
    ]

    def get_base_queryset(self):
        # The article's title only (not its body), and the requester with the profile
        # the avatar reads: one query for the page, whatever it shows.
        return SyndicationRun.objects.select_related(
            "requested_by", "requested_by__wagtail_userprofile"
        ).annotate(article_title=F("article__title"))


class RunDetailView(CentralTeamOnly, BaseListingView):
    """One run: its summary, its jobs (clinic, status, outcome, attempts, error, times)."""

    header_icon = "tasks"
    template_name = "blog/admin/run_detail.html"
    paginate_by = 50
    verbose_name = "job"
    verbose_name_plural = "jobs"
    columns = [
        TitleColumn(
            "clinic_title",
            label="Clinic",
            get_url=lambda job: (
                reverse("wagtailadmin_pages:edit", args=[job.copy_id]) if job.copy_id else None
            ),
        ),
        StatusTagColumn(
            "status",
            accessor="get_status_display",
            primary=lambda job: job.status == SyndicationJob.Status.FAILED,
        ),
        Column("outcome"),
        NumberColumn("attempts"),
        ErrorColumn("error"),
        DateColumn("queued_at", label="Queued"),
        DateColumn("started_at", label="Started"),
        DateColumn("finished_at", label="Finished"),
    ]

    @cached_property
    def run(self):
        run = get_object_or_404(
            SyndicationRun.objects.select_related("requested_by").annotate(
                article_title=F("article__title")
            ),
            pk=self.kwargs["pk"],
        )
        run.jobs_by_status = job_counts([run.pk])[run.pk]
        return run

    def get_page_title(self):
        return f"Publishing run: {self.run.article_title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("blog_runs:index"), "label": "Publishing runs"},
            {"url": "", "label": self.run.article_title},
        ]

    def get_index_url(self):
        return reverse("blog_runs:detail", args=[self.run.pk])

    def get_base_queryset(self):
        return self.run.jobs.annotate(clinic_title=F("clinic__title")).order_by(
            "clinic__path", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            revision_url=_revision_url(self.run),
            can_retry=self.can_retry() and self.run.jobs_by_status["failed"] > 0,
        )
        return context


class RetryFailedJobsView(CentralTeamOnly, BaseOperationView):
    """POST: queue the run's failed jobs again; back to the run with how many were queued."""

    permission_required = "change"
    model = SyndicationRun
    success_url_name = "blog_runs:detail"

    def perform_operation(self):
        # retry_failed clears the run's finished time: only call it when there is a
        # failed job whose run will finish it again.
        self.queued = retry_failed(self.object) if failed_jobs(self.object).exists() else []

    def add_success_message(self):
        if self.queued:
            count = len(self.queued)
            messages.success(
                self.request,
                f"{count} failed job{'s' if count != 1 else ''} queued again "
                f"for “{self.object.article.title}”.",
            )
        else:
            messages.warning(self.request, "This run has no failed jobs to retry.")


class FailedRunsPanel(Component):
    """Dashboard: the latest runs that have failed jobs, linked to their detail views."""

    name = "failed_publishing_runs"
    template_name = "blog/admin/failed_runs_panel.html"
    order = 150

    @cached_property
    def runs(self):
        failed_count = failed_jobs().order_by().values("run").annotate(n=Count("pk")).values("n")
        return list(
            runs_with_failures()
            .annotate(article_title=F("article__title"), failed_count=Subquery(failed_count))
            .order_by("-created_at", "-pk")[:PANEL_RUNS]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["runs"] = self.runs
        context["all_url"] = reverse("blog_runs:index") + "?failed=true"
        return context
