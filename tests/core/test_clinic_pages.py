"""The pages a clinic needs: home page sections, team and people pages, topic pages,
related articles, the clinic's search and its location page."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import BlogIndexPage, BodyOverride, ClinicArticlePage
from clinics.blocks import HomeSectionsBlock
from clinics.models import ClinicHomePage, LocationPage, TeamIndexPage, TeamMemberPage
from tests.factories import (
    ImageFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    add_override,
    committed,
    make_library_article,
    paragraph,
)

pytestmark = pytest.mark.django_db


def publish(page):
    with committed():
        page.save_revision().publish()
    page.refresh_from_db()
    return page


def team_of(clinic, *members, photo=None):
    team = clinic.add_child(instance=TeamIndexPage(title="Our team", slug="team"))
    publish(team)
    made = []
    for name in members:
        member = team.add_child(
            instance=TeamMemberPage(
                title=name,
                credentials="MD",
                job_title="Psychiatrist",
                bio=f"{name} cares for patients.",
                photo=photo,
                same_as=[("link", f"https://board.example/{name.split()[0].lower()}")],
            )
        )
        made.append(publish(member))
    return team, made


def set_sections(clinic, sections):
    clinic = ClinicHomePage.objects.get(pk=clinic.pk)
    clinic.sections = sections
    return publish(clinic)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def graph(response) -> list[dict]:
    script = soup(response).find("script", type="application/ld+json")
    return json.loads(script.string)["@graph"]


def node(nodes, kind):
    return next(n for n in nodes if n["@type"] == kind)


def host(clinic):
    return clinic.get_site().hostname


def editor_of(clinic):
    return UserFactory(groups=[Group.objects.get(name=f"{clinic.title} editors")])


# --- home page sections ------------------------------------------------------------------


FAQ = {
    "type": "faq",
    "value": {
        "heading": "Questions",
        "questions": [
            {"question": "Do I need a referral?", "answer": "No, call us."},
            {"question": "Is parking free?", "answer": "Yes, behind the clinic."},
        ],
    },
}


def test_the_home_page_shows_its_sections_in_order_with_one_h1(client, nova):
    team_of(nova, "Maya Chen")
    make_library_article(title="Sleep and anxiety")
    set_sections(
        nova,
        [
            {"type": "hero", "value": {"heading": "Care in Portland", "show_booking": True}},
            {
                "type": "services",
                "value": {"heading": "How we help", "services": [{"name": "Infusions"}]},
            },
            {"type": "team", "value": {"heading": "Our clinicians"}},
            {"type": "location", "value": {"heading": "Visit us"}},
            FAQ,
            {"type": "articles", "value": {"heading": "Reading", "fill_with_latest": True}},
        ],
    )
    page = soup(client.get("/", HTTP_HOST=host(nova)))
    assert [h.get_text() for h in page.find_all("h1")] == ["Care in Portland"]
    headings = [h.get_text() for h in page.find("main").find_all("h2")]
    assert headings == ["How we help", "Our clinicians", "Visit us", "Questions", "Reading"]
    main = page.find("main").get_text(" ", strip=True)
    assert "Maya Chen" in main and "Sleep and anxiety" in main and "Is parking free?" in main
    # The default hero and latest-articles sections give way to the blocks.
    assert "Latest articles" not in main
    assert page.find("a", href="https://nova.example/book") is not None
    assert page.find("a", href=nova.phone_href) is not None


def test_the_faq_section_is_faqpage_data(client, nova):
    set_sections(nova, [FAQ])
    faq = node(graph(client.get("/", HTTP_HOST=host(nova))), "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == ["Do I need a referral?", "Is parking free?"]
    assert faq["mainEntity"][1]["acceptedAnswer"] == {
        "@type": "Answer",
        "text": "Yes, behind the clinic.",
    }


def test_a_home_page_without_sections_has_no_faq_data(client, nova):
    assert "FAQPage" not in [n["@type"] for n in graph(client.get("/", HTTP_HOST=host(nova)))]


def test_a_question_asked_twice_is_a_validation_message():
    from django.core.exceptions import ValidationError

    block = HomeSectionsBlock()
    value = block.to_python(
        [
            {
                "type": "faq",
                "value": {
                    "heading": "Q",
                    "questions": [
                        {"question": "Parking?", "answer": "Yes."},
                        {"question": "parking? ", "answer": "No."},
                    ],
                },
            }
        ]
    )
    with pytest.raises(ValidationError):
        block.clean(value)


def test_featured_articles_are_this_clinics_live_articles_only(client, nova, three_rivers):
    shared = make_library_article(title="Featured here")
    other = make_library_article(title="Newest article")
    own = ClinicArticlePage.objects.descendant_of(nova).get(source=shared)
    theirs = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=shared)
    drafted = ClinicArticlePage.objects.descendant_of(nova).get(source=other)
    drafted.unpublish()
    set_sections(
        nova,
        [
            {
                "type": "articles",
                "value": {
                    "heading": "Featured",
                    "featured": [theirs.pk, drafted.pk, own.pk],
                    "fill_with_latest": False,
                },
            }
        ],
    )
    links = [a["href"] for a in soup(client.get("/", HTTP_HOST=host(nova))).select(".card a")]
    assert links == ["/blog/featured-here/"]  # not Three Rivers' copy, not the draft


# --- team pages and shared people ---------------------------------------------------------


def test_a_team_member_page_is_a_profile_page_with_sameas(client, nova):
    _, (member,) = team_of(nova, "Maya Chen")
    response = client.get("/team/maya-chen/", HTTP_HOST=host(nova))
    assert response.status_code == 200
    nodes = graph(response)
    page, person = node(nodes, "ProfilePage"), node(nodes, "Person")
    assert page["mainEntity"] == {"@id": person["@id"]}
    assert person["name"] == "Maya Chen" and person["honorificSuffix"] == "MD"
    assert person["sameAs"] == ["https://board.example/maya"]
    assert person["worksFor"]["@id"].endswith("/#clinic")
    assert "Maya Chen cares for patients." in response.content.decode()


def test_the_team_pages_describe_themselves_not_the_clinic(client, nova):
    team_of(nova, "Maya Chen")

    def description(path):
        page = soup(client.get(path, HTTP_HOST=host(nova)))
        return page.find("meta", attrs={"name": "description"})["content"]

    home, team, member = description("/"), description("/team/"), description("/team/maya-chen/")
    assert len({home, team, member}) == 3
    assert team.startswith("The people who care for you at Nova Health Recovery")
    assert (
        member
        == "Maya Chen, MD, Psychiatrist, at Nova Health Recovery. Maya Chen cares for patients."
    )


def test_the_team_index_lists_its_members_with_their_photos(client, nova):
    team_of(nova, "Maya Chen", "Jordan Ellis", photo=ImageFactory())
    page = soup(client.get("/team/", HTTP_HOST=host(nova)))
    assert [a["href"] for a in page.select(".person-card a")] == [
        "/team/maya-chen/",
        "/team/jordan-ellis/",
    ]
    assert len(page.select(".person-card picture")) == 2


def test_a_shared_person_has_a_page_on_every_clinics_domain(client, nova, three_rivers):
    author = PersonFactory(
        name="Ana Ruiz",
        credentials="PhD",
        bio="Writes about trauma.",
        profile_url="https://university.example/ruiz",
    )
    make_library_article(title="Trauma and memory", author=author)
    for clinic in (nova, three_rivers):
        response = client.get("/people/ana-ruiz/", HTTP_HOST=host(clinic))
        assert response.status_code == 200
        nodes = graph(response)
        person = node(nodes, "Person")
        assert person["url"] == f"http://{host(clinic)}/people/ana-ruiz/"
        assert person["sameAs"] == ["https://university.example/ruiz"]
        assert node(nodes, "ProfilePage")["mainEntity"] == {"@id": person["@id"]}
        # The person's articles on this clinic's blog.
        assert soup(response).find("a", href="/blog/trauma-and-memory/") is not None
        # The byline links to it, and the article's JSON-LD names the same URL.
        article = client.get("/blog/trauma-and-memory/", HTTP_HOST=host(clinic))
        byline = soup(article).find(class_="article__byline")
        assert byline.find("a", href="/people/ana-ruiz/").get_text() == "Ana Ruiz"
        webpage = node(graph(article), "MedicalWebPage")
        assert webpage["author"]["url"] == person["url"]


def test_an_unknown_person_or_topic_is_the_branded_404(client, nova):
    for path in ("/people/nobody/", "/blog/topics/nothing/"):
        response = client.get(path, HTTP_HOST=host(nova))
        assert response.status_code == 404
        assert "We couldn’t find that page" in response.content.decode()
        assert "Nova Health Recovery" in response.content.decode()


# --- topics and related articles -----------------------------------------------------------


def test_a_topic_page_lists_this_clinics_live_articles_on_the_topic(client, nova, three_rivers):
    ptsd, sleep = TopicFactory(name="PTSD", slug="ptsd"), TopicFactory(name="Sleep", slug="sleep")
    first = make_library_article(title="PTSD and sleep")
    first.topics.add(ptsd, sleep)
    publish(first)
    second = make_library_article(title="PTSD in veterans")
    second.topics.add(ptsd)
    publish(second)
    other = make_library_article(title="Insomnia")
    other.topics.add(sleep)
    publish(other)
    ClinicArticlePage.objects.descendant_of(three_rivers).get(source=second).unpublish()

    def titles(clinic, path):
        response = client.get(path, HTTP_HOST=host(clinic))
        assert response.status_code == 200
        return [a.get_text() for a in soup(response).select(".card__title a")]

    assert titles(nova, "/blog/topics/ptsd/") == ["PTSD in veterans", "PTSD and sleep"]
    assert titles(three_rivers, "/blog/topics/ptsd/") == ["PTSD and sleep"]
    assert node(graph(client.get("/blog/topics/ptsd/", HTTP_HOST=host(nova))), "CollectionPage")

    # Related articles: the same topics, live on this clinic, not the article itself.
    def related(clinic, path):
        page = soup(client.get(path, HTTP_HOST=host(clinic)))
        section = page.find("section", class_="related")
        return [a.get_text() for a in section.select(".card__title a")] if section else []

    # The article and the blog link its topics' pages.
    article = soup(client.get("/blog/ptsd-and-sleep/", HTTP_HOST=host(nova)))
    assert [(a.get_text(), a["href"]) for a in article.select(".article__topics a")] == [
        ("PTSD", "/blog/topics/ptsd/"),
        ("Sleep", "/blog/topics/sleep/"),
    ]
    blog = soup(client.get("/blog/", HTTP_HOST=host(nova)))
    assert [a["href"] for a in blog.select("nav.topics a")] == [
        "/blog/topics/ptsd/",
        "/blog/topics/sleep/",
    ]

    assert related(nova, "/blog/ptsd-and-sleep/") == ["Insomnia", "PTSD in veterans"]
    assert related(three_rivers, "/blog/ptsd-and-sleep/") == ["Insomnia"]
    assert related(nova, "/blog/insomnia/") == ["PTSD and sleep"]


def related_queries(client, clinic) -> int:
    client.get("/blog/anchor/", HTTP_HOST=host(clinic))
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/blog/anchor/", HTTP_HOST=host(clinic)).status_code == 200
    return len(captured)


def test_related_articles_cost_the_same_queries_for_one_or_many(client, nova):
    topic = TopicFactory()
    anchor = make_library_article(title="Anchor")
    anchor.topics.add(topic)
    publish(anchor)
    neighbour = make_library_article(title="Neighbour 0")
    neighbour.topics.add(topic)
    publish(neighbour)
    one = related_queries(client, nova)
    for n in range(1, 4):
        more = make_library_article(title=f"Neighbour {n}", body=[paragraph("More.")])
        more.topics.add(topic)
        publish(more)
    assert related_queries(client, nova) == one


# --- search ----------------------------------------------------------------------------


def search(client, clinic, query):
    response = client.get("/search/", {"q": query}, HTTP_HOST=host(clinic))
    assert response.status_code == 200
    return [a["href"] for a in soup(response).select(".search__results a")]


def test_search_finds_the_library_text_on_this_clinics_live_copies_only(client, nova, three_rivers):
    make_library_article(
        title="Causes of trauma", body=[paragraph("Hippocampus volume and zebrafinch genetics.")]
    )
    drafted = make_library_article(
        title="Zebrafinch sleep", body=[paragraph("Zebrafinch studies of sleep.")]
    )
    ClinicArticlePage.objects.descendant_of(nova).get(source=drafted).unpublish()
    assert search(client, nova, "zebrafinch") == ["/blog/causes-of-trauma/"]
    assert sorted(search(client, three_rivers, "zebrafinch")) == [
        "/blog/causes-of-trauma/",
        "/blog/zebrafinch-sleep/",
    ]


def test_search_reads_each_clinics_own_words(client, nova, three_rivers):
    article = make_library_article(
        title="Causes of trauma",
        body=[paragraph("Zebrafinch genetics.", "b1"), paragraph("Sleep matters.", "b2")],
    )
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(copy, "b1", BodyOverride.Action.REPLACE, [paragraph("Heronwing genetics.")])
    # Nova's page reads its own words, not the library's it replaced...
    assert search(client, nova, "heronwing") == ["/blog/causes-of-trauma/"]
    assert search(client, nova, "zebrafinch") == []
    # ...and Three Rivers, which inherits the paragraph, reads the library's.
    assert search(client, three_rivers, "zebrafinch") == ["/blog/causes-of-trauma/"]
    assert search(client, three_rivers, "heronwing") == []


def test_a_library_edit_reaches_the_search_of_the_copies_that_inherit_it(
    client, nova, three_rivers
):
    article = make_library_article(
        title="Causes of trauma",
        body=[paragraph("Zebrafinch genetics.", "b1"), paragraph("Sleep matters.", "b2")],
    )
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(copy, "b2", BodyOverride.Action.REPLACE, [paragraph("Rest matters.")])
    library = article.get_latest_revision_as_object()
    library.body = [paragraph("Ospreyfeather genetics.", "b1"), paragraph("Sleep matters.", "b2")]
    with committed():  # the publishing run's jobs re-index each clinic's copy
        library.save_revision().publish()
    for clinic in (nova, three_rivers):
        assert search(client, clinic, "ospreyfeather") == ["/blog/causes-of-trauma/"]
        assert search(client, clinic, "zebrafinch") == []
    assert search(client, nova, "rest") == ["/blog/causes-of-trauma/"]


def test_search_never_returns_another_clinics_pages_or_drafts(client, nova, three_rivers):
    _, (member,) = team_of(three_rivers, "Quillon Marsh")
    own_team, (own,) = team_of(nova, "Quillon Avery")
    # A draft of Nova's own: its new words are not searchable until published.
    own.bio = "Secret draft quillon words."
    own.save_revision()
    location = nova.add_child(
        instance=LocationPage(title="Find Quillon Street", slug="contact", live=False)
    )
    location.save_revision()  # never published
    results = search(client, nova, "quillon")
    assert results == ["/team/quillon-avery/"]
    page = client.get("/search/", {"q": "quillon"}, HTTP_HOST=host(nova)).content.decode()
    assert "Marsh" not in page and "Secret draft" not in page and "Quillon Street" not in page
    assert search(client, three_rivers, "quillon") == ["/team/quillon-marsh/"]


def test_the_search_page_has_a_labelled_form_and_is_not_indexed(client, nova):
    response = client.get("/search/", {"q": "anything"}, HTTP_HOST=host(nova))
    page = soup(response)
    field = page.find("input", attrs={"name": "q"})
    assert page.find("label", attrs={"for": field["id"]}) is not None
    assert field["value"] == "anything"
    # Every page's main navigation links it.
    home = soup(client.get("/", HTTP_HOST=host(nova)))
    assert home.find("nav", attrs={"aria-label": "Main"}).find("a", href="/search/") is not None
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"


@pytest.mark.parametrize(
    "query", ["\x00zebra", ")(*&^%", "AND OR NOT", "'\"", "x" * 5000, "<script>", "-", "ü"]
)
def test_any_search_query_is_an_answer_not_an_error(client, nova, query):
    response = client.get("/search/", {"q": query}, HTTP_HOST=host(nova))
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</head>", 1)[1]


def search_queries(client, clinic) -> int:
    client.get("/search/", {"q": "budget"}, HTTP_HOST=host(clinic))
    with CaptureQueriesContext(connection) as captured:
        client.get("/search/", {"q": "budget"}, HTTP_HOST=host(clinic))
    return len(captured)


def test_search_costs_the_same_queries_for_few_or_many_hits(client, nova):
    make_library_article(title="Budget one", body=[paragraph("Budget text.")])
    few = search_queries(client, nova)
    for n in range(5):
        make_library_article(title=f"Budget {n + 2}", body=[paragraph("Budget text.")])
    assert len(search(client, nova, "budget")) == 6
    assert search_queries(client, nova) == few


# --- location and contact --------------------------------------------------------------------


def test_the_location_page_shows_the_clinics_facts_and_is_a_contact_page(client, nova):
    clinic = ClinicHomePage.objects.get(pk=nova.pk)
    clinic.street_address = "100 Harbor Way"
    clinic.postal_code = "97201"
    clinic.latitude, clinic.longitude = "45.512300", "-122.678900"
    clinic.opening_hours = [
        ("hours", {"days": ["Monday", "Tuesday", "Wednesday"], "opens": "08:00", "closes": "18:00"})
    ]
    publish(clinic)
    location = nova.add_child(
        instance=LocationPage(
            title="Location and contact", slug="contact", directions="Park behind."
        )
    )
    publish(location)
    response = client.get("/contact/", HTTP_HOST=host(nova))
    page = soup(response)
    assert page.find("a", href=clinic.phone_href).get_text() == clinic.phone
    assert page.find("a", href="https://nova.example/book") is not None
    map_link = page.find("a", href=lambda h: h and "openstreetmap.org" in h)
    assert "mlat=45.512300" in map_link["href"] and "mlon=-122.678900" in map_link["href"]
    assert "Mon–Wed" in page.get_text() and "Park behind." in page.get_text()
    nodes = graph(response)
    assert node(nodes, "ContactPage")["mainEntity"] == {"@id": node(nodes, "MedicalClinic")["@id"]}
    assert node(nodes, "MedicalClinic")["address"]["streetAddress"] == "100 Harbor Way"
    headings = [h.name for h in page.find("main").find_all(["h1", "h2", "h3"])]
    assert headings[0] == "h1" and "h3" not in headings  # no level skipped


# --- editors: each clinic's own pages ------------------------------------------------------------


def test_another_clinics_editor_cannot_edit_its_team_or_location_pages(client, nova, three_rivers):
    _, (member,) = team_of(three_rivers, "Samuel Okafor")
    location = publish(
        three_rivers.add_child(instance=LocationPage(title="Visit us", slug="contact"))
    )
    client.force_login(editor_of(nova))
    for page in (member, location, member.get_parent()):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code in (302, 403), page
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/")
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            {"title": "Hijacked", "slug": page.slug, "action-publish": "publish"},
        )
        assert response.status_code in (302, 403)
        page.refresh_from_db()
        assert page.title != "Hijacked"
    response = client.get(
        reverse(
            "wagtailadmin_pages:add", args=["clinics", "teammemberpage", member.get_parent().pk]
        )
    )
    assert response.status_code in (302, 403)


def test_a_clinics_editor_edits_its_own_team_page(client, nova):
    _, (member,) = team_of(nova, "Maya Chen")
    client.force_login(editor_of(nova))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[member.pk]))
    assert response.status_code == 200


# --- the sitemap -----------------------------------------------------------------------------


def test_the_sitemap_lists_people_topics_team_and_location(client, nova):
    topic = TopicFactory(name="PTSD", slug="ptsd")
    article = make_library_article(author=PersonFactory(name="Ana Ruiz"))
    article.topics.add(topic)
    publish(article)
    team_of(nova, "Maya Chen")
    publish(nova.add_child(instance=LocationPage(title="Contact", slug="contact")))
    body = client.get("/sitemap.xml", HTTP_HOST=host(nova)).content.decode()
    root = f"http://{host(nova)}"
    for path in ("/people/ana-ruiz/", "/blog/topics/ptsd/", "/team/maya-chen/", "/contact/"):
        assert f"<loc>{root}{path}</loc>" in body, path
    assert BlogIndexPage.objects.descendant_of(nova).count() == 1


HEADINGS = ["h1", "h2", "h3", "h4", "h5", "h6"]


def test_the_demo_gives_each_clinic_its_own_sections_team_and_location(client):
    from blog.demo import load_demo

    with committed():
        assert load_demo() is True
    seen = {}
    for hostname in ("nova.localhost:8000", "threerivers.localhost:8000"):
        home = client.get("/", HTTP_HOST=hostname)
        page = soup(home)
        seen[hostname] = [h.get_text() for h in page.find("main").find_all("h2")]
        assert len(page.select(".person-card")) == 2, hostname
        assert node(graph(home), "FAQPage")["mainEntity"], hostname
        assert page.select(".card a"), hostname  # the featured article
        assert client.get("/contact/", HTTP_HOST=hostname).status_code == 200
        byline = soup(client.get("/blog/what-causes-ptsd/", HTTP_HOST=hostname)).find(
            class_="article__byline"
        )
        assert byline.find("a", href="/people/dana-whitfield/") is not None
        # Every new page: one h1, and no heading level skipped.
        member = "/team/maya-chen/" if hostname.startswith("nova") else "/team/samuel-okafor/"
        for path in (
            "/",
            "/team/",
            member,
            "/people/dana-whitfield/",
            "/blog/topics/ptsd/",
            "/contact/",
            "/search/?q=trauma",
            "/blog/what-causes-ptsd/",
        ):
            response = client.get(path, HTTP_HOST=hostname)
            assert response.status_code == 200, (hostname, path)
            levels = [int(h.name[1]) for h in soup(response).find_all(HEADINGS)]
            assert levels.count(1) == 1, (hostname, path)
            assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    nova_sections, three_rivers_sections = seen.values()
    assert nova_sections != three_rivers_sections
    assert not set(nova_sections) & set(three_rivers_sections)  # their own headings
