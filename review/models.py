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
