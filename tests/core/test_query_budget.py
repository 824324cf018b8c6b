"""The article page costs the same number of queries whatever the number of clinics,
overrides or body blocks (images included)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site

from blog.models import BodyOverride, ClinicArticlePage
from tests.factories import (
    CallToActionFactory,
    ImageFactory,
    committed,
    heading,
    make_clinic,
    make_library_article,
    paragraph,
)

# Marked here, not only by tests/conftest.py: pytest-django orders marked tests before
# transactional ones, whose flush would leave later tests without Wagtail's root page.
pytestmark = pytest.mark.django_db


def image(image_obj, block_id):
    return {
        "type": "image",
        "value": {"image": image_obj.pk, "alt_text": "A calm room", "decorative": False},
        "id": block_id,
    }


def body_of(size: int, images: list) -> list[dict]:
    blocks = []
    for n in range(size):
        if n % 5 == 0:
            blocks.append(heading(f"Heading {n}", f"b{n}"))
        elif n % 5 == 1 and images:
            blocks.append(image(images[n % len(images)], f"b{n}"))
        else:
            blocks.append(paragraph(f"Paragraph {n} for {{clinic}} in {{city}}.", f"b{n}"))
    blocks.append({"type": "call_to_action", "value": {"call_to_action": None}, "id": "cta"})
    return blocks


def build(*, clinics: int, overrides: int, blocks: int):
    cta = CallToActionFactory()
    made = [make_clinic(f"Budget Clinic {n}", default_call_to_action=cta) for n in range(clinics)]
    pictures = [ImageFactory() for _ in range(max(1, blocks // 5))]  # every image distinct
    article = make_library_article(title="Budget article", body=body_of(blocks, pictures))
    copy = ClinicArticlePage.objects.descendant_of(made[0]).get(source=article)
    for n in range(overrides):
        action = BodyOverride.Action.REPLACE if n % 2 == 0 else BodyOverride.Action.INSERT_AFTER
        content = [image(pictures[0], None)] if n % 4 == 1 else [paragraph(f"Override {n}.")]
        copy.body_overrides.add(
            BodyOverride(anchor=f"b{n % blocks}", action=action, content=content)
        )
    with committed():
        copy.save_revision().publish()
    return made[0], copy


def queries_for(client, clinic, copy) -> int:
    host = clinic.get_site().hostname
    client.get("/blog/budget-article/", HTTP_HOST=host)  # the first visit makes the renditions
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/blog/budget-article/", HTTP_HOST=host)
    assert response.status_code == 200
    assert b"Budget Clinic" in response.content and b"<picture" in response.content
    return len(captured)


@pytest.mark.parametrize(
    "small, large",
    [
        ({"clinics": 1, "overrides": 0, "blocks": 5}, {"clinics": 10, "overrides": 0, "blocks": 5}),
        (
            {"clinics": 1, "overrides": 0, "blocks": 20},
            {"clinics": 1, "overrides": 20, "blocks": 20},
        ),
        ({"clinics": 1, "overrides": 0, "blocks": 5}, {"clinics": 1, "overrides": 0, "blocks": 50}),
    ],
    ids=["1-vs-10-clinics", "0-vs-20-overrides", "5-vs-50-blocks"],
)
def test_article_page_queries_do_not_grow(client, small, large):
    clinic, copy = build(**small)
    small_count = queries_for(client, clinic, copy)

    Site.objects.all().delete()
    ClinicArticlePage.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    clinic, copy = build(**large)
    large_count = queries_for(client, clinic, copy)
    assert small_count == large_count, f"{small}: {small_count} queries; {large}: {large_count}"


def edit_view_queries(client, page) -> int:
    from django.urls import reverse

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.get(url)  # warm Wagtail's own per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_edit_views_cost_the_same_with_2_or_12_clinics(admin_client):
    make_clinic("First clinic", slug="first")
    make_clinic("Second clinic", slug="second")
    article = make_library_article(body=[paragraph("Library text, long enough. " * 20, "p1")])
    copy = ClinicArticlePage.objects.filter(source=article).first()
    few = edit_view_queries(admin_client, copy), edit_view_queries(admin_client, article)
    for n in range(10):
        make_clinic(f"Clinic {n}", slug=f"clinic-{n}")
    with committed():
        article.save_revision().publish()  # fans out to the ten new clinics
    assert ClinicArticlePage.objects.filter(source=article, live=True).count() == 12
    many = edit_view_queries(admin_client, copy), edit_view_queries(admin_client, article)
    assert many == few
    assert few[0] <= 100


UNCACHED_ARTICLE_BUDGET = 12


@pytest.fixture
def page_cache(settings):
    """The page cache as production runs it, in a cache of its own, empty."""
    from django.core.cache import caches

    from pagecache import sites

    settings.PAGECACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGECACHE_CACHE = "pagecache"
    caches["pagecache"].clear()
    sites.clear()
    yield
    caches["pagecache"].clear()
    sites.clear()


@pytest.mark.parametrize(
    "shape",
    [
        {"clinics": 1, "overrides": 0, "blocks": 5},
        {"clinics": 10, "overrides": 20, "blocks": 50},
    ],
    ids=["small", "large"],
)
def test_the_uncached_article_page_costs_at_most_12_queries(client, page_cache, shape):
    """Not served from the page cache (its entry dropped), the article still skips what
    rarely changes: the Site lookup and the clinic's facts (pagecache.sites)."""
    from pagecache import store

    clinic, copy = build(**shape)
    host = clinic.get_site().hostname
    path = "/blog/budget-article/"
    client.get(path, HTTP_HOST=host)  # renditions, and this process's site memo
    store.drop_paths(clinic.get_site().pk, [path])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    assert b"Budget Clinic" in response.content and b"<picture" in response.content
    assert len(captured) <= UNCACHED_ARTICLE_BUDGET, "\n".join(
        q["sql"][:160] for q in captured.captured_queries
    )
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, HTTP_HOST=host)["X-Page-Cache"] == "hit"
    assert len(captured) == 0


