"""The tenant: a clinic is a Wagtail Site whose root page holds the clinic's facts.

Clinic-owned data lives on `ClinicHomePage`, so Wagtail's page permissions on the
clinic's subtree protect it.
"""

import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks, hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from clinics.admin_forms import ClinicPageForm
from clinics.blocks import HomeSectionsBlock
from clinics.brand import HomeLayouts, TypePairings, pairing_for
from clinics.colours import validate_contrast_with_white
from clinics.hours import HoursLine, summarise
from clinics.models.snippets import CallToAction, Person, Topic
from clinics.tokens import phone_href, validate_tokens

# Shown at the foot of every clinic page; the review engine counts it as the articles'
# medical disclaimer (review.pages).
MEDICAL_DISCLAIMER = (
    "The information on this site is for general informational purposes only and is not a "
    "substitute for professional medical advice. Consult a qualified clinician about your "
    "own care."
)


class Weekday(models.TextChoices):
    MONDAY = "Monday"
    TUESDAY = "Tuesday"
    WEDNESDAY = "Wednesday"
    THURSDAY = "Thursday"
    FRIDAY = "Friday"
    SATURDAY = "Saturday"
    SUNDAY = "Sunday"


# A clinic's home page is a child of the tree's root (see `parent_page_types`).
CLINIC_DEPTH = 2


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(choices=Weekday.choices)
    opens = blocks.TimeBlock()
    closes = blocks.TimeBlock()

    class Meta:
        icon = "time"
        label = "Opening hours"
        description = "Days sharing the same opening and closing time."
        preview_value = {"days": ["Monday", "Tuesday"], "opens": "09:00", "closes": "17:00"}

    def clean(self, value):
        value = super().clean(value)
        if value["opens"] and value["closes"] and value["opens"] >= value["closes"]:
            raise blocks.StructBlockValidationError(
                {"closes": ValidationError("Closing time must be after opening time.")}
            )
        return value


class CallToActionWording(models.Model):
    """Wording that rewords a shared call-to-action; blank fields inherit."""

    cta_headline = models.CharField(
        "headline", max_length=120, blank=True, validators=[validate_tokens]
    )
    cta_text = models.TextField(
        "text", max_length=500, blank=True, validators=[validate_tokens, MaxLengthValidator(500)]
    )
    cta_button_label = models.CharField(
        "button label", max_length=60, blank=True, validators=[validate_tokens]
    )

    class Meta:
        abstract = True

    cta_wording_panels = [
        FieldPanel("cta_headline"),
        FieldPanel("cta_text"),
        FieldPanel("cta_button_label"),
    ]


SEARCH_QUERY_CHARS = 100
SEARCH_RESULTS = 20


