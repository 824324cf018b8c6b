"""Issue 9, finding 1: the page chooser and the move confirmation show a page passed by its id"""

import json

from django.urls import reverse
from wagtail.models import Page

from tests.security.conftest import leaks, response_text


def test_the_page_chooser_shows_nothing_of_a_page_passed_by_id(as_nova, world):
    for page_id in world.other_ids()["page"]:
        for query in ("", "?page_type=blog.libraryarticlepage"):
            response = as_nova.get(f"/admin/choose-page/{page_id}/{query}")
            assert leaks(response_text(response)) == [], (page_id, query)


def test_the_page_chooser_still_browses_the_editors_own_pages_and_the_library(as_nova, world):
    response = as_nova.get(f"/admin/choose-page/{world.nova_blog.pk}/")
    assert response.status_code == 200
    assert json.loads(response.content)["html"].count(f"/{world.nova_copy.pk}/") or (
        str(world.nova_copy.pk) in response.content.decode()
    )
    library = world.article.get_parent()
    response = as_nova.get(f"/admin/choose-page/{library.pk}/?page_type=blog.libraryarticlepage")
    assert response.status_code == 200
    assert "What Causes PTSD?" in response.content.decode()
    # a published article is listed by its live title, not by the library's newer draft
    assert "Anxiety basics" in response.content.decode()


def test_the_page_chooser_names_library_articles_by_their_live_title(as_nova, world):
    for url in (
        "/admin/choose-page/search/?q=Anxiety",
        f"/admin/choose-page/chosen-multiple/?id={world.library_revised.pk}",
    ):
        response = as_nova.get(url)
        assert leaks(response_text(response)) == [], url


def test_choosing_by_id_returns_nothing_of_pages_the_editor_may_not_choose(as_nova, world):
    ids = "&".join(f"id={pk}" for pk in world.other_ids()["page"])
    response = as_nova.get(f"/admin/choose-page/chosen-multiple/?{ids}")
    assert leaks(response_text(response)) == []


def test_the_move_confirmation_shows_nothing_of_another_clinics_or_a_draft_page(as_nova, world):
    for page_to_move, destination in (
        (world.nova_copy, world.library_draft),
        (world.nova_copy, world.other_blog),
        (world.other_copy, world.nova_blog),
    ):
        url = reverse("wagtailadmin_pages:move_confirm", args=[page_to_move.pk, destination.pk])
        response = as_nova.get(url)
        assert leaks(response_text(response)) == [], url
        as_nova.post(url)
        assert Page.objects.get(pk=page_to_move.pk).get_parent().pk == page_to_move.get_parent().pk
