"""The page cache: what visitors get from it, and who never does."""

import pytest
from django.db import OperationalError
from wagtail.models import Page, PageViewRestriction

from blog.models import ClinicArticlePage
from pagecache import store
from tests.factories import committed, make_clinic, make_library_article, paragraph

# Marked here, not only by tests/conftest.py: pytest-django orders marked tests before
# transactional ones, whose flush would leave later tests without Wagtail's root page.
pytestmark = pytest.mark.django_db

ARTICLE = "/blog/what-causes-ptsd/"


@pytest.fixture
def nova(db):
    return make_clinic("Nova Health Recovery", slug="nova", brand_colour="#1d4f91")


@pytest.fixture
def article(nova):
    return make_library_article(body=[paragraph("Library text, first version.", "p1")])


def get(client, path, host="nova.localhost", **extra):
    return client.get(path, HTTP_HOST=host, **extra)


def test_a_visitor_gets_the_cached_page_after_the_first_render(client, article):
    first = get(client, ARTICLE)
    second = get(client, ARTICLE)
    assert first.status_code == second.status_code == 200
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert b"Library text, first version." in second.content
    # For the CDN: shared caches keep it, browsers revalidate, nothing varies on cookies.
    cache_control = second["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control and "max-age=0" in cache_control
    assert "Vary" not in second
    assert second["ETag"] == first["ETag"] and "Last-Modified" in second
    # Security headers are on the cached page too.
    assert second["X-Frame-Options"] == "SAMEORIGIN"
    assert second["X-Content-Type-Options"] == "nosniff"


def test_a_revalidation_gets_304_and_head_gets_no_body(client, article):
    etag = get(client, ARTICLE)["ETag"]
    again = get(client, ARTICLE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["X-Page-Cache"] == "hit"
    head = client.head(ARTICLE, HTTP_HOST="nova.localhost")
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"
    assert head.content == b"" and int(head["Content-Length"]) > 1000


def test_the_cached_page_carries_no_csp_nonce_and_a_strict_policy(client, article):
    get(client, ARTICLE)
    page = get(client, ARTICLE)
    assert page["X-Page-Cache"] == "hit"
    policy = page["Content-Security-Policy"]
    assert "nonce" not in policy and "unsafe-inline" not in policy
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    html = page.content.decode()
    assert "nonce" not in html and "<style" not in html
    # The clinic's colours and type come from its own stylesheet, named after them.
    assert '<link rel="stylesheet" href="/brand.css?v=1d4f918a3b12system"' in html
    css = get(client, "/brand.css?v=1d4f918a3b12system")
    assert css["Content-Type"].startswith("text/css")
    assert css.content.decode().startswith(":root{--brand:#1d4f91;--accent:#8a3b12;")
    assert "immutable" in css["Cache-Control"]


def test_a_logged_in_editor_never_gets_or_fills_the_cache(client, admin_client, article):
    get(client, ARTICLE)  # cached for visitors
    editor = get(admin_client, ARTICLE)
    assert editor["X-Page-Cache"] == "pass"
    assert "private" in editor["Cache-Control"]
    # Nothing the editor rendered is stored for visitors.
    get(client, "/")
    store.cache().clear()
    get(admin_client, "/")
    assert get(client, "/")["X-Page-Cache"] == "miss"


def test_previews_and_drafts_are_never_cached(client, admin_client, nova, article):
    copy = ClinicArticlePage.objects.get(source=article)
    copy.title_override = "A draft title nobody may see"
    copy.save_revision()
    preview = admin_client.get(f"/admin/pages/{copy.pk}/view_draft/")
    assert preview.status_code == 200 and b"A draft title nobody may see" in preview.content
    assert "X-Page-Cache" not in preview
    visitor = get(client, ARTICLE)
    assert visitor["X-Page-Cache"] == "miss"
    assert b"A draft title nobody may see" not in visitor.content
    assert b"A draft title nobody may see" not in get(client, ARTICLE).content


def test_query_strings(client, nova, article):
    get(client, "/blog/")
    assert get(client, "/blog/?utm_source=newsletter")["X-Page-Cache"] == "hit"
    assert get(client, "/blog/?page=1")["X-Page-Cache"] == "miss"
    assert get(client, "/blog/?page=1")["X-Page-Cache"] == "hit"
    # A parameter the cache does not know might change the page: never cached.
    assert get(client, "/blog/?q=ptsd")["X-Page-Cache"] == "pass"
    assert get(client, "/blog/?q=ptsd")["X-Page-Cache"] == "pass"


def test_errors_and_unknown_hosts_are_not_cached(client, nova, article):
    assert get(client, "/no-such-page/").status_code == 404
    missing = get(client, "/no-such-page/")
    assert missing.status_code == 404 and missing["X-Page-Cache"] == "pass"
    assert get(client, ARTICLE, host="unknown.localhost").status_code == 404


def test_the_last_good_copy_survives_invalidation_until_a_new_render(client, nova, article):
    site_id = nova.get_site().pk
    first = get(client, ARTICLE)
    article.body = [paragraph("Library text, second version.", "p1")]
    with committed():
        article.save_revision().publish()
    # The live entry is dropped: the last good copy is still the first render.
    good = store.last_good_copy(site_id, ARTICLE, "")
    assert good is not None and good.body == first.content
    second = get(client, ARTICLE)
    assert second["X-Page-Cache"] == "miss"
    assert b"second version" in second.content
    assert store.last_good_copy(site_id, ARTICLE, "").body == second.content


def test_the_last_good_copy_is_served_while_the_database_is_away(
    client, nova, article, monkeypatch
):
    first = get(client, ARTICLE)
    store.drop_paths(nova.get_site().pk, [ARTICLE])

    def database_away(self, request, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(ClinicArticlePage, "get_context", database_away)
    response = get(client, ARTICLE)
    assert response.status_code == 200 and response["X-Page-Cache"] == "stale"
    assert response.content == first.content


def test_a_page_that_uses_the_nonce_is_not_cached(client, nova, article, monkeypatch):
    original = ClinicArticlePage.get_context

    def with_nonce(self, request, *args, **kwargs):
        str(request._csp_nonce)  # what `{{ csp_nonce }}` in a template does
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(ClinicArticlePage, "get_context", with_nonce)
    assert get(client, ARTICLE)["X-Page-Cache"] == "pass"
    assert get(client, ARTICLE)["X-Page-Cache"] == "pass"


def test_a_site_wide_drop_is_one_counter(client, nova, article, django_assert_max_num_queries):
    get(client, "/")
    get(client, ARTICLE)
    store.drop_site(nova.get_site().pk)
    assert get(client, "/")["X-Page-Cache"] == "miss"
    assert get(client, ARTICLE)["X-Page-Cache"] == "miss"
    with django_assert_max_num_queries(0):
        assert get(client, ARTICLE)["X-Page-Cache"] == "hit"


def test_deleting_a_page_drops_it(client, nova, article):
    get(client, ARTICLE)
    copy = ClinicArticlePage.objects.get(source=article)
    with committed():
        Page.objects.get(pk=copy.pk).delete()
    assert get(client, ARTICLE).status_code == 404


def test_a_restricted_page_is_never_cached_and_stays_restricted(client, nova, article):
    assert b"Library text" in get(client, ARTICLE).content  # cached; no restriction anywhere
    copy = ClinicArticlePage.objects.get(source=article)
    with committed():
        PageViewRestriction.objects.create(
            page=copy, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    for _ in range(2):
        response = get(client, ARTICLE)
        assert response["X-Page-Cache"] == "pass"
        assert b"Library text" not in response.content and b"password" in response.content


def test_routing_finds_live_pages_only(client, nova, article):
    assert get(client, ARTICLE).status_code == 200
    assert get(client, "/blog/what-causes-ptsd/extra/").status_code == 404
    assert get(client, "/blog/no-such-article/").status_code == 404
    copy = ClinicArticlePage.objects.get(source=article)
    with committed():
        copy.unpublish()
    assert get(client, ARTICLE).status_code == 404
