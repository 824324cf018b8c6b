"""The shared article library: written once, routable nowhere."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from blog.blocks import ArticleBodyBlock, ReferenceBlock
from blog.panels import LibraryCopiesPanel
from clinics.models import ClinicHomePage, Person, Topic
from clinics.tokens import validate_tokens


def block_fingerprint(block_type: str, raw_value) -> str:
    """A stable hash of one stored block, to tell when the library changed under an override."""
    payload = json.dumps([block_type, raw_value], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class ArticleLibraryPage(Page):
    """The shared library's root. No Site points here, and it refuses to route besides."""

    intro = models.TextField(blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.LibraryArticlePage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = []

    class Meta:
        verbose_name = "article library"

    def route(self, request, path_components):
        # Belt and braces: even if a Site were pointed here by mistake, library
        # articles are not public pages.
        raise Http404

    def get_sitemap_urls(self, request=None):
        return []


class LibraryArticlePage(Page):
    """An article written once by the central team and carried by every clinic's blog."""

    summary = models.TextField(
        help_text="One or two sentences for listings and search results.",
        validators=[validate_tokens],
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ArticleBodyBlock())
    author = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = ParentalManyToManyField(Topic, blank=True, related_name="library_articles")
    about_condition = models.CharField(
        max_length=120, blank=True, help_text="The condition the article is about, e.g. PTSD."
    )
    references = StreamField([("reference", ReferenceBlock())], blank=True)
    focus_keyphrase = models.CharField(
        max_length=100,
        blank=True,
        help_text="What searchers type to find this article, e.g. “causes of PTSD”.",
    )
    focus_with_city = models.BooleanField(
        "also look for the clinic's city",
        default=False,
        help_text="For local search: each clinic's copy should name its city too.",
    )
    primary_clinic = models.ForeignKey(
        ClinicHomePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The clinic whose copy search engines should prefer.",
    )
    medical_correction = models.BooleanField(
        "this edit is a medical correction",
        default=False,
        help_text=(
            "Clinics that allow it get the correction merged into their reworded "
            "paragraphs and published at once; others get it as a draft. Untick it for "
            "later edits that are not corrections."
        ),
    )
    offered_to_subscribers = models.BooleanField(
        "offer to every clinic that takes library articles",
        default=True,
        help_text=(
            "Off: only the clinics that carry it already get it (an imported article "
            "starts so: its clinics' posts). Turn on to offer it to the network."
        ),
    )

    parent_page_types = ["blog.ArticleLibraryPage"]
    subpage_types = []

    content_panels = [
        TitleFieldPanel("title", help_text="May use {clinic}, {city} and {phone}."),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("about_condition"),
                FieldPanel("focus_keyphrase"),
                FieldPanel("focus_with_city"),
            ],
            heading="Authorship",
            help_text=(
                "The medical reviewer and review date are not typed here: they come "
                "from a medical reviewer's approval in the Medical review workflow."
            ),
        ),
        FieldPanel("topics"),
        FieldPanel("references"),
        # seo and review add their read-only panels here and below (their AppConfig.ready()).
    ]
    promote_panels = Page.promote_panels + [
        FieldPanel("primary_clinic"),
        FieldPanel("offered_to_subscribers"),
        FieldPanel("medical_correction"),
        LibraryCopiesPanel(heading="Clinics carrying this article"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "library article"

    def clean(self):
        super().clean()
        try:
            validate_tokens(self.title)
        except ValidationError as error:
            raise ValidationError({"title": error}) from None

    # --- Preview as a clinic: the draft as it will read on any clinic's domain ---------

    PREVIEW_CLINIC = "clinic-"

    # Cached on the instance: Wagtail's preview panel reads both once per mode.
    default_preview_mode = ""

    @cached_property
    def preview_modes(self):
        clinics = ClinicHomePage.objects.live().order_by("title").values_list("pk", "title")
        return [
            ("", "In the library"),
            *((f"{self.PREVIEW_CLINIC}{pk}", f"On {title}") for pk, title in clinics),
        ]

    def serve_preview(self, request, mode_name):
        """In a clinic's mode: this draft through that clinic's copy (its changes, or a
        new copy's defaults where it carries none yet), with the clinic's Site, theme,
        tokens and call-to-action, as its page will read once published."""
        from blog.models.clinic_articles import ClinicArticlePage  # it imports this module

        clinic = None
        if mode_name.startswith(self.PREVIEW_CLINIC):
            pk = mode_name.removeprefix(self.PREVIEW_CLINIC)
            clinic = ClinicHomePage.objects.live().filter(pk=pk).first() if pk.isdigit() else None
        if clinic is None:
            return super().serve_preview(request, mode_name)
        copy = (
            ClinicArticlePage.objects.descendant_of(clinic).filter(source_id=self.pk).first()
            if self.pk
            else None
        ) or ClinicArticlePage(title=self.title, slug=self.slug)
        copy.source = self  # the draft being previewed, not the live article
        copy.clinic = clinic
        # The clinic's domain, as its visitors' requests resolve it (Wagtail's and the
        # clinic context processor's per-request caches).
        request._wagtail_site = clinic.get_site()
        request._clinic = clinic
        request.is_preview = True
        request.preview_mode = mode_name
        response = copy.serve(request)
        patch_cache_control(response, private=True)
        return response

    def blocks_by_id(self) -> dict[str, dict]:
        """Each body block's id mapped to the stored (live) block."""
        return {block["id"]: block for block in self.body.raw_data if block.get("id")}

    def block_fingerprints(self) -> dict[str, str]:
        """Each body block's id mapped to its fingerprint, from the stored (live) data."""
        return {
            block["id"]: block_fingerprint(block["type"], block["value"])
            for block in self.body.raw_data
            if block.get("id")
        }
