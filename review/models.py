"""The medical-claims step of the library's "Medical review" workflow."""

from __future__ import annotations

from django.db import models
from wagtail.models import AbstractGroupApprovalTask

from blog.models import LibraryArticlePage
from review.pages import errors, review_library_article


class MedicalClaimsReviewTask(AbstractGroupApprovalTask):
    """Approved at once when the submitted revision has no error-level finding
    (``review.pages.review_library_article``); otherwise it waits for a member of the
    chosen groups (the "Medical reviewers") to approve or request changes, exactly as
    Wagtail's group approval task does."""

    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        if not self.blocking_findings(task_state.revision):
            # The workflow sees a finished task state and moves on (or finishes and
            # publishes) by itself: WorkflowState.update re-runs after start().
            task_state.approve(user=None, update=False, comment="No error-level findings.")
        return task_state

    @staticmethod
    def blocking_findings(revision):
        """Error-level findings of the revision under review (none for other pages)."""
        content = revision.as_object()
        if not isinstance(content, LibraryArticlePage):
            return []
        return errors(review_library_article(content))

    @classmethod
    def get_description(cls):
        return (
            "Passes by itself when the article has no error-level medical-claims finding; "
            "otherwise a member of the chosen groups must approve it."
        )

    class Meta:
        verbose_name = "Medical claims review task"
        verbose_name_plural = "Medical claims review tasks"


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
