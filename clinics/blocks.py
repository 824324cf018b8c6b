"""The home page's sections, as StreamField blocks an editor arranges.

The clinic's facts (address, hours, phone, booking link) stay on `ClinicHomePage`; the
location block shows them, so they are typed once. The articles block shows the blog's
cards: the blog adds them to the page's context (`construct_clinic_home_context`), since
this app does not import the blog. The team block lists the clinic's own team pages.
"""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

TEAM_LIMIT = 8
ARTICLES_LIMIT = 6


class HeroBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, required=False, help_text="Blank: the clinic's name."
    )
    text = blocks.TextBlock(max_length=300, required=False)
    image = ImageChooserBlock(required=False)
    show_booking = blocks.BooleanBlock(
        required=False, default=True, label="Show the booking button"
    )

    class Meta:
        icon = "pick"
        template = "blocks/home_hero.html"
        label = "Hero"
        description = "The page's main heading, a sentence and the booking button."
        preview_value = {
            "heading": "Ketamine therapy, with care at every step",
            "text": "Treatment for depression, anxiety and PTSD.",
            "show_booking": True,
        }


class ServiceBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80)
    description = blocks.TextBlock(max_length=400, required=False)
    page = blocks.PageChooserBlock(required=False, help_text="A page of this site about it.")

    class Meta:
        icon = "list-ul"
        label = "Service"


class ServicesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Our services")
    services = blocks.ListBlock(ServiceBlock(), min_num=1, max_num=12)

    class Meta:
        icon = "list-ul"
        template = "blocks/home_services.html"
        label = "Services"
        description = "The treatments the clinic offers, each with a sentence."
        preview_value = {
            "heading": "Our services",
            "services": [
                {"name": "Ketamine infusion therapy", "description": "For depression and PTSD."},
                {"name": "Integration sessions", "description": "Making sense of treatment."},
            ],
        }


class ArticlesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Latest articles")
    featured = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="blog.ClinicArticlePage"),
        max_num=ARTICLES_LIMIT,
        required=False,
        help_text="Articles of this clinic's blog to show first. Blank: the latest.",
    )
    fill_with_latest = blocks.BooleanBlock(
        required=False, default=True, help_text="Fill the rest with the latest articles."
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/home_articles.html"
        label = "Articles"
        description = "Featured articles of this clinic's blog, then the latest ones."
        preview_value = {"heading": "Latest articles", "featured": [], "fill_with_latest": True}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        # The blog's cards of this clinic's live articles (`blog.wagtail_hooks`): a
        # featured page that is not one (a draft, another clinic's) is not shown.
        cards = (parent_context or {}).get("home_article_cards") or {}
        latest = (parent_context or {}).get("latest_articles") or []
        chosen = [cards[page.pk] for page in value["featured"] if page and page.pk in cards]
        if value["fill_with_latest"] or not value["featured"]:
            seen = {card.pk for card in chosen}
            chosen += [card for card in latest if card.pk not in seen]
        context["cards"] = chosen[:ARTICLES_LIMIT]
        return context


class TeamBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Our team")
    text = blocks.TextBlock(max_length=300, required=False)

    class Meta:
        icon = "group"
        template = "blocks/home_team.html"
        label = "Team"
        description = "The clinic's team: its team pages, with photo and credentials."
        preview_value = {"heading": "Our team", "text": "The people who care for you."}

    def get_context(self, value, parent_context=None):
        from clinics.models import TeamMemberPage

        context = super().get_context(value, parent_context)
        clinic = (parent_context or {}).get("page")
        members = []
        if clinic is not None and clinic.pk:
            members = list(
                TeamMemberPage.objects.live()
                .descendant_of(clinic)
                .select_related("photo")
                .order_by("path")[:TEAM_LIMIT]
            )
        context["members"] = members
        return context


class LocationBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Visit us")
    text = blocks.TextBlock(max_length=400, required=False, help_text="e.g. parking, transit.")

    class Meta:
        icon = "site"
        template = "blocks/home_location.html"
        label = "Location and hours"
        description = "The clinic's address, opening hours, phone and a map link."
        preview_value = {"heading": "Visit us", "text": "Free parking behind the building."}


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.TextBlock(max_length=1500)

    class Meta:
        icon = "help"
        label = "Question"


class FAQBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, default="Frequently asked questions")
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, max_num=20)

    class Meta:
        icon = "help"
        template = "blocks/home_faq.html"
        label = "Questions and answers"
        description = "Questions visitors ask, with answers (FAQPage structured data)."
        preview_value = {
            "heading": "Frequently asked questions",
            "questions": [
                {
                    "question": "Do I need a referral?",
                    "answer": "No. Call us and we will talk you through the first visit.",
                }
            ],
        }

    def clean(self, value):
        value = super().clean(value)
        seen = set()
        for item in value["questions"]:
            key = " ".join(item["question"].lower().split())
            if key in seen:
                raise ValidationError(f"“{item['question']}” is asked twice.")
            seen.add(key)
        return value


class HomeSectionsBlock(blocks.StreamBlock):
    hero = HeroBlock()
    services = ServicesBlock()
    articles = ArticlesBlock()
    team = TeamBlock()
    location = LocationBlock()
    faq = FAQBlock()

    class Meta:
        block_counts = {"hero": {"max_num": 1}, "faq": {"max_num": 1}}


def faq_items(stream) -> list[dict]:
    """Every question and answer of a sections stream (for the FAQPage data)."""
    return [
        {"question": item["question"], "answer": item["answer"]}
        for block in stream
        if block.block_type == "faq"
        for item in block.value["questions"]
    ]
