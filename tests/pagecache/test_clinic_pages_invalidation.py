"""No stale page after an edit of what the clinic pages are built from: a team page, a
shared person, a topic, a new article on a topic (topic pages, related articles,
the author's page)."""

import pytest
from django.test import override_settings

from clinics.models import TeamIndexPage, TeamMemberPage
from tests.factories import (
    PersonFactory,
    TopicFactory,
    committed,
    make_clinic,
    make_library_article,
)

pytestmark = pytest.mark.django_db


def publish(page):
    with committed():
        page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def network(db):
    clinics = [make_clinic(f"Clinic {n}", slug=f"clinic-{n}") for n in range(3)]
    author = PersonFactory(name="Ana Ruiz")
    topic = TopicFactory(name="PTSD", slug="ptsd")
    article = make_library_article(title="First on PTSD", author=author)
    article.topics.add(topic)
    publish(article)
    for clinic in clinics:
        team = publish(clinic.add_child(instance=TeamIndexPage(title="Our team", slug="team")))
        publish(team.add_child(instance=TeamMemberPage(title="Maya Chen", job_title="Nurse")))
        clinic.sections = [{"type": "team", "value": {"heading": "Our team"}}]
        publish(clinic)
    return clinics, author, topic, article


PATHS = [
    "/",
    "/team/",
    "/team/maya-chen/",
    "/people/ana-ruiz/",
    "/blog/topics/ptsd/",
    "/blog/first-on-ptsd/",
]


def warm(client, clinics, paths=PATHS):
    for clinic in clinics:
        host = clinic.get_site().hostname
        for path in paths:
            assert client.get(path, HTTP_HOST=host).status_code == 200, (host, path)
            assert client.get(path, HTTP_HOST=host)["X-Page-Cache"] == "hit", (host, path)


def stale(client, clinics, settings, paths=PATHS) -> list:
    found = []
    for clinic in clinics:
        host = clinic.get_site().hostname
        for path in paths:
            served = client.get(path, HTTP_HOST=host)
            settings.PAGECACHE_ENABLED = False
            fresh = client.get(path, HTTP_HOST=host)
            settings.PAGECACHE_ENABLED = True
            if (served.status_code, served.content) != (fresh.status_code, fresh.content):
                found.append((host, path))
    return found


def test_a_team_member_edit_reaches_the_home_page_and_team_pages(client, network, settings):
    clinics, *_ = network
    warm(client, clinics)
    member = TeamMemberPage.objects.descendant_of(clinics[1]).get()
    member.job_title = "Psychiatrist and medical director"
    publish(member)
    assert stale(client, clinics, settings) == []
    host = clinics[1].get_site().hostname
    assert b"Psychiatrist and medical director" in client.get("/", HTTP_HOST=host).content
    # Another clinic's pages stay cached.
    other = clinics[0].get_site().hostname
    assert client.get("/team/", HTTP_HOST=other)["X-Page-Cache"] == "hit"


def test_a_person_edit_reaches_their_page_on_every_clinic_old_slug_too(client, network, settings):
    clinics, author, *_ = network
    warm(client, clinics)
    author.credentials = "PhD, trauma researcher"
    with committed():
        author.save()
    assert stale(client, clinics, settings) == []
    author.slug = "ana-ruiz-phd"
    with committed():
        author.save()
    paths = [p for p in PATHS if p != "/people/ana-ruiz/"]
    assert stale(client, clinics, settings, paths) == []
    for clinic in clinics:
        host = clinic.get_site().hostname
        assert client.get("/people/ana-ruiz/", HTTP_HOST=host).status_code == 404
        assert (
            b"/people/ana-ruiz-phd/" in client.get("/blog/first-on-ptsd/", HTTP_HOST=host).content
        )


def test_a_topic_edit_reaches_its_pages(client, network, settings):
    clinics, _, topic, _ = network
    warm(client, clinics)
    topic.name = "Post-traumatic stress"
    with committed():
        topic.save()
    assert stale(client, clinics, settings) == []
    host = clinics[2].get_site().hostname
    assert b"Post-traumatic stress" in client.get("/blog/topics/ptsd/", HTTP_HOST=host).content


def test_a_snippet_edit_is_worked_out_by_a_worker_not_the_request(client, network, settings):
    # A topic's pages are on every clinic: the editor's request only queues the task.
    from django_tasks import default_task_backend

    from pagecache.tasks import drop_snippet_pages

    clinics, _, topic, _ = network
    warm(client, clinics)
    topic.slug = "trauma"
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with committed():
            topic.save()
        results = default_task_backend.results
        queued = [r for r in results if r.task.name == "drop_snippet_pages"]
    assert [r.args for r in queued] == [["topic", topic.pk, ["ptsd", "trauma"]]]
    host = clinics[0].get_site().hostname
    assert client.get("/blog/topics/ptsd/", HTTP_HOST=host)["X-Page-Cache"] == "hit"
    drop_snippet_pages.call(*queued[0].args)  # the worker
    assert client.get("/blog/topics/ptsd/", HTTP_HOST=host).status_code == 404


def test_a_new_article_on_a_topic_reaches_related_articles_topic_and_author_pages(
    client, network, settings
):
    clinics, author, topic, _ = network
    warm(client, clinics)
    second = make_library_article(title="Second on PTSD", author=author, publish=False)
    second.topics.add(topic)
    publish(second)
    assert stale(client, clinics, settings) == []
    for clinic in clinics:
        host = clinic.get_site().hostname
        for path in ("/blog/first-on-ptsd/", "/blog/topics/ptsd/", "/people/ana-ruiz/"):
            assert b"Second on PTSD" in client.get(path, HTTP_HOST=host).content, (host, path)


def test_routing_under_a_routable_page_matches_wagtails(client, settings):
    """The page cache's two-query routing passes through the clinic's routable home
    page, but a path that one of its routes matches goes to Wagtail, whose routes win
    over a child page with that slug (as without the page cache)."""
    from clinics.models import LocationPage

    clinic = make_clinic("Routing Clinic", slug="routing")
    host = clinic.get_site().hostname
    publish(clinic.add_child(instance=LocationPage(title="A page called search", slug="search")))
    for enabled in (True, False):
        settings.PAGECACHE_ENABLED = enabled
        page = client.get("/search/", HTTP_HOST=host).content.decode()
        assert "Search Routing Clinic" in page and "A page called search" not in page
        assert client.get("/blog/", HTTP_HOST=host).status_code == 200
