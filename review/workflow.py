"""The library's "Medical review" workflow: who reviews, and which pages it covers."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from clinics.provisioning import CENTRAL_TEAM, MEDICAL_REVIEWERS, permission
from review.models import MedicalClaimsReviewTask

WORKFLOW_NAME = "Medical review"
TASK_NAME = "Medical claims review"
REVIEWER_PAGE_ACTIONS = ("change_page", "publish_page", "lock_page", "unlock_page")


@transaction.atomic
def setup_medical_review(library) -> Workflow:
    """Create (or complete) the "Medical reviewers" group, the medical-claims task and
    the "Medical review" workflow on the article library, and let the reviewers and the
    central team read the network report; idempotent.

    A user who may publish a page can publish it without its workflow: the
    ``before_publish_page`` hook in ``review.wagtail_hooks`` refuses that for a library
    article with error-level findings unless the user is a medical reviewer, so such
    an article goes live only through this workflow.
    """
    reviewers, _ = Group.objects.get_or_create(name=MEDICAL_REVIEWERS)
    reviewers.permissions.add(permission("wagtailadmin", "access_admin"))
    report = permission("review", "view_network_report")
    reviewers.permissions.add(report)
    Group.objects.get_or_create(name=CENTRAL_TEAM)[0].permissions.add(report)
    for codename in REVIEWER_PAGE_ACTIONS:
        GroupPagePermission.objects.get_or_create(
            group=reviewers, page=library, permission=permission("wagtailcore", codename)
        )

    task = MedicalClaimsReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = MedicalClaimsReviewTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=library, defaults={"workflow": workflow})
    return workflow


def is_medical_reviewer(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.groups.filter(name=MEDICAL_REVIEWERS).exists())
    )
