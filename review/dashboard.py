"""The medical reviewers' queue on the admin dashboard: the revisions waiting for them,
most error-level findings first (read from each task's ``ClaimsAnnotation``)."""

from __future__ import annotations

from django.db.models import F
from django.utils.functional import cached_property
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState

from review.models import MedicalClaimsReviewTask

QUEUE_SIZE = 20


def review_queue(limit: int = QUEUE_SIZE) -> list[dict]:
    """The medical-claims task states in progress, worst first, with their page."""
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__in=MedicalClaimsReviewTask.objects.filter(active=True),
        )
        .select_related("claims_annotation", "workflow_state__requested_by")
        .order_by(
            F("claims_annotation__error_count").desc(nulls_first=True),
            F("claims_annotation__warning_count").desc(nulls_first=True),
            "started_at",
            "pk",
        )[:limit]
    )
    pages = Page.objects.in_bulk([int(state.workflow_state.object_id) for state in states])
    rows = []
    for state in states:
        annotation = getattr(state, "claims_annotation", None)
        findings = annotation.findings if annotation else []
        rows.append(
            {
                "page": pages.get(int(state.workflow_state.object_id)),
                "state": state,
                "errors": annotation.error_count if annotation else None,
                "warnings": annotation.warning_count if annotation else None,
                "first": findings[0] if findings else None,
                "requested_by": state.workflow_state.requested_by,
            }
        )
    return [row for row in rows if row["page"] is not None]


class MedicalReviewQueuePanel(Component):
    name = "medical_review_queue"
    template_name = "review/dashboard/queue.html"
    order = 90  # above Wagtail's own "awaiting your review" (100)

    @cached_property
    def rows(self):
        return review_queue()

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = self.rows
        return context
