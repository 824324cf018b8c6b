"""The "Medical review" workflows: who reviews, and which pages they cover.

One task (``MedicalClaimsReviewTask``, the "Medical reviewers" group) in two workflows:
"Medical review" on the article library, and "Clinic medical review" on every clinic's
blog, where a copy whose clinic wrote words with error-level findings is sent instead
of being published (``review.wagtail_hooks``).
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from blog.models import BlogIndexPage
from clinics.provisioning import CENTRAL_TEAM, MEDICAL_REVIEWERS, permission
from review.models import MedicalClaimsReviewTask

WORKFLOW_NAME = "Medical review"
CLINIC_WORKFLOW_NAME = "Clinic medical review"
TASK_NAME = "Medical claims review"
REVIEWER_PAGE_ACTIONS = ("change_page", "publish_page", "lock_page", "unlock_page")
# On clinic blogs a reviewer approves (so publishes) what the clinic wrote; the task
# itself lets them open the editor of a copy in front of them.
REVIEWER_COPY_ACTIONS = ("publish_page",)


def _workflow(name: str, task: MedicalClaimsReviewTask) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=name)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def _grant(group, page, actions) -> None:
    for codename in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission("wagtailcore", codename)
        )


@transaction.atomic
def setup_medical_review(library) -> Workflow:
    """Create (or complete) the "Medical reviewers" group, the medical-claims task, the
    "Medical review" workflow on the article library and the "Clinic medical review"
    workflow on every clinic's blog, and let the reviewers and the central team read
    the network report; idempotent. Returns the library's workflow.

    Every library revision that goes live is approved by a medical reviewer: the
    ``before_publish_page`` hook in ``review.wagtail_hooks`` refuses anyone else's
    direct publish of a library article, so it goes live through this workflow.
    """
    reviewers, _ = Group.objects.get_or_create(name=MEDICAL_REVIEWERS)
    reviewers.permissions.add(permission("wagtailadmin", "access_admin"))
    report = permission("review", "view_network_report")
    reviewers.permissions.add(report)
    Group.objects.get_or_create(name=CENTRAL_TEAM)[0].permissions.add(report)
    _grant(reviewers, library, REVIEWER_PAGE_ACTIONS)

    task = MedicalClaimsReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = MedicalClaimsReviewTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)

    workflow = _workflow(WORKFLOW_NAME, task)
    WorkflowPage.objects.update_or_create(page=library, defaults={"workflow": workflow})
    _workflow(CLINIC_WORKFLOW_NAME, task)
    for blog in BlogIndexPage.objects.all():
        setup_clinic_review(blog)
    return workflow


def setup_clinic_review(blog) -> Workflow | None:
    """Put a clinic's blog under "Clinic medical review" and let the reviewers publish
    there (None: medical review is not set up). Idempotent; run for each new blog."""
    workflow = Workflow.objects.filter(name=CLINIC_WORKFLOW_NAME).first()
    reviewers = Group.objects.filter(name=MEDICAL_REVIEWERS).first()
    if workflow is None or reviewers is None:
        return None
    WorkflowPage.objects.get_or_create(page=blog, defaults={"workflow": workflow})
    _grant(reviewers, blog, REVIEWER_COPY_ACTIONS)
    return workflow


def clinic_workflow_for(page) -> Workflow | None:
    """The workflow a clinic copy is sent to (its blog's, set up if it is missing)."""
    workflow = page.get_workflow()
    if workflow is None:
        blog = page.get_parent().specific
        if isinstance(blog, BlogIndexPage):
            workflow = setup_clinic_review(blog)
    return workflow


def is_medical_reviewer(user) -> bool:
    """A member of Medical reviewers: the only people whose approval names a reviewer
    of record (a superuser who is not one is not)."""
    return bool(user.is_authenticated and user.groups.filter(name=MEDICAL_REVIEWERS).exists())
