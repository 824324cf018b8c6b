"""The tenant: a clinic is a Wagtail Site whose root page holds the clinic's facts.

Clinic-owned data lives on `ClinicHomePage`, so Wagtail's page permissions on the
clinic's subtree protect it. The shared `CallToAction` is a snippet: snippets are
global, so only the central team may edit it; each clinic chooses one and may reword
it on its own page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Page, RevisionMixin, Site
from wagtail.search import index

from clinics.admin_forms import ClinicPageForm
from clinics.colours import validate_contrast_with_white
from clinics.tokens import clinic_token_values, render_tokens, validate_tokens

# Shown at the foot of every clinic page; the review engine counts it as the articles'
# medical disclaimer (review.pages).
MEDICAL_DISCLAIMER = (
    "The information on this site is for general informational purposes only and is not a "
    "substitute for professional medical advice. Consult a qualified clinician about your "
    "own care."
)

WEEKDAYS = [
    ("Monday", "Monday"),
    ("Tuesday", "Tuesday"),
    ("Wednesday", "Wednesday"),
    ("Thursday", "Thursday"),
    ("Friday", "Friday"),
    ("Saturday", "Saturday"),
    ("Sunday", "Sunday"),
]


class OpeningHoursBlock(blocks.StructBlock):
    days = blocks.MultipleChoiceBlock(choices=WEEKDAYS)
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
    cta_text = models.TextField("text", blank=True, validators=[validate_tokens])
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


@dataclass(frozen=True)
class RenderedCallToAction:
    """A call-to-action as one clinic shows it: tokens filled, link resolved."""

    headline: str
    text: str
    button_label: str
    url: str


class CallToAction(RevisionMixin, index.Indexed, models.Model):
    """A call-to-action written once by the central team and shown by every clinic."""

    LINK_BOOKING = "booking"
    LINK_PHONE = "phone"
    LINK_PAGE = "page"
    LINK_URL = "url"
    LINK_CHOICES = [
        (LINK_BOOKING, "The clinic's booking URL"),
        (LINK_PHONE, "The clinic's phone number"),
        (LINK_PAGE, "A page"),
        (LINK_URL, "Another URL"),
    ]

    name = models.CharField(max_length=80, unique=True, help_text="For editors only.")
    headline = models.CharField(
        max_length=120,
        help_text="May use {clinic}, {city} and {phone}.",
        validators=[validate_tokens],
    )
    text = models.TextField(blank=True, validators=[validate_tokens])
    button_label = models.CharField(max_length=60, validators=[validate_tokens])
    link_type = models.CharField(max_length=10, choices=LINK_CHOICES, default=LINK_BOOKING)
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
        if self.link_type == self.LINK_PAGE and not self.link_page:
            raise ValidationError({"link_page": "Choose the page the button links to."})
        if self.link_type == self.LINK_URL and not self.link_url:
            raise ValidationError({"link_url": "Enter the URL the button links to."})

    def missing_clinic_fact(self, clinic) -> str | None:
        """The clinic fact this call-to-action needs but the clinic has not set."""
        if self.link_type == self.LINK_BOOKING and not clinic.booking_url:
            return "booking URL"
        if self.link_type == self.LINK_PHONE and not clinic.phone:
            return "phone number"
        return None

    def link_for(self, clinic, request=None) -> str:
        if self.link_type == self.LINK_BOOKING:
            return clinic.booking_url
        if self.link_type == self.LINK_PHONE:
            return clinic.phone_href
        if self.link_type == self.LINK_PAGE and self.link_page_id:
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
            text=render_tokens(pick("cta_text", self.text), values),
            button_label=render_tokens(pick("cta_button_label", self.button_label), values),
            url=self.link_for(clinic, request),
        )


class ClinicHomePage(CallToActionWording, Page):
    """A clinic's home page and the root of its Site: the clinic's brand and facts."""

    SYNDICATE_ALL = "all"
    SYNDICATE_TOPICS = "topics"
    SYNDICATE_MANUAL = "manual"
    SYNDICATION_CHOICES = [
        (SYNDICATE_ALL, "Every library article"),
        (SYNDICATE_TOPICS, "Library articles on the chosen topics"),
        (SYNDICATE_MANUAL, "None automatically: we add articles ourselves"),
    ]

    intro = models.TextField(blank=True, help_text="A sentence or two under the clinic's name.")
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    default_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in social previews of pages that have no image of their own.",
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
    opening_hours = StreamField([("hours", OpeningHoursBlock())], blank=True)
    social_links = StreamField(
        [("link", blocks.URLBlock(icon="link", label="Profile URL"))],
        blank=True,
        help_text="The clinic's profiles elsewhere (listed as sameAs in structured data).",
    )

    default_call_to_action = models.ForeignKey(
        CallToAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    medical_disclaimer = models.TextField(
        default=MEDICAL_DISCLAIMER,
        help_text="Shown at the foot of every page. Medical review expects it to say the "
        "content is not medical advice.",
    )

    syndication_mode = models.CharField(
        "carry library articles", max_length=10, choices=SYNDICATION_CHOICES, default=SYNDICATE_ALL
    )
    syndication_topics = ParentalManyToManyField("blog.Topic", blank=True, related_name="+")
    publish_syndicated = models.BooleanField(
        "publish new library articles at once",
        default=True,
        help_text="Otherwise they arrive as drafts for this clinic to review and publish.",
    )

    base_form_class = ClinicPageForm
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["blog.BlogIndexPage"]

    content_panels = Page.content_panels + [FieldPanel("intro")]
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
        FieldPanel("default_image"),
        FieldRowPanel([FieldPanel("brand_colour"), FieldPanel("accent_colour")]),
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

    @classmethod
    def for_request(cls, request) -> "ClinicHomePage | None":
        """The clinic whose Site serves the request's host (cached on the request)."""
        if not hasattr(request, "_clinic"):
            site = Site.find_for_request(request)
            request._clinic = cls.objects.filter(pk=site.root_page_id).first() if site else None
        return request._clinic

    @property
    def phone_href(self) -> str:
        digits = "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")
        return f"tel:{digits}" if digits else ""

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
        from blog.models import ClinicArticlePage

        context["latest_articles"] = ClinicArticlePage.objects.for_listing(self)[:6]
        return context
