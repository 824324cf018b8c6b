"""Per-domain files: sitemap.xml, robots.txt, the feed and the favicon."""

import xml.etree.ElementTree as ET

from protego import Protego

from blog.models import ClinicArticlePage
from tests.factories import committed, make_library_article, paragraph
from tests.seo.conftest import ARTICLE, NOVA, THREE_RIVERS, copy_of

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = "{http://www.w3.org/2005/Atom}"


def sitemap(client, host) -> dict[str, str]:
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314  (our own response)
    # A shared person's page (a route, no date of its own) has no lastmod.
    return {
        u.find("s:loc", SITEMAP_NS).text: getattr(u.find("s:lastmod", SITEMAP_NS), "text", None)
        for u in root.findall("s:url", SITEMAP_NS)
    }


def test_each_host_lists_only_its_own_live_pages(demo, client):
    team = {NOVA: ["maya-chen", "jordan-ellis"], THREE_RIVERS: ["samuel-okafor", "leah-brandt"]}
    for host in (NOVA, THREE_RIVERS):
        assert sorted(sitemap(client, host)) == sorted(
            [
                f"http://{host}/",
                f"http://{host}/blog/",
                f"http://{host}{ARTICLE}",
                f"http://{host}/blog/topics/ptsd/",
                f"http://{host}/contact/",
                f"http://{host}/people/clinical-content-team/",
                f"http://{host}/people/dana-whitfield/",
                f"http://{host}/team/",
                *(f"http://{host}/team/{slug}/" for slug in team[host]),
            ]
        )


def test_drafts_and_library_urls_stay_out(nova, client):
    make_library_article(title="Draft only", publish=False)
    urls = sitemap(client, "nova.localhost")
    assert not any("library" in u or "draft-only" in u for u in urls)


def test_copies_canonical_elsewhere_or_noindex_stay_out(nova, three_rivers, client):
    long = " ".join(f"word{n}" for n in range(40))
    make_library_article(title="Twin", body=[paragraph(long)], primary_clinic=nova)
    assert "http://nova.localhost/blog/twin/" in sitemap(client, "nova.localhost")
    assert "http://threerivers.localhost/blog/twin/" not in sitemap(client, "threerivers.localhost")
    copy = ClinicArticlePage.objects.descendant_of(nova).get(slug="twin")
    copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.NOINDEX
    with committed():
        copy.save_revision().publish()
    assert "http://nova.localhost/blog/twin/" not in sitemap(client, "nova.localhost")


def test_lastmod_counts_library_edits(demo, client):
    copy = copy_of(demo["nova"])
    source = copy.source
    revision = source.save_revision()
    with committed():
        revision.publish()
    source.refresh_from_db()
    copy.refresh_from_db()
    assert source.last_published_at > copy.last_published_at
    lastmod = sitemap(client, NOVA)[f"http://{NOVA}{ARTICLE}"]
    from django.utils import timezone

    assert lastmod == timezone.localtime(source.last_published_at).date().isoformat()


def test_unknown_hosts_get_no_sitemap(demo, client):
    assert client.get("/sitemap.xml", HTTP_HOST="other.localhost").status_code == 404


def test_robots_names_the_sitemap_and_keeps_admin_out(demo, client):
    response = client.get("/robots.txt", HTTP_HOST=THREE_RIVERS)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    robots = Protego.parse(response.content.decode())
    assert list(robots.sitemaps) == [f"http://{THREE_RIVERS}/sitemap.xml"]
    for url in sitemap(client, THREE_RIVERS):
        assert robots.can_fetch(url, "Googlebot")
    assert not robots.can_fetch(f"http://{THREE_RIVERS}/admin/pages/3/view_draft/", "Googlebot")


def test_unknown_hosts_are_kept_out_entirely(demo, client):
    robots = Protego.parse(client.get("/robots.txt", HTTP_HOST="other.localhost").content.decode())
    assert not robots.can_fetch("http://other.localhost/", "*")


def test_each_clinic_has_an_atom_feed_of_its_blog(demo, client):
    response = client.get("/feed/", HTTP_HOST=THREE_RIVERS)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)  # noqa: S314  (our own response)
    assert feed.find(f"{ATOM}title").text == "Blog | Three Rivers Wellness"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://{THREE_RIVERS}{ARTICLE}"
    assert "Nova" not in response.content.decode()
    html = client.get("/blog/", HTTP_HOST=THREE_RIVERS).content.decode()
    assert (
        f'type="application/atom+xml" title="Three Rivers Wellness: articles" href="http://{THREE_RIVERS}/feed/"'
        in html
    )


def test_each_clinic_has_its_own_favicon(demo, client):
    nova = client.get("/favicon.svg", HTTP_HOST=NOVA)
    three_rivers = client.get("/favicon.svg", HTTP_HOST=THREE_RIVERS)
    assert nova["Content-Type"] == "image/svg+xml"
    assert b"#1d4f91" in nova.content and b">NH<" in nova.content
    assert b"#0f5c4c" in three_rivers.content and b">TR<" in three_rivers.content
    assert client.get("/favicon.ico", HTTP_HOST=NOVA)["Location"] == "/favicon.svg"
