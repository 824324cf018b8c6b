"""Editing overrides in the admin: blocks are picked by their text, orphans are refused
with a clear message, and a library change under an override is shown and resolved."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import BodyOverride, ClinicArticlePage
from blog.resolution import resolve_article
from tests.factories import (
    UserFactory,
    add_override,
    committed,
    heading,
    make_library_article,
    paragraph,
)


@pytest.fixture
def copy(nova):
    article = make_library_article(
        body=[paragraph("Trauma is a risk factor.", "b1"), heading("Genetics", "b2")]
    )
    return ClinicArticlePage.objects.get(source=article)


@pytest.fixture
def editor(nova, client):
    user = UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])
    client.force_login(user)
    return user


def post_data(copy, overrides, **fields):
    data = {
        "source": copy.source_id,
        "title_override": "",
        "summary_override": "",
        "slug": copy.slug,
        "seo_title": "",
        "search_description": "",
        "canonical_policy": "auto",
        "cta_headline": "",
        "cta_text": "",
        "cta_button_label": "",
        "body_overrides": inline_formset(overrides, initial=len(copy.body_overrides.all())),
        "action-publish": "publish",
    }
    data.update(fields)
    return nested_form_data(data)


def row(anchor, action, blocks=(), *, pk="", keep=False, delete=False):
    data = {
        "id": pk,
        "anchor": anchor,
        "action": action,
        "content": streamfield([("paragraph", rich_text(text)) for text in blocks]),
        "ORDER": "1",
    }
    if keep:
        data["keep_wording"] = "on"
    if delete:
        data["DELETE"] = "1"
    return data


def test_the_edit_view_lists_library_blocks_by_their_text(client, editor, copy):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk]))
    assert response.status_code == 200
    assert "1. Paragraph: Trauma is a risk factor." in response.content.decode()
    assert "2. Heading: Genetics" in response.content.decode()
    assert "From the library" in response.content.decode()


def test_an_editor_overrides_a_block_without_typing_an_id(client, editor, copy):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[copy.pk]),
        post_data(copy, [row("b1", BodyOverride.Action.REPLACE, ["<p>Nova's wording.</p>"])]),
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    override = copy.body_overrides.get()
    assert override.anchor == "b1" and override.source_fingerprint
    # Written against the library's live revision.
    assert override.source_revision_id == copy.source.live_revision_id is not None
    assert [b.plain_text() for b in resolve_article(copy).body][0] == "Nova's wording."
    assert copy.revisions.count() >= 2  # the edit is a revision like any other


def test_an_unknown_token_in_an_override_is_a_validation_error(client, editor, copy):
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[copy.pk]),
        post_data(copy, [row("b1", BodyOverride.Action.REPLACE, ["<p>Call {clinc}.</p>"])]),
    )
    assert response.status_code == 200
    assert "Unknown clinic token {clinc}" in response.content.decode()
    assert not ClinicArticlePage.objects.get(pk=copy.pk).body_overrides.exists()


def test_an_orphaned_override_is_shown_and_refused_until_resolved(client, editor, copy):
    add_override(copy, "b2", BodyOverride.Action.REPLACE, [heading("Our genetics heading")])
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    override = copy.body_overrides.get()
    library = copy.source.get_latest_revision_as_object()
    library.body = [paragraph("Trauma is a risk factor.", "b1")]
    with committed():
        library.save_revision().publish()

    edit = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    assert "(orphaned)" in client.get(edit).content.decode()
    response = client.post(
        edit,
        post_data(copy, [row("b2", BodyOverride.Action.REPLACE, ["<p>x</p>"], pk=override.pk)]),
    )
    assert response.status_code == 200
    assert "no longer in the library article" in response.content.decode()
    assert ClinicArticlePage.objects.get(pk=copy.pk).body_overrides.filter(anchor="b2").exists()

    response = client.post(
        edit,
        post_data(
            copy,
            [row("b2", BodyOverride.Action.REPLACE, ["<p>x</p>"], pk=override.pk, delete=True)],
        ),
    )
    assert response.status_code == 302
    assert not ClinicArticlePage.objects.get(pk=copy.pk).body_overrides.exists()


def test_a_library_change_under_an_override_is_shown_until_the_editor_keeps_it(
    client, editor, copy
):
    add_override(copy, "b1", BodyOverride.Action.REPLACE, [paragraph("Nova's wording.")])
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    override = copy.body_overrides.get()
    library = copy.source.get_latest_revision_as_object()
    library.body = [
        paragraph("Trauma is the main risk factor (revised).", "b1"),
        heading("Genetics", "b2"),
    ]
    with committed():
        library.save_revision().publish()

    edit = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    page = client.get(edit).content.decode()
    assert "the library changed since" in page
    label = BeautifulSoup(page, "html.parser").find(
        "label", attrs={"for": "id_body_overrides-0-keep_wording"}
    )
    assert label is not None and "Keep this wording" in label.get_text()
    assert "Trauma is the main risk factor (revised)." in page

    response = client.post(
        edit,
        post_data(
            copy,
            [
                row(
                    "b1",
                    BodyOverride.Action.REPLACE,
                    ["<p>Nova's wording.</p>"],
                    pk=override.pk,
                    keep=True,
                )
            ],
        ),
    )
    assert response.status_code == 302
    assert "the library changed since" not in client.get(edit).content.decode()
    # Re-checked against the library's revision now.
    kept = ClinicArticlePage.objects.get(pk=copy.pk).body_overrides.get()
    copy.source.refresh_from_db()
    assert kept.source_revision_id == copy.source.live_revision_id
    assert kept.source_revision_id != override.source_revision_id


def test_an_editor_previews_a_new_copy_before_saving_it(client, editor, nova, copy):
    from blog.models import BlogIndexPage

    blog = BlogIndexPage.objects.child_of(nova).get()
    url = reverse("wagtailadmin_pages:preview_on_add", args=["blog", "clinicarticlepage", blog.pk])
    data = post_data(copy, [row("b1", BodyOverride.Action.REPLACE, ["<p>Draft wording.</p>"])])
    data["slug"] = "preview-copy"
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert b"Draft wording." in response.content and b"Genetics" in response.content


def test_the_library_edit_view_shows_which_clinics_carry_it_and_what_went_stale(
    admin_client, copy, three_rivers
):
    add_override(copy, "b1", BodyOverride.Action.REPLACE, [paragraph("Nova's wording.")])
    library = copy.source.get_latest_revision_as_object()
    library.body = [paragraph("Revised.", "b1"), heading("Genetics", "b2")]
    with committed():
        library.save_revision().publish()

    page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[copy.source_id]))
    soup = BeautifulSoup(page.content, "html.parser")
    rows = [
        [cell.get_text(strip=True) for cell in tr.find_all("td")]
        for tr in soup.select("table.listing tbody tr")
    ]
    # Nova made one change and the library changed under it; Three Rivers took it as is.
    assert ["Nova Health Recovery", "Live", "1", "1"] in rows
    assert ["Three Rivers Wellness", "Live", "0", "0"] in rows


def test_an_editor_cannot_place_another_clinics_image_by_its_id(client, editor, copy, three_rivers):
    from wagtail.models import Collection

    from tests.factories import ImageFactory

    theirs = ImageFactory(collection=Collection.objects.get(name="Three Rivers Wellness"))
    ours = ImageFactory(collection=Collection.objects.get(name="Nova Health Recovery"))
    edit = reverse("wagtailadmin_pages:edit", args=[copy.pk])

    response = client.post(edit, post_data(copy, [], hero_image_override=theirs.pk))
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()

    in_block = row("b1", BodyOverride.Action.REPLACE)
    in_block["content"] = streamfield(
        [("image", {"image": theirs.pk, "alt_text": "A room", "decorative": False})]
    )
    response = client.post(edit, post_data(copy, [in_block]))
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()
    assert not ClinicArticlePage.objects.get(pk=copy.pk).body_overrides.exists()

    response = client.post(edit, post_data(copy, [], hero_image_override=ours.pk))
    assert response.status_code == 302
    assert ClinicArticlePage.objects.get(pk=copy.pk).hero_image_override_id == ours.pk


def test_an_editor_cannot_put_another_clinics_image_on_their_home_page(
    client, editor, nova, three_rivers
):
    from wagtail.models import Collection

    from tests.factories import ImageFactory

    theirs = ImageFactory(collection=Collection.objects.get(name="Three Rivers Wellness"))
    data = nested_form_data(
        {
            "title": nova.title,
            "slug": nova.slug,
            "logo": theirs.pk,
            "brand_colour": nova.brand_colour,
            "accent_colour": nova.accent_colour,
            "country": nova.country,
            "syndication_mode": nova.syndication_mode,
            "medical_disclaimer": nova.medical_disclaimer,
            "opening_hours": streamfield([]),
            "social_links": streamfield([]),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data)
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()
    nova.refresh_from_db()
    assert nova.logo_id is None


def test_an_editor_cannot_carry_an_unpublished_library_article(client, editor, copy):
    draft = make_library_article(title="Not yet reviewed", publish=False)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[copy.pk]), post_data(copy, [], source=draft.pk)
    )
    assert response.status_code == 200
    assert "Choose a published library article." in response.content.decode()
    assert ClinicArticlePage.objects.get(pk=copy.pk).source_id != draft.pk
