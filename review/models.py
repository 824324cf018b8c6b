"""Medical review: the claims task of the "Medical review" workflows, the approvals it
records (the reviewer of record of what visitors read), and the stored copy reviews."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from wagtail.models import AbstractGroupApprovalTask

# Revision fields that record when and how a revision was saved, not what it says.
REVISION_BOOKKEEPING = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "draft_title",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def same_content(first, second) -> bool:
    """Whether two revisions of a page say the same (their bookkeeping aside)."""

    def content(revision):
        return {k: v for k, v in revision.content.items() if k not in REVISION_BOOKKEEPING}

    return content(first) == content(second)


class MedicalClaimsReviewTask(AbstractGroupApprovalTask):
    """A member of the chosen groups (the "Medical reviewers") approves or requests
    changes; nobody else can, superusers included, and nothing passes by itself.

    When a revision reaches the task, its medical-claims findings are stored beside the
    task state (``ClaimsAnnotation``) for the reviewer, and the review queue is ordered
    by them (most errors first). Approving records a ``MedicalApproval`` of the revision
    that the workflow then publishes: that record, and nothing an editor types, is what
    the page's "Medically reviewed by … on …" and its JSON-LD say."""

    def start(self, workflow_state, user=None):
        from review.approvals import annotate

        task_state = super().start(workflow_state, user=user)
        annotate(task_state)
        return task_state

    def is_reviewer(self, user) -> bool:
        return bool(user and user.is_authenticated and self._user_in_groups(user))

    def get_actions(self, obj, user):
        if not self.is_reviewer(user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self.is_reviewer(user):
            return self.task_states.none()
        return super().get_task_states_user_can_moderate(user, **kwargs)

    def on_action(self, task_state, user, action_name, **kwargs):
        from review.approvals import record_approval

        if action_name == "approve":
            if not self.is_reviewer(user):
                raise PermissionDenied
            # The workflow publishes the latest revision when it finishes (Wagtail's
            # publish_workflow_state; with WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT
            # an edit during review restarts the task on the new revision): that is
            # the revision approved. Recorded first, in the same transaction, so the
            # publish (and the page cache it clears) already sees it.
            latest = task_state.workflow_state.content_object.get_latest_revision()
            if latest.pk != task_state.revision_id and same_content(task_state.revision, latest):
                # Approving from the editor saves the form again (a revision with the
                # same content): the approval is of what was submitted, not an edit.
                task_state.revision = latest
                task_state.save(update_fields=["revision"])
            record_approval(latest, user, task_state=task_state)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "A member of the chosen groups approves the revision (its medical-claims "
            "findings are shown); the approval names the page's medical reviewer."
        )

    class Meta:
        verbose_name = "Medical claims review task"
        verbose_name_plural = "Medical claims review tasks"


class ReviewerProfile(models.Model):
    """Who a medical reviewer is on the public pages: the person (a shared
    ``clinics.Person``, with credentials and profile link) that the byline and JSON-LD
    name when this user approves."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    person = models.ForeignKey("clinics.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "medical reviewer profile"

    def __str__(self):
        return f"{self.user} as {self.person}"


class MedicalApproval(models.Model):
    """A medical reviewer approved one revision of a page.

    Written only when a member of Medical reviewers approves the medical-claims task
    (or, being one, publishes the page from its edit view). A library article is
    "medically reviewed" while its live revision has one; a clinic copy while its
    library article's live revision has one and its own body words (``words``, a
    fingerprint of them; "" when it has none) have been approved."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who the byline names, fixed at approval time: the approver's profile, or their name.
    reviewer = models.ForeignKey(
        "clinics.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_name = models.CharField(max_length=150)
    approved_at = models.DateTimeField(default=timezone.now)
    words = models.CharField(max_length=64, blank=True)
    task_state = models.ForeignKey(
        "wagtailcore.TaskState", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "medical approval"
        indexes = [
            models.Index(fields=["revision"], name="review_approval_revision"),
            models.Index(fields=["page", "words"], name="review_approval_words"),
        ]

    def __str__(self):
        return f"{self.reviewer_name} approved revision {self.revision_id} on {self.reviewed_on}"

    @property
    def reviewed_on(self):
        return timezone.localdate(self.approved_at)


class ClaimsAnnotation(models.Model):
    """The medical-claims findings of the revision a review task was started on, for
    the reviewer (and to order the queue: most errors first)."""

    task_state = models.OneToOneField(
        "wagtailcore.TaskState",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="claims_annotation",
    )
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "claims annotation"
        indexes = [models.Index(fields=["-error_count"], name="review_annotation_errors")]


class NetworkReport(models.Model):
    """No table: carries the permission to read the network's content report, which
    covers every clinic (so the central team and medical reviewers have it, clinic
    editors do not)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_network_report", "Can view the network content report")]


class CopyReview(models.Model):
    """The content review of one live clinic copy, stored by a background task
    (``review.tasks``) whenever the copy's text may have changed, so that the network
    report reads rows instead of resolving and reviewing every copy in the request.

    ``findings`` holds the medical-claims findings of the copy's effective text, worst
    first, each as ``{rule, title, severity, sentence, block, where, advice}``;
    ``near_duplicates`` its closest live copies of the same library article that share
    at least ``textreview.similarity.NEAR_DUPLICATE_THRESHOLD`` of their five-word
    shingles (``{"page": id, "similarity": 0.97}``, closest first, at most
    ``review.audit.STORED_NEIGHBOURS``), and ``near_duplicate_count`` how many there
    are in all. A copy that is no longer live has no row."""

    page = models.OneToOneField(
        "blog.ClinicArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="content_review",
    )
    clinic = models.ForeignKey("clinics.ClinicHomePage", on_delete=models.CASCADE, related_name="+")
    # The library article the copy carried when it was reviewed (None: the clinic's own).
    source = models.ForeignKey(
        "blog.LibraryArticlePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    info_count = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    near_duplicates = models.JSONField(default=list, blank=True)
    near_duplicate_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "copy review"
        indexes = [
            models.Index(fields=["error_count"], name="review_copy_errors"),
            models.Index(fields=["warning_count"], name="review_copy_warnings"),
        ]

    def __str__(self):
        return f"Review of page {self.page_id}"


class LibraryReview(models.Model):
    """The content review of one live library article's own text (as written, tokens
    unfilled, with the network's default disclaimer), stored by the same background
    task as its copies' reviews (``review.tasks.review_article_copies``), so that the
    network report lists the library's findings without reviewing in the request.
    ``findings`` as in ``CopyReview``. An article that is not live has no row."""

    page = models.OneToOneField(
        "blog.LibraryArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="content_review",
    )
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    info_count = models.PositiveIntegerField(default=0)
    findings = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "library article review"

    def __str__(self):
        return f"Review of library article {self.page_id}"
