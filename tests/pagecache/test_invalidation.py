"""No stale page after an edit, on any clinic of a network; the CDN is told exactly the
affected URLs."""

import re

import pytest
from django.test import override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend

from blog.models import ClinicArticlePage
from clinics.models import ClinicHomePage
from tests.factories import (
    CallToActionFactory,
    PersonFactory,
    committed,
    make_clinic,
    make_library_article,
    paragraph,
)

# Marked here, not only by tests/conftest.py: pytest-django orders marked tests before
# transactional ones, whose flush would leave later tests without Wagtail's root page.
pytestmark = pytest.mark.django_db

CLINICS = 5
ARTICLE = "/blog/what-causes-ptsd/"
PAGES = ["/", "/blog/", ARTICLE, "/feed/", "/sitemap.xml"]


class RecordingBackend(BaseBackend):
    """A CDN that only remembers what it was asked to purge."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)

    def purge_batch(self, urls):
        self.purged.extend(urls)


CDN = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}


@pytest.fixture
def network(db):
    cta = CallToActionFactory(headline="Talk to {clinic} today")
    author = PersonFactory(name="Dr Original Author")
    clinics = [
        make_clinic(f"Clinic {n}", slug=f"clinic-{n}", default_call_to_action=cta)
        for n in range(CLINICS)
    ]
    # One clinic does not take library articles: nothing of its pages may change.
    bystander = make_clinic(
        "Bystander", slug="bystander", syndication_mode=ClinicHomePage.Syndication.MANUAL
    )
    article = make_library_article(
        body=[paragraph("Library text, first version.", "p1")], author=author
    )
    return clinics, bystander, article, cta, author


def hosts(clinics):
    return [clinic.get_site().hostname for clinic in clinics]


def pages(host):
    return PAGES if host != "bystander.localhost" else [p for p in PAGES if p != ARTICLE]


def warm(client, clinics):
    for host in hosts(clinics):
        for path in pages(host):
            response = client.get(path, HTTP_HOST=host)
            assert response.status_code == 200, (host, path)
            assert client.get(path, HTTP_HOST=host)["X-Page-Cache"] == "hit", (host, path)


def stale_pages(client, clinics, settings) -> list[tuple[str, str]]:
    """Every page as the cache serves it, against a fresh render without the cache."""
    stale = []
    for host in hosts(clinics):
        for path in pages(host):
            served = client.get(path, HTTP_HOST=host)
            settings.PAGECACHE_ENABLED = False
            fresh = client.get(path, HTTP_HOST=host)
            settings.PAGECACHE_ENABLED = True
            if comparable(served.content) != comparable(fresh.content):
                stale.append((host, path))
    return stale


def comparable(content: bytes) -> bytes:
    # A feed with no entries is dated now (Django's syndication framework): not staleness.
    if b"<feed" in content and b"<entry>" not in content:
        return re.sub(rb"<updated>[^<]*</updated>", b"", content)
    return content


def test_no_stale_page_after_a_library_edit(client, network, settings):
    clinics, bystander, article, *_ = network
    warm(client, clinics + [bystander])
    article.body = [paragraph("Library text, corrected.", "p1")]
    article.title = "What Really Causes PTSD?"
    with committed():
        article.save_revision().publish()
    assert stale_pages(client, clinics + [bystander], settings) == []
    for host in hosts(clinics):
        assert b"Library text, corrected." in client.get(ARTICLE, HTTP_HOST=host).content
        assert b"What Really Causes PTSD?" in client.get("/blog/", HTTP_HOST=host).content
    # The clinic that does not carry the article kept its cached pages.
    assert client.get("/", HTTP_HOST="bystander.localhost")["X-Page-Cache"] == "hit"


def test_no_stale_page_after_a_call_to_action_edit(client, network, settings):
    clinics, bystander, _, cta, _ = network
    warm(client, clinics)
    cta.headline = "Speak with {clinic} now"
    with committed():
        cta.save()
    assert stale_pages(client, clinics, settings) == []
    for clinic, host in zip(clinics, hosts(clinics), strict=True):
        assert (
            f"Speak with {clinic.title} now".encode() in client.get(ARTICLE, HTTP_HOST=host).content
        )


def test_no_stale_page_after_a_clinic_facts_edit(client, network, settings):
    clinics, *_ = network
    warm(client, clinics)
    clinic = ClinicHomePage.objects.get(pk=clinics[2].pk)
    clinic.phone = "(999) 555-0000"
    clinic.brand_colour = "#123456"
    with committed():
        clinic.save_revision().publish()
    assert stale_pages(client, clinics, settings) == []
    host = clinic.get_site().hostname
    for path in PAGES[:3]:
        assert b"(999) 555-0000" in client.get(path, HTTP_HOST=host).content
        assert b"brand.css?v=123456" in client.get(path, HTTP_HOST=host).content
    # The other clinics' pages are still served from the cache.
    assert client.get(ARTICLE, HTTP_HOST=hosts(clinics)[0])["X-Page-Cache"] == "hit"


def test_no_stale_page_after_a_person_or_a_copy_edit(client, network, settings):
    clinics, _, article, _, author = network
    warm(client, clinics)
    author.name = "Dr Renamed Author"
    with committed():
        author.save()
    assert stale_pages(client, clinics, settings) == []
    copy = ClinicArticlePage.objects.descendant_of(clinics[1]).get(source=article)
    copy.title_override = "Clinic One, its own title"
    with committed():
        copy.save_revision().publish()
    assert stale_pages(client, clinics, settings) == []
    assert b"Clinic One, its own title" in client.get("/blog/", HTTP_HOST=hosts(clinics)[1]).content


@override_settings(WAGTAILFRONTENDCACHE=CDN)
def test_the_cdn_purges_exactly_the_affected_urls_once_the_fan_out_finishes(network):
    clinics, bystander, article, *_ = network
    RecordingBackend.purged = []
    article.body = [paragraph("Library text, corrected.", "p1")]
    with committed():
        article.save_revision().publish()
    expected = {
        f"http://{host}{path}"
        for host in hosts(clinics)
        # The author's page on each clinic lists the article.
        for path in (
            "/",
            "/blog/",
            ARTICLE,
            "/feed/",
            "/sitemap.xml",
            "/people/dr-original-author/",
        )
    }
    assert set(RecordingBackend.purged) == expected
    assert not any("bystander" in url for url in RecordingBackend.purged)


@override_settings(WAGTAILFRONTENDCACHE=CDN)
def test_the_cdn_purges_every_page_of_a_clinic_whose_facts_changed(network):
    clinics, *_ = network
    RecordingBackend.purged = []
    clinic = ClinicHomePage.objects.get(pk=clinics[0].pk)
    clinic.phone = "(999) 555-0000"
    with committed():
        clinic.save_revision().publish()
    root = f"http://{clinic.get_site().hostname}"
    assert set(RecordingBackend.purged) == {
        root + path
        for path in (
            "/",
            "/blog/",
            ARTICLE,
            "/feed/",
            "/sitemap.xml",
            "/robots.txt",
            "/favicon.svg",
            "/favicon.ico",
            "/social-card.png",
            # The routes of the clinic's home: the shared people's pages and the search.
            "/people/dr-original-author/",
            "/search/",
        )
    }


@override_settings(WAGTAILFRONTENDCACHE=CDN)
def test_a_renamed_article_stops_answering_at_its_old_url(client, network):
    clinics, _, article, *_ = network
    host = hosts(clinics)[0]
    client.get(ARTICLE, HTTP_HOST=host)
    assert client.get(ARTICLE, HTTP_HOST=host)["X-Page-Cache"] == "hit"
    RecordingBackend.purged = []
    copy = ClinicArticlePage.objects.descendant_of(clinics[0]).get(source=article)
    copy.slug = "ptsd-causes"
    with committed():
        copy.save_revision().publish()
    old = client.get(ARTICLE, HTTP_HOST=host)
    assert old.status_code in (301, 302, 404) and old.get("X-Page-Cache") != "hit"
    assert client.get("/blog/ptsd-causes/", HTTP_HOST=host).status_code == 200
    assert f"http://{host}{ARTICLE}" in RecordingBackend.purged
    assert f"http://{host}/blog/ptsd-causes/" in RecordingBackend.purged
