"""Title, description, robots, canonical and social tags on every kind of page."""

from blog.models import ClinicArticlePage
from tests.factories import committed, make_library_article, paragraph
from tests.seo.conftest import ARTICLE, NOVA, THREE_RIVERS, copy_of, head


def test_every_page_of_a_clinic_has_its_own_title_and_description(demo, client):
    seen = {}
    for host in (NOVA, THREE_RIVERS):
        pages = {path: head(client.get(path, HTTP_HOST=host)) for path in ("/", "/blog/", ARTICLE)}
        titles = [p["title"] for p in pages.values()]
        descriptions = [p["description"] for p in pages.values()]
        assert len(set(titles)) == 3 and len(set(descriptions)) == 3
        assert all(descriptions) and all(p["h1"] == 1 for p in pages.values())
        assert all(p["canonical"].startswith(f"http://{host}/") for p in pages.values())
        seen[host] = pages
    assert seen[NOVA]["/"]["title"] == "Nova Health Recovery | Portland, OR"
    assert seen[NOVA]["/blog/"]["title"] == "Blog | Nova Health Recovery"
    assert seen[THREE_RIVERS][ARTICLE]["title"] == "What Causes PTSD? | Three Rivers Wellness"
    assert seen[NOVA][ARTICLE]["canonical"] == f"http://{NOVA}{ARTICLE}"
    assert seen[NOVA][ARTICLE]["robots"].startswith("index")


def test_a_clinic_seo_title_overrides_the_pattern(demo, client):
    copy = copy_of(demo["three_rivers"])
    copy.seo_title = "Why PTSD happens, explained by {clinic}"
    with committed():
        copy.save_revision().publish()
    info = head(client.get(ARTICLE, HTTP_HOST=THREE_RIVERS))
    assert (
        info["title"]
        == "Why PTSD happens, explained by Three Rivers Wellness | Three Rivers Wellness"
    )
    assert info["og:title"] == info["title"]


def test_description_falls_back_page_then_summary_then_first_paragraph(nova, client):
    from seo.metadata import page_description

    article = make_library_article(
        title="Sleep", summary="Library summary.", body=[paragraph("Sleep helps {clinic}.")]
    )
    copy = copy_of(nova, article)
    effective = copy.effective()
    assert page_description(copy, nova, effective) == "Library summary."
    effective.summary = ""
    assert page_description(copy, nova, effective) == "Sleep helps Nova Health Recovery."

    copy.summary_override = "A clinic summary."
    with committed():
        copy.save_revision().publish()
    assert head(client.get("/blog/sleep/", HTTP_HOST="nova.localhost"))["description"] == (
        "A clinic summary."
    )
    copy.search_description = "Our own description."
    with committed():
        copy.save_revision().publish()
    assert head(client.get("/blog/sleep/", HTTP_HOST="nova.localhost"))["description"] == (
        "Our own description."
    )


def test_long_descriptions_are_cut_at_160_characters(nova, client):
    make_library_article(title="Long", summary="word " * 100)
    description = head(client.get("/blog/long/", HTTP_HOST="nova.localhost"))["description"]
    assert len(description) <= 160 and description.endswith("…")


def test_social_tags_use_the_clinic_card_when_no_image(nova, client):
    # Neither the article nor the clinic has an image (the demo's have).
    make_library_article(title="Plain")
    info = head(client.get("/blog/plain/", HTTP_HOST="nova.localhost"))
    assert info["og:image"] == "http://nova.localhost/social-card.png"
    assert info["twitter:card"] == "summary_large_image"
    card = client.get("/social-card.png", HTTP_HOST="nova.localhost")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"


def test_social_tags_use_a_rendition_of_the_hero_image(nova, client):
    from tests.factories import ImageFactory

    article = make_library_article(title="Pictured", hero_image=ImageFactory())
    assert article.hero_image_id
    info = head(client.get("/blog/pictured/", HTTP_HOST="nova.localhost"))
    assert "/media/images/" in info["og:image"] and ".fill-1200x630" in info["og:image"]
    assert info["og:image"].startswith("http://nova.localhost/")


def test_paginated_listings_beyond_page_one_are_noindex(nova, client):
    for n in range(13):
        make_library_article(title=f"Article {n}")
    first = head(client.get("/blog/", HTTP_HOST="nova.localhost"))
    second = head(client.get("/blog/?page=2", HTTP_HOST="nova.localhost"))
    assert first["robots"].startswith("index")
    assert second["robots"] == "noindex, follow"
    assert second["title"] == "Blog (page 2) | Nova Health Recovery"
    assert second["title"] != first["title"] and second["description"] != first["description"]


def test_noindex_policy_sets_robots(demo, client):
    copy = copy_of(demo["three_rivers"])
    copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.NOINDEX
    with committed():
        copy.save_revision().publish()
    info = head(client.get(ARTICLE, HTTP_HOST=THREE_RIVERS))
    assert info["robots"] == "noindex, follow"


def test_previews_are_noindex(demo, admin_client):
    copy = copy_of(demo["nova"])
    response = admin_client.get(f"/admin/pages/{copy.pk}/view_draft/")
    assert response.status_code == 200
    assert b"What Causes PTSD?" in response.content
    assert head(response)["robots"] == "noindex, nofollow"


def test_the_404_page_answers_404_with_a_title_and_description(demo, client):
    response = client.get("/no-such-page/", HTTP_HOST=NOVA)
    assert response.status_code == 404  # what keeps it out of search indexes
    info = head(response)
    assert info["title"] == "Page not found | Nova Health Recovery"
    assert info["description"]
    assert info["canonical"] is None and info["h1"] == 1


def test_breadcrumbs_are_visible_on_inner_pages(demo, client):
    soup = head(client.get(ARTICLE, HTTP_HOST=NOVA))["soup"]
    nav = soup.find("nav", attrs={"aria-label": "Breadcrumb"})
    assert [a.get_text() for a in nav.find_all("a")] == ["Home", "Blog", "What Causes PTSD?"]
    assert nav.find_all("a")[-1]["aria-current"] == "page"
