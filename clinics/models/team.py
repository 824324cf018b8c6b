"""A clinic's own pages about itself: its team and its location.

These are pages in the clinic's tree, never snippets: the clinic's editors change them
under their page permissions, and no other clinic's editor can. The central team's
authors and medical reviewers (the shared `Person` snippet) are shown on every clinic's
domain by a route of the clinic's home page (`ClinicHomePage.person_view`).
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from clinics.admin_forms import ClinicPageForm


class TeamIndexPage(Page):
    """The clinic's team: lists its team member pages."""

    intro = models.TextField(max_length=500, blank=True, validators=[MaxLengthValidator(500)])

    base_form_class = ClinicPageForm
    parent_page_types = ["clinics.ClinicHomePage"]
    subpage_types = ["clinics.TeamMemberPage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    def describe_for_search(self, clinic) -> str:
        where = f" in {clinic.city}" if clinic.city else ""
        return f"The people who care for you at {clinic.title}{where}, and their credentials."

    class Meta:
        verbose_name = "team"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["members"] = (
            TeamMemberPage.objects.live().child_of(self).select_related("photo").order_by("path")
        )
        return context


class TeamMemberPage(Page):
    """One person of the clinic's own team, with credentials (a ProfilePage)."""

    credentials = models.CharField(
        max_length=120, blank=True, help_text="e.g. MD, board-certified psychiatrist."
    )
    job_title = models.CharField(max_length=120, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = models.TextField(max_length=3000, blank=True, validators=[MaxLengthValidator(3000)])
    same_as = StreamField(
        [("link", blocks.URLBlock(icon="link", label="Profile URL", max_length=500))],
        blank=True,
        max_num=8,
        verbose_name="profiles elsewhere",
        help_text="e.g. a licensing board's record or a professional profile (sameAs).",
    )

    base_form_class = ClinicPageForm
    parent_page_types = ["clinics.TeamIndexPage"]
    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("credentials"),
        FieldPanel("job_title"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("same_as"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("credentials"),
        index.SearchField("job_title"),
        index.SearchField("bio"),
    ]

    class Meta:
        verbose_name = "team member"

    @property
    def name(self) -> str:
        return self.title

    @property
    def same_as_urls(self) -> list[str]:
        return [link.value for link in self.same_as]

    def describe_for_search(self, clinic) -> str:
        who = ", ".join(part for part in (self.title, self.credentials, self.job_title) if part)
        return f"{who}, at {clinic.title}. {self.bio}".strip()


class LocationPage(Page):
    """How to find and reach the clinic. The address, hours, phone and booking link are
    the clinic's facts (its home page's Clinic facts tab), shown here, typed once."""

    intro = models.TextField(max_length=500, blank=True, validators=[MaxLengthValidator(500)])
    directions = models.TextField(
        max_length=2000,
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text="Parking, public transport, the entrance.",
    )

    base_form_class = ClinicPageForm
    parent_page_types = ["clinics.ClinicHomePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("directions")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("directions"),
    ]

    class Meta:
        verbose_name = "location and contact page"
