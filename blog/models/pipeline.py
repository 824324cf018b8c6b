"""The publishing pipeline's records: each fan-out of a library article to the clinics
(a run, one job per clinic), what a withdrawn copy had live, and each copy's stored
text fingerprint.

None of these are page fields, so they are never part of a revision: a clinic's draft
or a rollback cannot overwrite them.
"""

from django.conf import settings
from django.db import models

from blog.models.clinic_articles import ClinicArticlePage
from blog.models.library import LibraryArticlePage
from clinics.models import ClinicHomePage


class SyndicationRun(models.Model):
    """One publish or unpublish of a library article, fanned out to the clinics (or one
    of the network matrix's bulk actions on it)."""

    class Kind(models.TextChoices):
        PUBLISH = "publish", "Publish"
        WITHDRAW = "withdraw", "Withdraw"
        RETRY = "retry", "Retry"
        # The network matrix's bulk actions:
        CARRY = "carry", "Carry at chosen clinics"
        TAKE = "take", "Take the library's text where clinics kept its words"

    article = models.ForeignKey(
        LibraryArticlePage, on_delete=models.CASCADE, related_name="syndication_runs"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The library revision that was live when the run was asked for (None: unpublished).
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    planned_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "syndication run"

    def __str__(self):
        return (
            f"{self.get_kind_display()} “{self.article.title}” ({self.created_at:%Y-%m-%d %H:%M})"
        )


class SyndicationJob(models.Model):
    """One clinic's part of a run: queued, running, done or failed (with the error)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINISHED = (Status.DONE, Status.FAILED)

    run = models.ForeignKey(SyndicationRun, on_delete=models.CASCADE, related_name="jobs")
    clinic = models.ForeignKey(ClinicHomePage, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # What the job did: published, draft, restored, retitled, withdrawn, unchanged,
    # "skipped: no blog", "skipped: not taken" (at most 20 characters).
    outcome = models.CharField(max_length=20, blank=True)
    copy = models.ForeignKey(
        ClinicArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "clinic__path"]
        constraints = [
            models.UniqueConstraint(fields=["run", "clinic"], name="one_job_per_clinic_and_run")
        ]
        indexes = [models.Index(fields=["status", "run"])]
        verbose_name = "syndication job"

    def __str__(self):
        return f"{self.clinic.title}: {self.get_status_display()}"


class CopyWithdrawal(models.Model):
    """The revision a copy shows when its library article is live again: the one it had
    live when it was withdrawn with the article, which the article's republish publishes
    again (an import records an imported copy's revision the same way, so the library's
    first publish puts it live)."""

    page = models.OneToOneField(
        ClinicArticlePage, on_delete=models.CASCADE, primary_key=True, related_name="withdrawal"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "withdrawn copy"


class CopyFingerprint(models.Model):
    """A live copy's effective text as the text engine compares it (shingle hashes and
    MinHash signature), stored by the worker whenever the copy or its library article
    changes, so that nothing that compares copies has to resolve them again."""

    page = models.OneToOneField(
        ClinicArticlePage, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    source = models.ForeignKey(
        LibraryArticlePage, on_delete=models.CASCADE, related_name="copy_fingerprints"
    )
    hashes = models.BinaryField()
    signature = models.BinaryField()
    library_similarity = models.FloatField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "copy fingerprint"
