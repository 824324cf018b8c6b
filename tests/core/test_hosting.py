"""Each clinic on its own hostname; the library answers nowhere."""

import pytest

from tests.factories import make_library_article


@pytest.fixture
def article(nova, three_rivers):
    return make_library_article(title="What Causes PTSD?")


def test_each_hostname_serves_its_own_clinic(article, client):
    nova = client.get("/", HTTP_HOST="nova.localhost")
    three_rivers = client.get("/", HTTP_HOST="threerivers.localhost")
    assert b"<h1>Nova Health Recovery</h1>" in nova.content
    assert b"<h1>Three Rivers Wellness</h1>" in three_rivers.content
    assert b"Three Rivers Wellness" not in nova.content


def test_each_clinic_is_themed_with_its_own_colours(nova, three_rivers, client):
    three_rivers.brand_colour = "#0f5c4c"
    three_rivers.save_revision().publish()
    # Each page links its clinic's stylesheet, named after its colours (no inline style).
    for host, colour in (("nova.localhost", b"1d4f91"), ("threerivers.localhost", b"0f5c4c")):
        assert b'href="/brand.css?v=' + colour in client.get("/", HTTP_HOST=host).content
        assert b"--brand:#" + colour in client.get("/brand.css", HTTP_HOST=host).content


@pytest.mark.parametrize("host", ["nova.localhost", "threerivers.localhost"])
@pytest.mark.parametrize("path", ["/library/", "/library/what-causes-ptsd/", "/what-causes-ptsd/"])
def test_the_library_answers_404_on_every_hostname(article, client, host, path):
    assert client.get(path, HTTP_HOST=host).status_code == 404


def test_a_clinics_page_is_not_reachable_on_the_other_clinics_hostname(article, client):
    assert client.get("/blog/what-causes-ptsd/", HTTP_HOST="nova.localhost").status_code == 200
    # Wagtail routes from the Site's root page: Three Rivers' tree has no Nova path.
    for path in ("/nova/blog/what-causes-ptsd/", "/nova/", "/threerivers/blog/"):
        assert client.get(path, HTTP_HOST="nova.localhost").status_code == 404


def test_an_unknown_hostname_gets_no_clinic(article, client):
    assert client.get("/", HTTP_HOST="unknown.localhost").status_code == 404


def test_the_404_page_is_branded_per_clinic(article, client):
    response = client.get("/no-such-page/", HTTP_HOST="threerivers.localhost")
    assert response.status_code == 404
    assert b"Three Rivers Wellness" in response.content
    assert b"couldn\xe2\x80\x99t find that page" in response.content


def test_the_blog_index_is_paginated(nova, client):
    from blog.models import BlogIndexPage

    BlogIndexPage.page_size = 2
    try:
        for n in range(3):
            make_library_article(title=f"Article {n}")
        first = client.get("/blog/", HTTP_HOST="nova.localhost")
        second = client.get("/blog/?page=2", HTTP_HOST="nova.localhost")
        assert first.content.count(b'class="card"') == 2
        assert second.content.count(b'class="card"') == 1
        assert client.get("/blog/?page=9", HTTP_HOST="nova.localhost").status_code == 404
    finally:
        BlogIndexPage.page_size = 12


def test_listing_cards_fill_clinic_tokens(nova, client):
    make_library_article(title="Care nearby", summary="Ketamine therapy in {city}.")
    response = client.get("/blog/", HTTP_HOST="nova.localhost")
    assert b"Ketamine therapy in Portland." in response.content
    assert b"{city}" not in response.content
