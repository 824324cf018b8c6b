"""What an import wrote, keyed by where it came from, so that running it again changes
nothing and later imports can merge new posts into the articles already imported."""

from django.db import models

from blog.models import ClinicArticlePage, LibraryArticlePage
from clinics.models import ClinicHomePage


class ImportedItem(models.Model):
    """One imported post: its source identifier, what it became, and its parsed text
    (to match posts imported later against it)."""

    source_key = models.CharField(
        max_length=255,
        unique=True,
        help_text="Where the post came from, e.g. wordpress:https://clinic.example:123.",
    )
    clinic = models.ForeignKey(ClinicHomePage, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        LibraryArticlePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="imported_items",
        help_text="The library article the post was merged into.",
    )
    page = models.ForeignKey(
        ClinicArticlePage,
        null=True,
        on_delete=models.SET_NULL,
        related_name="imported_items",
        help_text="The clinic's copy that carries the post.",
    )
    content_hash = models.CharField(max_length=64)
    data = models.JSONField(help_text="The post as read: title, blocks and topics.")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "imported post"
        ordering = ["pk"]

    def __str__(self):
        return self.source_key
