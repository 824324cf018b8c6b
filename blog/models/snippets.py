"""Shared records the central team keeps: topics clinics subscribe to, and the people
who write and medically review library articles."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Topic(index.Indexed, models.Model):
    """A subject clinics can subscribe to (shared, edited by the central team)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(index.Indexed, models.Model):
    """An author or medical reviewer of library articles (shared)."""

    name = models.CharField(max_length=120)
    credentials = models.CharField(
        max_length=120, blank=True, help_text="e.g. MD, board-certified psychiatrist."
    )
    job_title = models.CharField(max_length=120, blank=True)
    profile_url = models.URLField(blank=True, help_text="A page about this person.")
    bio = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("credentials"),
        FieldPanel("job_title"),
        FieldPanel("profile_url"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return f"{self.name}, {self.credentials}" if self.credentials else self.name