class ClinicHomePage(RoutablePageMixin, CallToActionWording, Page):
    """A clinic's home page and the root of its Site: the clinic's brand and facts, and
    the sections of its home page.

    Its routes: `/people/<slug>/`, the page of a shared author or medical reviewer (the
    `Person` snippet) on this clinic's domain; `/search/`, the search of this clinic's
    own pages.
    """

    class Syndication(models.TextChoices):
        ALL = "all", "Every library article"
        TOPICS = "topics", "Library articles on the chosen topics"
        MANUAL = "manual", "None automatically: we add articles ourselves"

    intro = models.TextField(
        max_length=500,
        blank=True,
        validators=[MaxLengthValidator(500)],
        help_text="A sentence or two under the clinic's name.",
    )
    sections = StreamField(
        HomeSectionsBlock(),
        blank=True,
        help_text="The home page's sections, in order. The location section shows the "
        "clinic's facts (Clinic facts tab).",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square mark, shown beside the clinic's name on the brand colour and "
        "as the clinic's logo in structured data.",
    )
    default_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in social previews of pages that have no image of their own.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The home page's large image. Choose one without text in it: the "
        "clinic's words are set beside or below it.",
    )
    type_pairing = models.CharField(
        "type",
        max_length=20,
        choices=TypePairings.choices,
        default=TypePairings.SYSTEM,
        help_text="Fonts for headings and text, from a vetted set of the readers' own "
        "system fonts (nothing is downloaded).",
    )
    home_layout = models.CharField(
        "home page layout",
        max_length=20,
        choices=HomeLayouts.choices,
        default=HomeLayouts.SPLIT,
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#1d4f91",
        validators=[validate_contrast_with_white],
        help_text="Header and buttons, behind white text.",
    )
    accent_colour = models.CharField(
        max_length=7,
        default="#8a3b12",
        validators=[validate_contrast_with_white],
        help_text="Links and highlights, on white.",
    )
    street_address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US", help_text="ISO 3166 code, e.g. US.")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="As visitors should read it.")
    email = models.EmailField(blank=True)
    booking_url = models.URLField(blank=True)
    opening_hours = StreamField([("hours", OpeningHoursBlock())], blank=True, max_num=14)
    social_links = StreamField(
        [("link", blocks.URLBlock(icon="link", label="Profile URL", max_length=500))],
        blank=True,
        max_num=12,
        help_text="The clinic's profiles elsewhere (listed as sameAs in structured data).",
    )

    default_call_to_action = models.ForeignKey(
        CallToAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    medical_disclaimer = models.TextField(
        default=MEDICAL_DISCLAIMER,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
        help_text="Shown at the foot of every page. Medical review expects it to say the "
        "content is not medical advice.",
    )

    syndication_mode = models.CharField(
        "carry library articles",
        max_length=10,
        choices=Syndication.choices,
        default=Syndication.ALL,
    )
    syndication_topics = ParentalManyToManyField(Topic, blank=True, related_name="+")
    publish_syndicated = models.BooleanField(
        "publish new library articles at once",
        default=True,
        help_text="Otherwise they arrive as drafts for this clinic to review and publish.",
    )

    class Corrections(models.TextChoices):
        MANUAL = "manual", "Show us the merge under Stale changes; we apply it ourselves"
        DRAFT = "draft", "Merge them into our wording as a draft for us to review"
        PUBLISH = (
            "publish",
            (
                "Publish the merge at once when the central team marks the edit as a medical "
                "correction (otherwise as a draft)"
            ),
        )

    library_corrections = models.CharField(
        "library edits to paragraphs we reworded",
        max_length=10,
        choices=Corrections.choices,
        default=Corrections.DRAFT,
        help_text="Where the library changes sentences we kept as it wrote them. A change "
        "to sentences we reworded always waits for us.",
    )

    base_form_class = ClinicPageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage", "clinics.TeamIndexPage", "clinics.LocationPage"]

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("sections")]
    facts_panels = [
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldRowPanel([FieldPanel("city"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("postal_code"), FieldPanel("country")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading="Address",
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("booking_url")],
            heading="Contact",
        ),
        FieldPanel("opening_hours"),
        FieldPanel("social_links"),
        FieldPanel("medical_disclaimer"),
    ]
    brand_panels = [
        FieldPanel("logo"),
        FieldPanel("hero_image"),
        FieldPanel("default_image"),
        FieldRowPanel([FieldPanel("brand_colour"), FieldPanel("accent_colour")]),
        FieldRowPanel([FieldPanel("type_pairing"), FieldPanel("home_layout")]),
    ]
    call_to_action_panels = [
        FieldPanel("default_call_to_action"),
        MultiFieldPanel(
            CallToActionWording.cta_wording_panels,
            heading="Our wording",
            help_text="Leave blank to use the shared wording.",
        ),
    ]
    syndication_panels = [
        FieldPanel("syndication_mode"),
        FieldPanel("syndication_topics"),
        FieldPanel("publish_syndicated"),
        FieldPanel("library_corrections"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(facts_panels, heading="Clinic facts"),
            ObjectList(brand_panels, heading="Brand"),
            ObjectList(call_to_action_panels, heading="Call-to-action"),
            ObjectList(syndication_panels, heading="Library articles"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    class Meta:
        verbose_name = "clinic"

    # Read on every page (the header's logo, the home page's hero, the share image).
    BRAND_IMAGES = ("logo", "hero_image", "default_image")

    @classmethod
    def owning(cls, page) -> "ClinicHomePage | None":
        """The clinic whose subtree holds `page` (None for the library's pages)."""
        return cls.owning_each([page]).get(page.pk)

    @classmethod
    def owning_each(cls, pages) -> dict[int, "ClinicHomePage"]:
        """Each page's clinic, keyed by page id, in one query. Clinics are children of
        the tree's root, so a page's clinic is its ancestor at depth 2."""
        prefix = {page.pk: page.path[: Page.steplen * CLINIC_DEPTH] for page in pages}
        clinics = {c.path: c for c in cls.objects.filter(path__in=set(prefix.values()))}
        return {pk: clinics[path] for pk, path in prefix.items() if path in clinics}

    @classmethod
    def for_request(cls, request) -> "ClinicHomePage | None":
        """The clinic whose Site serves the request's host (cached on the request)."""
        if not hasattr(request, "_clinic"):
            site = Site.find_for_request(request)
            clinics = cls.objects.select_related(*cls.BRAND_IMAGES)
            request._clinic = clinics.filter(pk=site.root_page_id).first() if site else None
        return request._clinic

    def opening_hours_lines(self) -> list[HoursLine]:
        """The opening hours as visitors read them (`clinics.hours.summarise`)."""
        return summarise(
            (row.value["days"], row.value["opens"], row.value["closes"])
            for row in self.opening_hours
        )

    @property
    def type(self):
        """The type pairing this clinic chose (`clinics.brand`)."""
        return pairing_for(self.type_pairing)

    @property
    def hero_slot(self) -> str:
        """The image slot (`clinics.brand.IMAGE_SLOTS`) of the home page's layout."""
        return "home-banner" if self.home_layout == HomeLayouts.BANNER else "home-split"

    @cached_property
    def hero_picture(self):
        """The image the home page's hero shows (to preload it): a hero section's own,
        else the clinic's hero image (templates/includes/home_hero.html decides alike)."""
        for section in self.sections:
            if section.block_type == "hero":
                return section.value.get("image") or self.hero_image
        return self.hero_image

    @property
    def brand_version(self) -> str:
        """Changes with whatever `/brand.css` says: its URL names it, so the stylesheet
        can be cached for a year."""
        return f"{self.brand_colour[1:]}{self.accent_colour[1:]}{self.type_pairing}"

    @property
    def phone_href(self) -> str:
        return phone_href(self.phone)

    @property
    def map_url(self) -> str:
        """A link to the clinic on OpenStreetMap: its coordinates, else its address."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
            return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        address = ", ".join(
            part for part in (self.street_address, self.city, self.region, self.postal_code) if part
        )
        if not address:
            return ""
        return "https://www.openstreetmap.org/search?" + urlencode({"query": address})

    @classmethod
    def person_path(cls, slug: str) -> str:
        """A shared person's page below a clinic's home (its `person` route), as
        "people/<slug>/"."""
        return cls.get_resolver().reverse("person", slug).lstrip("/")

    def person_url(self, person, request=None, *, full: bool = False) -> str:
        """The page of a shared person (author, medical reviewer) on this clinic's site
        (`full`: with the scheme and host)."""
        if person is None or not person.slug:
            return ""
        base = (self.get_full_url(request) if full else self.get_url(request)) or ""
        return base + self.person_path(person.slug)

    # --- routes ----------------------------------------------------------------------

    @path("people/<slug:slug>/", name="person")
    def person_view(self, request, slug):
        person = Person.objects.filter(slug=slug).first()
        if person is None:
            raise Http404("No such person.")
        context = {"person": person, "routed_title": person.name}
        for add_to_context in hooks.get_hooks("construct_person_page_context"):
            add_to_context(self, person, request, context)
        return self.render(request, template="clinics/person_page.html", context_overrides=context)

    @path("search/", name="search")
    def search_view(self, request):
        from clinics.search import search_clinic

        # Its words only: punctuation means nothing to the search, and the backends'
        # query parsers fail on some (SQLite's on an unbalanced quote, PostgreSQL's on NUL).
        words = re.findall(r"\w+", request.GET.get("q", "")[: SEARCH_QUERY_CHARS * 4])
        query = " ".join(words)[:SEARCH_QUERY_CHARS].strip()
        results = search_clinic(self, query, limit=SEARCH_RESULTS) if query else []
        return self.render(
            request,
            template="clinics/search_page.html",
            context_overrides={
                "search_query": query,
                "search_results": results,
                "routed_title": f"Search: {query}" if query else "Search",
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request) or ""
        for slug in Person.objects.filter(slug__gt="").values_list("slug", flat=True):
            urls.append({"location": base + self.person_path(slug)})
        return urls

    def clean(self):
        super().clean()
        errors = {}
        cta = self.default_call_to_action
        if cta is not None and (missing := cta.missing_clinic_fact(self)):
            errors["default_call_to_action"] = ValidationError(
                f"“{cta}” links to the clinic's {missing}, which is not set: "
                f"add it under Clinic facts or choose another call-to-action."
            )
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["section_types"] = {block["type"] for block in self.sections.raw_data}
        # The home page itself, not one of its routes (people, search): apps above this
        # one (the blog) add what the home page shows of theirs.
        match = getattr(request, "routable_resolver_match", None)
        if match is None or match.url_name == "index_route":
            for add_to_context in hooks.get_hooks("construct_clinic_home_context"):
                add_to_context(self, request, context)
        return context
