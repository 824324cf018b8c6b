"""Shared records the central team keeps: the call-to-action every clinic shows, the
topics clinics subscribe to, and the people who write and medically review articles.

Snippets are global in Wagtail (any editor with a snippet model's permission can edit
every instance), so only the central team may change them; clinics may choose them.
Nothing clinic-owned is a snippet.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from clinics.tokens import (
    clinic_token_values,
    render_text_html,
    render_tokens,
    validate_tokens,
)


@dataclass(frozen=True)
class RenderedCallToAction:
    """A call-to-action as one clinic shows it: tokens filled, link resolved."""

    headline: str
    text: str  # HTML: escaped, the clinic's phone a `tel:` link
    button_label: str
    url: str


class CallToAction(RevisionMixin, index.Indexed, models.Model):
    """A call-to-action written once by the central team and shown by every clinic."""

    class Link(models.TextChoices):
        BOOKING = "booking", "The clinic's booking URL"
        PHONE = "phone", "The clinic's phone number"
        PAGE = "page", "A page"
        URL = "url", "Another URL"

    name = models.CharField(max_length=80, unique=True, help_text="For editors only.")
    headline = models.CharField(
        max_length=120,
        help_text="May use {clinic}, {city} and {phone}.",
        validators=[validate_tokens],
    )
    text = models.TextField(
        max_length=500, blank=True, validators=[validate_tokens, MaxLengthValidator(500)]
    )
    button_label = models.CharField(max_length=60, validators=[validate_tokens])
    link_type = models.CharField(max_length=10, choices=Link.choices, default=Link.BOOKING)
    link_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    link_url = models.URLField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("headline"),
        FieldPanel("text"),
        FieldPanel("button_label"),
        MultiFieldPanel(
            [FieldPanel("link_type"), FieldPanel("link_page"), FieldPanel("link_url")],
            heading="Button link",
        ),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("headline")]

    class Meta:
        verbose_name = "call-to-action"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.link_type == self.Link.PAGE and not self.link_page:
            raise ValidationError({"link_page": "Choose the page the button links to."})
        if self.link_type == self.Link.URL and not self.link_url:
            raise ValidationError({"link_url": "Enter the URL the button links to."})

    def missing_clinic_fact(self, clinic) -> str | None:
        """The clinic fact this call-to-action needs but the clinic has not set."""
        if self.link_type == self.Link.BOOKING and not clinic.booking_url:
            return "booking URL"
        if self.link_type == self.Link.PHONE and not clinic.phone:
            return "phone number"
        return None

    def link_for(self, clinic, request=None) -> str:
        if self.link_type == self.Link.BOOKING:
            return clinic.booking_url
        if self.link_type == self.Link.PHONE:
            return clinic.phone_href
        if self.link_type == self.Link.PAGE and self.link_page_id:
            return self.link_page.get_url(request) or ""
        return self.link_url

    def render_for(self, clinic, *wordings, request=None) -> RenderedCallToAction:
        """Fill the wording for `clinic`; the first wording that sets a field wins."""

        def pick(field, default):
            for wording in wordings:
                value = getattr(wording, field, "") if wording is not None else ""
                if value:
                    return value
            return default

        values = clinic_token_values(clinic)
        return RenderedCallToAction(
            headline=render_tokens(pick("cta_headline", self.headline), values),
            text=render_text_html(pick("cta_text", self.text), values),
            button_label=render_tokens(pick("cta_button_label", self.button_label), values),
            url=self.link_for(clinic, request),
        )


class Topic(index.Indexed, models.Model):
    """A subject clinics can subscribe to (shared, edited by the central team)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    call_to_action = models.ForeignKey(
        CallToAction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Shown on articles on this topic instead of each clinic's default "
            "call-to-action (unless the article chooses its own). Leave empty for the "
            "clinic's default."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("call_to_action")]
    search_fields = [index.SearchField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(index.Indexed, models.Model):
    """An author or medical reviewer of library articles (shared). Each clinic's site
    shows the person's page at `/people/<slug>/` (`ClinicHomePage.person_view`)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        blank=True,
        default=None,
        null=True,
        help_text="The person's page on every clinic's site: /people/<slug>/. Blank: "
        "made from the name.",
    )
    credentials = models.CharField(
        max_length=120, blank=True, help_text="e.g. MD, board-certified psychiatrist."
    )
    job_title = models.CharField(max_length=120, blank=True)
    profile_url = models.URLField(
        blank=True,
        help_text="A page about this person elsewhere (a licensing board's record, a "
        "university profile): linked from their page, and sameAs in structured data.",
    )
    bio = models.TextField(max_length=2000, blank=True, validators=[MaxLengthValidator(2000)])

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
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

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_person_slug(self.name, exclude=self.pk)
        super().save(*args, **kwargs)


def unique_person_slug(name: str, exclude=None) -> str:
    base = slugify(name)[:70] or "person"
    taken = set(
        Person.objects.filter(slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
