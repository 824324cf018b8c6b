"""The tenant boundary: a clinic editor works on their own clinic and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection, Page

from blog.models import BlogIndexPage, ClinicArticlePage
from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from tests.factories import (
    CallToActionFactory,
    ImageFactory,
    UserFactory,
    get_library,
    make_library_article,
)

DENIED = "You do not have permission"


@pytest.fixture
def article(nova, three_rivers):
    provision_central_team(get_library())
    return make_library_article()


@pytest.fixture
def nova_editor(nova):
    return UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])


@pytest.fixture
def central_editor(article):
    return UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)])


def copy_in(clinic, article):
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=article)


def is_denied(response) -> bool:
    """Wagtail answers a refused admin view with 403 or a redirect to the dashboard."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"] in ("/admin/", "/admin/login/")


@pytest.mark.parametrize(
    "view", ["edit", "history", "view_draft", "preview_on_edit", "unpublish", "delete", "move"]
)
def test_a_clinic_editor_cannot_open_another_clinics_page(
    client, article, three_rivers, nova_editor, view
):
    client.force_login(nova_editor)
    page = copy_in(three_rivers, article)
    response = client.get(reverse(f"wagtailadmin_pages:{view}", args=[page.pk]))
    assert is_denied(response), response.status_code


@pytest.mark.parametrize("view", ["edit", "view_draft", "preview_on_edit", "history"])
def test_a_clinic_editor_can_open_their_own_page(client, article, nova, nova_editor, view):
    client.force_login(nova_editor)
    response = client.get(reverse(f"wagtailadmin_pages:{view}", args=[copy_in(nova, article).pk]))
    assert response.status_code == 200


def test_a_clinic_editor_cannot_save_or_publish_another_clinics_page(
    client, article, three_rivers, nova_editor
):
    client.force_login(nova_editor)
    page = copy_in(three_rivers, article)
    revisions = page.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {"title_override": "Hijacked", "slug": page.slug, "action-publish": "publish"},
    )
    assert is_denied(response)
    page.refresh_from_db()
    assert page.title_override == "" and page.revisions.count() == revisions


def test_a_clinic_editor_cannot_add_pages_to_another_clinic(client, three_rivers, nova_editor):
    client.force_login(nova_editor)
    blog = BlogIndexPage.objects.child_of(three_rivers).get()
    url = reverse("wagtailadmin_pages:add", args=["blog", "clinicarticlepage", blog.pk])
    assert is_denied(client.get(url))


@pytest.mark.parametrize("view", ["edit", "view_draft", "preview_on_edit"])
def test_a_clinic_editor_cannot_touch_the_library(client, article, nova_editor, view):
    client.force_login(nova_editor)
    assert is_denied(client.get(reverse(f"wagtailadmin_pages:{view}", args=[article.pk])))


def test_the_central_team_edits_the_library_but_no_clinic(client, article, nova, central_editor):
    client.force_login(central_editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).status_code == 200
    assert is_denied(
        client.get(reverse("wagtailadmin_pages:edit", args=[copy_in(nova, article).pk]))
    )


def test_a_clinic_editor_cannot_edit_another_clinics_facts(client, three_rivers, nova_editor):
    client.force_login(nova_editor)
    assert is_denied(client.get(reverse("wagtailadmin_pages:edit", args=[three_rivers.pk])))


def test_a_clinic_editor_may_choose_but_not_change_the_shared_call_to_action(client, nova_editor):
    cta = CallToActionFactory()
    client.force_login(nova_editor)
    edit = reverse("wagtailsnippets_clinics_calltoaction:edit", args=[cta.pk])
    assert is_denied(client.get(edit))
    response = client.post(
        edit, {"name": "x", "headline": "Hijacked", "button_label": "x", "link_type": "booking"}
    )
    assert is_denied(response)
    cta.refresh_from_db()
    assert cta.headline != "Hijacked"
    chooser = client.get(reverse("wagtailsnippetchoosers_clinics_calltoaction:choose"))
    assert chooser.status_code == 200 and cta.name.encode() in chooser.content


def test_a_clinic_editor_cannot_see_or_edit_another_clinics_images(
    client, three_rivers, nova_editor
):
    theirs = ImageFactory(collection=Collection.objects.get(name="Three Rivers Wellness"))
    client.force_login(nova_editor)
    assert is_denied(client.get(reverse("wagtailimages:edit", args=[theirs.pk])))
    listing = client.get(reverse("wagtailimages:index"))
    assert listing.status_code == 200 and theirs.title.encode() not in listing.content
    chooser = client.get(reverse("wagtailimages_chooser:choose"))
    assert theirs.title.encode() not in chooser.content


def test_the_page_chooser_shows_no_other_clinics_pages(
    client, article, nova, three_rivers, nova_editor
):
    theirs = copy_in(three_rivers, article)
    theirs.title_override = "Three Rivers private draft title"
    theirs.save_revision()  # a draft: its title must not leak either
    client.force_login(nova_editor)
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Three Rivers"})
    assert response.status_code == 200
    assert b"Three Rivers Wellness" not in response.content
    root = client.get(reverse("wagtailadmin_choose_page_child", args=[three_rivers.pk]))
    assert b"Three Rivers private draft title" not in root.content


def test_admin_search_does_not_list_other_clinics_pages(client, article, three_rivers, nova_editor):
    client.force_login(nova_editor)
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "Three Rivers"})
    assert response.status_code == 200
    assert f"/admin/pages/{three_rivers.pk}/".encode() not in response.content
    assert Page.objects.filter(pk=three_rivers.pk).exists()


def test_the_central_team_edits_the_shared_call_to_action(client, central_editor):
    cta = CallToActionFactory()
    client.force_login(central_editor)
    response = client.post(
        reverse("wagtailsnippets_clinics_calltoaction:edit", args=[cta.pk]),
        {
            "name": cta.name,
            "headline": "New shared headline at {clinic}",
            "text": "",
            "button_label": "Book",
            "link_type": "booking",
            "link_url": "",
        },
    )
    assert response.status_code == 302
    cta.refresh_from_db()
    assert cta.headline == "New shared headline at {clinic}"
    assert cta.revisions.count() == 1  # edits to the shared snippet keep their history
