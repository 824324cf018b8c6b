"""The demo network: two clinics carrying one library article, "What Causes PTSD?".

The library article is Nova Health Recovery's text with the clinic named through the
`{clinic}` token; Three Rivers Wellness carries the same article with its own wording
expressed as overrides, hidden blocks and clinic-only blocks. Rendered, each clinic's
page reproduces its seed file (`tests/fixtures/seeds/`) word for word.
"""

import os
import uuid
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks
from wagtail.models import Page

from blog.models import ArticleLibraryPage, BodyOverride, ClinicArticlePage, LibraryArticlePage
from blog.provisioning import create_clinic
from blog.syndication import run_now
from clinics.models import CallToAction, ClinicHomePage, Person, Topic
from clinics.provisioning import provision_central_team, provision_clinic

DEMO_PASSWORD = "demo-password"  # noqa: S105  (local demo accounts only)
# The port the demo is served on (`make demo PORT=8001`): its Sites' URLs name it.
PORT = int(os.environ.get("PORT", "8000"))


def block_id(name: str) -> str:
    """Stable ids so the demo's overrides can name library blocks."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo/what-causes-ptsd/{name}"))


def paragraph(name: str, text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": block_id(name)}


def heading(name: str, text: str) -> dict:
    return {"type": "heading", "value": text, "id": block_id(name)}


LIBRARY_BODY = [
    paragraph(
        "intro",
        "Post-traumatic stress disorder (PTSD) is a serious mental health condition that can "
        "develop after a person experiences or witnesses a traumatic event. It is a complex "
        "condition that can be caused by a range of factors, and it can have a significant "
        "impact on an individual’s quality of life. In this blog, we will take a closer look "
        "at what causes PTSD and how ketamine therapy can help.",
    ),
    heading("trauma-heading", "Trauma"),
    paragraph(
        "trauma",
        "Trauma is the most significant risk factor for PTSD, it can take various forms, "
        "including physical, sexual, or emotional abuse, military combat, natural disasters, "
        "and accidents. The severity of the trauma and an individual’s proximity to the event "
        "play a crucial role in the development of PTSD. Trauma has a long-lasting impact on "
        "an individual’s life and can affect their daily functioning, making it difficult for "
        "them to cope with the aftermath of the traumatic event.",
    ),
    heading("genetics-heading", "Genetics"),
    paragraph(
        "genetics",
        "There is also evidence to suggest that genetics may play a role in the development "
        "of PTSD. Studies have shown that PTSD tends to run in families, suggesting that there "
        "may be a genetic component to the condition. However, more research is needed to "
        "understand the specific genes involved and how they contribute to PTSD.",
    ),
    heading("biology-heading", "Biological Factors"),
    paragraph(
        "biology",
        "Abnormalities in neurotransmitters, the chemicals that transmit signals in the brain, "
        "have also been linked to PTSD. For example, studies have shown that individuals with "
        "PTSD tend to have lower levels of serotonin and norepinephrine, which are chemicals "
        "that play a role in pain perception and mood regulation. Additionally, some studies "
        "have suggested that individuals with PTSD may have an increased sensitivity to stress "
        "hormones, which can contribute to the development of PTSD symptoms.",
    ),
    heading("ketamine-heading", "Treatment with Ketamine"),
    paragraph(
        "ketamine",
        "Ketamine therapy is an effective treatment option for PTSD. Studies have shown that "
        "ketamine can rapidly reduce symptoms of PTSD, often within hours of the first "
        "infusion. Ketamine works by blocking NMDA receptors in the brain, which can reduce "
        "pain and increase the levels of neurotransmitters such as glutamate and GABA, which "
        "can help to regulate the pain perception. Additionally, ketamine also promotes "
        "neuroplasticity in the brain, creating new neural pathways, allowing the individual "
        "to process traumatic memories differently. This can help individuals to better cope "
        "with difficult memories and emotions that may be associated with PTSD.",
    ),
    paragraph(
        "protocol",
        "Ketamine therapy is usually administered in a clinical setting, and the treatment "
        "protocol is typically a series of infusions over a period of several weeks. The "
        "number of infusions required may vary depending on the individual’s needs and "
        "response to treatment. After the initial course of infusions, some patients may "
        "require maintenance infusions to maintain the positive effects of the therapy.",
    ),
    heading("final-heading", "Final Thoughts"),
    paragraph(
        "final",
        "PTSD is a complex condition that can be caused by a range of factors, including "
        "trauma, genetics, and biological factors. While no single treatment works for "
        "everyone, ketamine therapy has shown promise in rapidly reducing symptoms of PTSD. "
        "If you are struggling with PTSD, it is important to seek help and support as soon "
        "as possible to prevent the development of more severe symptoms. At {clinic}, we are "
        "here to help you on your journey to recovery.",
    ),
    {"type": "call_to_action", "value": {"call_to_action": None}, "id": block_id("cta")},
]


def _p(text: str) -> list[dict]:
    return [{"type": "paragraph", "value": f"<p>{text}</p>"}]


# Three Rivers Wellness's own words, laid over the library article.
THREE_RIVERS_OVERRIDES = [
    (
        "intro",
        BodyOverride.Action.REPLACE,
        _p(
            "Post-traumatic stress disorder (PTSD) is a serious condition that can develop "
            "after a person has experienced or witnessed a traumatic event. Symptoms of PTSD "
            "include flashbacks, nightmares, and severe anxiety, which can make it difficult "
            "to live a normal life. While the causes of PTSD are not fully understood, there "
            "are several risk factors and theories that have been proposed. In this blog, we "
            "will explore the causes of PTSD, and how it can be treated with ketamine therapy."
        ),
    ),
    ("trauma-heading", BodyOverride.Action.HIDE, []),
    (
        "trauma",
        BodyOverride.Action.REPLACE,
        _p(
            "The most obvious cause of PTSD is trauma. Trauma can come in many forms, such as "
            "physical, emotional, or sexual abuse, exposure to war, or experiencing a natural "
            "disaster. Trauma can cause a wide range of physical and emotional reactions and "
            "can have a significant impact on a person’s mental health."
        ),
    ),
    ("genetics-heading", BodyOverride.Action.HIDE, []),
    (
        "genetics",
        BodyOverride.Action.REPLACE,
        _p(
            "Another possible cause of PTSD is genetics. Studies have shown that PTSD tends "
            "to run in families, suggesting that there may be a genetic component to the "
            "condition. Research is ongoing to understand the specific genes involved and how "
            "they contribute to PTSD."
        ),
    ),
    ("biology-heading", BodyOverride.Action.HIDE, []),
    (
        "biology",
        BodyOverride.Action.REPLACE,
        _p(
            "Abnormalities in neurotransmitters, the chemicals that transmit signals in the "
            "brain, have also been linked to PTSD. For example, studies have shown that "
            "individuals with PTSD tend to have lower levels of serotonin and norepinephrine, "
            "which are chemicals that play a role in pain perception and mood regulation."
        ),
    ),
    (
        "biology",
        BodyOverride.Action.INSERT_AFTER,
        _p(
            "Stress can be a major contributing factor to PTSD development. Prolonged exposure "
            "to stress can affect the body and brain, increasing the risk of developing PTSD. "
            "Stress can cause a range of physical and emotional reactions, which can have a "
            "significant impact on a person’s mental health. It can also affect the brain’s "
            "ability to regulate emotions and can cause changes in neurotransmitters that can "
            "lead to PTSD."
        ),
    ),
    ("ketamine-heading", BodyOverride.Action.HIDE, []),
    (
        "ketamine",
        BodyOverride.Action.REPLACE,
        _p(
            "Ketamine is an effective treatment option for PTSD. Studies have shown that "
            "ketamine can rapidly reduce symptoms of PTSD, often within hours of the first "
            "infusion. Ketamine works by blocking NMDA receptors in the brain, which can reduce "
            "pain and increase neurotransmitters such as glutamate and GABA, which can help "
            "regulate pain perception. Additionally, ketamine also promotes neuroplasticity in "
            "the brain, allowing new neural pathways to be created."
        ),
    ),
    (
        "ketamine",
        BodyOverride.Action.INSERT_AFTER,
        _p(
            "This can be especially beneficial for those suffering from PTSD, as it can allow "
            "the individual to process traumatic memories differently. The result is a "
            "reduction in symptoms such as flashbacks and nightmares and an overall improvement "
            "in the individual’s mental well-being."
        )
        + _p(
            "Furthermore, ketamine infusion therapy can also improve the effectiveness of "
            "traditional talk therapy, by reducing symptoms and allowing individuals to engage "
            "in therapy more effectively. This can be especially beneficial for those without "
            "success with traditional forms of PTSD treatment."
        ),
    ),
    ("protocol", BodyOverride.Action.HIDE, []),
    ("final-heading", BodyOverride.Action.HIDE, []),
    (
        "final",
        BodyOverride.Action.REPLACE,
        _p(
            "At Three Rivers Wellness, we specialize in ketamine therapy and other alternative "
            "treatments that can help individuals suffering from PTSD."
        ),
    ),
]


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


def load_demo() -> bool:
    """Build the demo network; a second call finds it and changes nothing."""
    if ArticleLibraryPage.objects.exists():
        return False
    _build_network()
    _apply_three_rivers_wording()
    return True


@transaction.atomic
def _build_network() -> None:
    root = Page.get_first_root_node()
    # Wagtail's initial "Welcome" page and its catch-all Site: unknown hosts get a 404.
    for page in root.get_children().filter(content_type__model="page"):
        page.delete()

    library = root.add_child(instance=ArticleLibraryPage(title="Article library", slug="library"))
    central = provision_central_team(library)
    cta = CallToAction.objects.create(
        name="Book a consultation",
        headline="Talk to {clinic} about ketamine therapy",
        text="Our team in {city} answers your questions in confidence. "
        "Call {phone} or book online.",
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
        brand_colour="#1d4f91",
        accent_colour="#1d5e8c",
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
        brand_colour="#0f5c4c",
        accent_colour="#8a3b12",
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

    ptsd = Topic.objects.create(name="PTSD", slug="ptsd")
    author = Person.objects.create(name="Clinical content team", job_title="Editorial")
    reviewer = Person.objects.create(
        name="Dana Whitfield", credentials="MD, psychiatrist", job_title="Medical reviewer"
    )
    article = library.add_child(
        instance=LibraryArticlePage(
            title="What Causes PTSD?",
            slug="what-causes-ptsd",
            summary="Trauma, genetics and biology all play a part in PTSD. Here is what "
            "research says about its causes, and how ketamine therapy can help.",
            body=LIBRARY_BODY,
            author=author,
            medical_reviewer=reviewer,
            last_reviewed=date(2026, 10, 1),
            about_condition="Post-traumatic stress disorder",
            focus_keyphrase="causes of PTSD",
            references=[
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
            ],
            primary_clinic=nova,
            live=False,
        )
    )
    article.topics.add(ptsd)
    article.save_revision().publish()
    # The publish fans out once this transaction commits; the demo needs the copies now
    # (Three Rivers' wording goes on its copy), and the fan-out is idempotent.
    run_now(article)

    demo_user("admin", superuser=True)
    demo_user("central-editor", groups=[central])
    for clinic, username in ((nova, "nova-editor"), (three_rivers, "threerivers-editor")):
        demo_user(username, groups=[provision_clinic(clinic)])
    # Apps above the blog add their part of the demo (review: the medical-review
    # workflow and its reviewer), after the first publish: the demo article is live.
    for add_to_demo in hooks.get_hooks("after_load_demo"):
        add_to_demo(library)


@transaction.atomic
def _apply_three_rivers_wording() -> None:
    clinic = ClinicHomePage.objects.get(slug="three-rivers-wellness")
    copy = ClinicArticlePage.objects.descendant_of(clinic).get(source__slug="what-causes-ptsd")
    fingerprints = copy.source.block_fingerprints()
    for position, (name, action, content) in enumerate(THREE_RIVERS_OVERRIDES):
        copy.body_overrides.add(
            BodyOverride(
                sort_order=position,
                anchor=block_id(name),
                action=action,
                content=content,
                source_fingerprint=fingerprints[block_id(name)],
            )
        )
    copy.save_revision(log_action=True).publish()