# --- the clinic's other pages (issue 13 B): as many queries for few items as for many ----


def clinic_pages(n: int):
    """A clinic whose home page has every section with `n` items, `n` team members with
    photos, and `n` articles by one author on one topic (all featured)."""
    from clinics.models import ClinicHomePage, Person, TeamIndexPage, TeamMemberPage, Topic

    clinic = make_clinic("Pages Clinic", slug="pages-clinic")
    author, _ = Person.objects.get_or_create(name="Ana Ruiz", slug="ana-ruiz")
    topic, _ = Topic.objects.get_or_create(name="PTSD", slug="ptsd")
    for k in range(n):
        article = make_library_article(title=f"Article {k}", author=author, publish=False)
        article.topics.add(topic)
        with committed():
            article.save_revision().publish()
    team = clinic.add_child(instance=TeamIndexPage(title="Team", slug="team"))
    team.save_revision().publish()
    for k in range(n):
        member = team.add_child(
            instance=TeamMemberPage(title=f"Member {k}", credentials="MD", photo=ImageFactory())
        )
        member.save_revision().publish()
    copies = ClinicArticlePage.objects.descendant_of(clinic).values_list("pk", flat=True)
    clinic = ClinicHomePage.objects.get(pk=clinic.pk)
    clinic.sections = [
        {"type": "hero", "value": {"heading": "Welcome", "image": ImageFactory().pk}},
        {
            "type": "services",
            "value": {"heading": "Services", "services": [{"name": f"S{k}"} for k in range(n)]},
        },
        {"type": "articles", "value": {"heading": "Read", "featured": list(copies)}},
        {"type": "team", "value": {"heading": "Team"}},
        {"type": "location", "value": {"heading": "Visit"}},
        {
            "type": "faq",
            "value": {
                "heading": "FAQ",
                "questions": [{"question": f"Q{k}?", "answer": "A."} for k in range(n)],
            },
        },
    ]
    with committed():
        clinic.save_revision().publish()
    return clinic


CLINIC_PAGES = ["/", "/team/", "/team/member-0/", "/people/ana-ruiz/", "/blog/topics/ptsd/"]


def clinic_page_queries(client, clinic) -> dict[str, int]:
    host = clinic.get_site().hostname
    counts = {}
    for path in CLINIC_PAGES:
        client.get(path, HTTP_HOST=host)  # renditions
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        counts[path] = len(captured)
    return counts


def test_the_clinic_pages_cost_the_same_queries_with_1_or_6_items(client):
    few = clinic_page_queries(client, clinic_pages(1))
    Site.objects.all().delete()
    ClinicArticlePage.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    many = clinic_page_queries(client, clinic_pages(6))
    assert few == many
    print("clinic pages, queries each:", few)  # shown with pytest -s (README)


def uncached_clinic_page_queries(client, clinic) -> dict[str, int]:
    """Each page rendered with the page cache on but its entry dropped (the per-process
    Site and clinic memo kept, as after an edit elsewhere on the network)."""
    from clinics.models import LocationPage
    from pagecache import store

    location = clinic.add_child(instance=LocationPage(title="Contact", slug="contact"))
    location.save_revision().publish()
    host, site = clinic.get_site().hostname, clinic.get_site().pk
    counts = {}
    for path in [*CLINIC_PAGES, "/contact/", "/search/?q=article"]:
        client.get(path, HTTP_HOST=host)  # renditions, and this process's memo
        store.drop_paths(site, [path.split("?")[0]])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, path
        assert response["X-Page-Cache"] in ("miss", "pass"), path
        counts[path] = len(captured)
    return counts


def test_the_uncached_clinic_pages_cost_the_same_with_1_or_6_items(client, page_cache):
    from django.core.cache import caches

    from pagecache import sites

    few = uncached_clinic_page_queries(client, clinic_pages(1))
    Site.objects.all().delete()
    ClinicArticlePage.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    # The same hostname serves a new Site: forget this process's map and the entries.
    sites.clear()
    caches["pagecache"].clear()
    many = uncached_clinic_page_queries(client, clinic_pages(6))
    assert few == many
    assert max(few.values()) <= UNCACHED_ARTICLE_BUDGET
    print("clinic pages, uncached with the page cache, queries each:", few)
