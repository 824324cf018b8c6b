"""The demo network: two clinics carrying one library article, "What Causes PTSD?".

The article is imported from the two clinics' seed files (`tests/fixtures/seeds/`) by
the importer (`imports`, through the `load_demo_articles` hook), which merges them: the
library article is Nova Health Recovery's text with the clinic named through the
`{clinic}` token, and Three Rivers Wellness carries it with its own wording as
overrides, hidden blocks and clinic-only blocks. Rendered, each clinic's page
reproduces its seed file word for word.
"""

import os
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks
from wagtail.models import Page

from blog import demo_images
from blog.models import ArticleLibraryPage, ClinicArticlePage, LibraryArticlePage
from blog.provisioning import create_clinic
from blog.syndication import run_now
from clinics.models import (
    CallToAction,
    LocationPage,
    Person,
    TeamIndexPage,
    TeamMemberPage,
    Topic,
)
from clinics.provisioning import (
    SHARED_COLLECTION,
    collection_named,
    provision_central_team,
    provision_clinic,
)
from textreview.merge import ClinicFacts, Post, read_plain_text, tokenise_post

DEMO_PASSWORD = "demo-password"  # noqa: S105  (local demo accounts only)
# The port the demo is served on (`make demo PORT=8001`): its Sites' URLs name it.
PORT = int(os.environ.get("PORT", "8000"))


# The seed files: two clinics' versions of one article. The importer (the imports
# app) merges them into one library article, Nova's text with the clinic named by
# `{clinic}`, plus Three Rivers' overrides: the structure is produced, not written here.
SEEDS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seeds"
SEED_FILES = (
    "nova-health-recovery--what-causes-ptsd.txt",
    "three-rivers-wellness--what-causes-ptsd.txt",
)


def _seed_body() -> list[dict]:
    """Nova's seed as stored body blocks, its name as `{clinic}` (for benchmarks that
    need a realistic article body without importing anything)."""
    _, blocks = read_plain_text((SEEDS / SEED_FILES[0]).read_text(encoding="utf-8"))
    nova = ClinicFacts("Nova Health Recovery", "Portland", "(503) 555-0140")
    post = tokenise_post(Post("nova", "nova", None, blocks), nova)
    return [
        {
            "type": block.kind,
            "value": block.value,
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/what-causes-ptsd/{n}")),
        }
        for n, block in enumerate(post.blocks)
    ]


LIBRARY_BODY = _seed_body()


