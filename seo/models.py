"""Stored canonical decisions for clinic copies of library articles.

The decision depends on every live copy of the same library article, so it is
computed when any of them (or the library article) is published or unpublished, and
stored here: a page render reads one row, whatever the number of clinics.
"""

from django.db import models


class CanonicalDecision(models.Model):
    class Outcome(models.TextChoices):
        SELF = "self", "Canonical to itself"
        OTHER = "other", "Canonical to another clinic's copy"
        NOINDEX = "noindex", "Kept out of search results"

    page = models.OneToOneField(
        "blog.ClinicArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="canonical_decision",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SELF)
    target = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    library_similarity = models.FloatField(null=True, blank=True)
    max_similarity = models.FloatField(default=0.0)
    # {"<page id>": similarity} for every other live copy of the same library article.
    similarities = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "canonical decision"

    def __str__(self):
        return f"{self.page_id}: {self.outcome}"