def demo_user(username: str, *, groups=(), superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = superuser
        user.save()
    user.groups.add(*groups)
    return user


def _image(title: str, data: bytes, filename: str, collection: str, description=""):
    return demo_images.store(title, data, filename, collection_named(collection), description)


def _clinic_brand(title: str, slug: str, brand: str, accent: str, logo, hero, alt) -> dict:
    """A demo clinic's logo and hero image (drawn by `blog.demo_images`) in its own
    collection, as the facts `create_clinic` takes."""
    data = hero(brand, accent, slug)
    hero_image = _image(f"{title}: home page", data, f"{slug}-hero.jpg", title, alt)
    return {
        "logo": _image(f"{title}: logo", logo(brand, accent), f"{slug}-logo.png", title),
        "hero_image": hero_image,
        "default_image": hero_image,
        "brand_colour": brand,
        "accent_colour": accent,
    }


def load_demo() -> bool:
    """Build the demo network; a second call finds it and changes nothing."""
    if ArticleLibraryPage.objects.exists():
        return False
    _build_network()
    return True


@transaction.atomic
def _build_network() -> None:
    root = Page.get_first_root_node()
    # Wagtail's initial "Welcome" page and its catch-all Site: unknown hosts get a 404.
    for page in root.get_children().filter(content_type__model="page"):
        page.delete()

    library = root.add_child(instance=ArticleLibraryPage(title="Article library", slug="library"))
    central = provision_central_team(library)
    # Each clinic's default, for any article; articles on PTSD show the PTSD topic's.
    cta = CallToAction.objects.create(
        name="Book a consultation",
        headline="Questions about your care? Talk to {clinic}",
        text="Our team in {city} answers your questions in confidence. "
        "Call {phone} or book online.",
        button_label="Book a consultation",
        link_type=CallToAction.Link.BOOKING,
    )
    ptsd_cta = CallToAction.objects.create(
        name="Ketamine therapy for PTSD",
        headline="Talk to {clinic} about ketamine therapy",
        text="Our team in {city} answers your questions about PTSD and ketamine therapy "
        "in confidence. Call {phone} or book online.",
        button_label="Book a consultation",
        link_type=CallToAction.Link.BOOKING,
    )
    weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    nova = create_clinic(
        title="Nova Health Recovery",
        slug="nova-health-recovery",
        hostname="nova.localhost",
        port=PORT,
        intro="Ketamine therapy for depression, anxiety and PTSD, with care at every step.",
        **_clinic_brand(
            "Nova Health Recovery",
            "nova",
            "#1d4f91",
            "#1d5e8c",
            demo_images.star_logo,
            demo_images.circles_hero,
            "Translucent blue circles on a pale sky",
        ),
        type_pairing="friendly",
        home_layout="split",
        street_address="100 Harbor Way",
        city="Portland",
        region="OR",
        postal_code="97201",
        phone="(503) 555-0140",
        email="care@novahealth.example",
        booking_url="https://novahealth.example/book",
        default_call_to_action=cta,
        cta_button_label="Schedule your consultation",
        opening_hours=[("hours", {"days": weekdays, "opens": "08:00", "closes": "18:00"})],
    )
    three_rivers = create_clinic(
        title="Three Rivers Wellness",
        slug="three-rivers-wellness",
        hostname="threerivers.localhost",
        port=PORT,
        intro="Ketamine infusion therapy and alternative treatments in Pittsburgh.",
        **_clinic_brand(
            "Three Rivers Wellness",
            "threerivers",
            "#0f5c4c",
            "#8a3b12",
            demo_images.waves_logo,
            demo_images.rivers_hero,
            "Green and ochre river bands",
        ),
        type_pairing="classic",
        home_layout="banner",
        street_address="25 Point Drive",
        city="Pittsburgh",
        region="PA",
        postal_code="15222",
        phone="(412) 555-0175",
        email="hello@threerivers.example",
        booking_url="https://threerivers.example/appointments",
        default_call_to_action=cta,
        opening_hours=[
            ("hours", {"days": weekdays[::2], "opens": "09:00", "closes": "17:00"}),
            ("hours", {"days": ["Saturday"], "opens": "10:00", "closes": "14:00"}),
        ],
    )

    ptsd = Topic.objects.create(name="PTSD", slug="ptsd", call_to_action=ptsd_cta)
    author = Person.objects.create(name="Clinical content team", job_title="Editorial")
    # The medical reviewer's public profile; the review app links the demo's reviewer
    # account to it, and the byline names it once that reviewer has approved.
    Person.objects.create(
        name="Dana Whitfield", credentials="MD, psychiatrist", job_title="Medical reviewer"
    )
    # The article comes from the seed files through the importer, which sits above the
    # blog and answers this hook: one library article (a draft) carried by both clinics,
    # Three Rivers' wording as its overrides. The demo then gives it what no seed file
    # holds (summary, people, references) and publishes it.
    for load_articles in hooks.get_hooks("load_demo_articles"):
        load_articles(library, [SEEDS / name for name in SEED_FILES], library_from=nova.slug)
    article = LibraryArticlePage.objects.child_of(library).get(slug="what-causes-ptsd")
    article.summary = (
        "Trauma, genetics and biology all play a part in PTSD. Here is what research says "
        "about its causes, and how ketamine therapy can help."
    )
    article.body.append(("call_to_action", {"call_to_action": None}))
    article.author = author
    article.about_condition = "Post-traumatic stress disorder"
    article.focus_keyphrase = "causes of PTSD"
    article.references = [
        (
            "reference",
            {
                "title": "Post-traumatic stress disorder",
                "authors": "Yehuda R, et al.",
                "publication": "Nature Reviews Disease Primers",
                "year": 2015,
                "url": "https://doi.org/10.1038/nrdp.2015.57",
            },
        ),
        (
            "reference",
            {
                "title": "A randomized controlled trial of repeated ketamine "
                "administration for chronic posttraumatic stress disorder",
                "authors": "Feder A, et al.",
                "publication": "American Journal of Psychiatry",
                "year": 2021,
                "url": "https://doi.org/10.1176/appi.ajp.2020.20050596",
            },
        ),
    ]
    article.primary_clinic = nova
    article.hero_image = _image(
        "What causes PTSD: a calm horizon",
        demo_images.horizon_hero("library/what-causes-ptsd"),
        "what-causes-ptsd.jpg",
        SHARED_COLLECTION,
        description="Layered hills under a soft sun at the horizon",
    )
    article.topics.add(ptsd)
    # Imported articles stay with their clinics; the central team offers this one to the
    # network, so a clinic added to the demo (`create_clinic`) carries it too.
    article.offered_to_subscribers = True
    article.save_revision().publish()
    # The publish fans out once this transaction commits; the demo's copies go live now
    # (each with the revision the import gave it), and the fan-out is idempotent.
    run_now(article)
    # Three Rivers shows its own image on its copy (the library's elsewhere).
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    copy.hero_image_override = _image(
        "What causes PTSD: rivers under a low sun",
        demo_images.rivers_hero("#0f5c4c", "#8a3b12", "threerivers/what-causes-ptsd", sun=True),
        "threerivers-what-causes-ptsd.jpg",
        three_rivers.title,
        description="Green and ochre river bands under a low sun",
    )
    copy.save_revision().publish()

    _clinic_pages(nova, NOVA_PAGES)
    _clinic_pages(three_rivers, THREE_RIVERS_PAGES)

    demo_user("admin", superuser=True)
    demo_user("central-editor", groups=[central])
    for clinic, username in ((nova, "nova-editor"), (three_rivers, "threerivers-editor")):
        demo_user(username, groups=[provision_clinic(clinic)])
    # Apps above the blog add their part of the demo (review: the medical-review
    # workflows, the reviewer and their approval of the article and of Three Rivers'
    # own words), after the first publish: the demo article is live.
    for add_to_demo in hooks.get_hooks("after_load_demo"):
        add_to_demo(library)


# --- each clinic's own pages: home page sections, team, location -------------------------
# The team members are fictional people for the demo.

NOVA_PAGES = {
    "order": ["hero", "services", "articles", "team", "faq", "location"],
    "hero": {
        "heading": "Ketamine therapy in Portland, with care at every step",
        "text": "Evidence-based treatment for depression, anxiety and PTSD when other "
        "treatments have not helped.",
        "show_booking": True,
    },
    "services": {
        "heading": "How we help",
        "services": [
            {
                "name": "Ketamine infusion therapy",
                "description": "A series of infusions under medical supervision, for "
                "treatment-resistant depression and PTSD.",
            },
            {
                "name": "Psychiatric assessment",
                "description": "A first visit with a psychiatrist to decide together "
                "whether ketamine therapy suits you.",
            },
            {
                "name": "Integration support",
                "description": "Sessions with a therapist between infusions.",
            },
        ],
    },
    "articles": {"heading": "From our blog", "fill_with_latest": True},
    "team": {"heading": "Our clinicians", "text": "Every infusion is supervised by our team."},
    "faq": {
        "heading": "Questions we are often asked",
        "questions": [
            {
                "question": "Do I need a referral?",
                "answer": "No. You can book a consultation yourself; we ask for your "
                "medical history before the first visit.",
            },
            {
                "question": "How many infusions will I need?",
                "answer": "Most people start with six infusions over two to three weeks. "
                "Your psychiatrist reviews how you respond after each one.",
            },
            {
                "question": "Can I drive home afterwards?",
                "answer": "No. Please arrange for someone to take you home after each infusion.",
            },
        ],
    },
    "location": {"heading": "Visit us", "text": "Free parking in the Harbor Way garage."},
    "team_members": [
        (
            "Maya Chen",
            "MD",
            "Psychiatrist and medical director",
            "Dr. Chen leads Nova's ketamine programme and sees every patient at their first "
            "assessment.",
        ),
        (
            "Jordan Ellis",
            "PMHNP-BC",
            "Psychiatric nurse practitioner",
            "Jordan supervises infusions and follows up with patients between sessions.",
        ),
    ],
    "location_page": {
        "title": "Location and contact",
        "intro": "We are on the waterfront, five minutes from the Harbor Way streetcar stop.",
        "directions": "Park in the Harbor Way garage (free for patients: bring your ticket "
        "to reception).\nThe clinic is on the second floor; the lift is beside the entrance.",
    },
}

THREE_RIVERS_PAGES = {
    "order": ["hero", "articles", "services", "location", "faq", "team"],
    "hero": {
        "heading": "Three Rivers Wellness",
        "text": "Ketamine infusion therapy and alternative treatments in Pittsburgh, "
        "with a team that takes time to listen.",
        "show_booking": True,
    },
    "articles": {"heading": "Reading for patients and families", "fill_with_latest": True},
    "services": {
        "heading": "Treatments",
        "services": [
            {
                "name": "Ketamine infusions",
                "description": "For depression, PTSD and chronic pain, in a quiet private room.",
            },
            {
                "name": "Spravato (esketamine)",
                "description": "The nasal spray approved for treatment-resistant "
                "depression, given in the clinic.",
            },
        ],
    },
    "location": {"heading": "Find us", "text": "Across from Point State Park; street parking."},
    "faq": {
        "heading": "Frequently asked questions",
        "questions": [
            {
                "question": "Does insurance cover ketamine therapy?",
                "answer": "Spravato is often covered; infusions usually are not. We give "
                "you a written estimate before you start.",
            },
            {
                "question": "Is ketamine therapy safe?",
                "answer": "At the doses we use, under monitoring by our team, serious side "
                "effects are rare. We go through them with you at your assessment.",
            },
        ],
    },
    "team": {"heading": "Meet the team"},
    "team_members": [
        (
            "Samuel Okafor",
            "MD",
            "Anesthesiologist",
            "Dr. Okafor has given ketamine infusions for chronic pain and depression for ten "
            "years.",
        ),
        (
            "Leah Brandt",
            "LCSW",
            "Clinical social worker",
            "Leah meets every patient before treatment and leads integration sessions.",
        ),
    ],
    "location_page": {
        "title": "Visit us",
        "intro": "Our clinic is in downtown Pittsburgh, near the Point.",
        "directions": "Street parking on Point Drive; the Gateway T station is a five-minute walk.",
    },
}


def _publish(page):
    page.save_revision().publish()
    return page


def _clinic_pages(clinic, content: dict) -> None:
    """The clinic's team and location pages, and its home page's sections."""
    team = _publish(
        clinic.add_child(instance=TeamIndexPage(title="Our team", slug="team", show_in_menus=True))
    )
    for name, credentials, job_title, bio in content["team_members"]:
        _publish(
            team.add_child(
                instance=TeamMemberPage(
                    title=name, credentials=credentials, job_title=job_title, bio=bio
                )
            )
        )
    location = content["location_page"]
    _publish(
        clinic.add_child(instance=LocationPage(slug="contact", show_in_menus=True, **location))
    )
    featured = list(
        ClinicArticlePage.objects.live().descendant_of(clinic).values_list("pk", flat=True)[:1]
    )
    sections = []
    for kind in content["order"]:
        value = dict(content[kind])
        if kind == "articles":
            value["featured"] = featured
        sections.append({"type": kind, "value": value})
    clinic = clinic.specific_class.objects.get(pk=clinic.pk)
    clinic.sections = sections
    _publish(clinic)
