"""The side-by-side view of a clinic copy: every library block beside the clinic's
version, and its one-click changes, each saved as a draft revision with what the editor
had typed."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.models import BlogIndexPage, BodyOverride, ClinicArticlePage
from blog.resolution import resolve_article
from tests.core.test_override_admin import editor, post_data, row  # noqa: F401 (a fixture)
from tests.factories import UserFactory, add_override, heading, make_library_article, paragraph

REPLACE, HIDE = BodyOverride.Action.REPLACE, BodyOverride.Action.HIDE
# Nova's editor, signed in (tests/core/test_override_admin.py's fixture).
pytestmark = pytest.mark.usefixtures("editor")


@pytest.fixture
def copy(nova):
    article = make_library_article(
        body=[
            paragraph("Trauma is a <b>risk</b> factor for {clinic}.", "b1"),
            heading("Genetics", "b2"),
            paragraph("Genes may play a role.", "b3"),
        ]
    )
    return ClinicArticlePage.objects.get(source=article)


def press(client, copy, button: str, overrides=(), **fields):
    """Post the edit form as the browser does when one of the panel's buttons is pressed:
    the form's fields, the button's name and value, and no publish action."""
    data = post_data(copy, list(overrides), **fields)
    del data["action-publish"]
    data["library-block-action"] = button
    return client.post(reverse("wagtailadmin_pages:edit", args=[copy.pk]), data)


def draft(copy) -> ClinicArticlePage:
    return ClinicArticlePage.objects.get(pk=copy.pk).get_latest_revision_as_object()


def lines(client, copy) -> list[tuple[str, str, str]]:
    html = client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk])).content.decode()
    table = BeautifulSoup(html, "html.parser").select("[data-library-body] tbody tr[id]")
    return [
        (
            tr["data-block-state"],
            " ".join(tr.find_all("td")[0].get_text(" ").split()),
            " ".join(tr.select_one("[data-clinic-version]").get_text(" ").split()),
        )
        for tr in table
    ]


def test_each_library_block_is_shown_beside_the_clinics_version(client, copy):
    add_override(copy, "b1", REPLACE, [paragraph("Our words on trauma.")])
    add_override(copy, "b2", BodyOverride.Action.INSERT_AFTER, [paragraph("Our own note.")])
    add_override(copy, "b3", HIDE, [])
    assert lines(client, copy) == [
        (
            "replaced",
            "1. Paragraph Trauma is a risk factor for {clinic}.",
            "This clinic's wording Our words on trauma.",
        ),
        ("inherited", "2. Heading Genetics", "From the library Same words as the library’s"),
        ("clinic-only", "—", "Only on this clinic's site Our own note."),
        ("hidden", "3. Paragraph Genes may play a role.", "Hidden on this clinic's site Not shown"),
    ]


def test_one_click_overrides_a_block_with_the_librarys_text_and_keeps_what_was_typed(client, copy):
    response = press(client, copy, "override:b1", title_override="Our title")
    assert response.status_code == 302
    assert response["Location"].endswith("#inline_child_body_overrides-0")
    page = draft(copy)
    [change] = page.body_overrides.all()
    assert (change.anchor, change.action) == ("b1", REPLACE)
    assert (
        change.content.raw_data[0]["value"] == "<p>Trauma is a <b>risk</b> factor for {clinic}.</p>"
    )
    assert change.source_fingerprint  # written against the library's text now: not stale
    assert page.title_override == "Our title"
    # A draft: visitors still read the library's words until the editor publishes.
    live = ClinicArticlePage.objects.get(pk=copy.pk)
    assert live.title_override == "" and not live.body_overrides.exists()
    assert live.has_unpublished_changes


def test_one_click_hides_a_block_and_another_shows_it_again(client, copy):
    assert press(client, copy, "hide:b3").status_code == 302
    page = draft(copy)
    assert [(o.anchor, o.action) for o in page.body_overrides.all()] == [("b3", HIDE)]
    assert "Genes may play a role." not in resolve_article(page).plain_text()

    [change] = page.body_overrides.all()  # in the draft (the copy is live): no id yet
    response = press(client, page, "revert:b3", [row("b3", HIDE, pk=change.pk or "")])
    assert response.status_code == 302
    assert response["Location"].endswith("#library-block-b3")
    assert not list(draft(copy).body_overrides.all())


def test_a_paragraph_is_added_where_the_editor_clicks(client, copy):
    assert press(client, copy, "add:b2").status_code == 302
    [change] = draft(copy).body_overrides.all()
    assert (change.anchor, change.action) == ("b2", BodyOverride.Action.INSERT_AFTER)
    assert [b["type"] for b in change.content.raw_data] == ["paragraph"]

    assert press(client, copy, "add:__start__").status_code == 302
    actions = {(o.anchor, o.action) for o in draft(copy).body_overrides.all()}
    assert ("__start__", BodyOverride.Action.INSERT_BEFORE) in actions


def test_adding_a_paragraph_to_the_clinics_own_article_is_a_draft_not_an_error(client, nova):
    # A clinic's own article has no library blocks, so no side-by-side view; a posted
    # "add at the start" still lands as a draft with a message.
    blog = BlogIndexPage.objects.child_of(nova).get()
    own = blog.add_child(instance=ClinicArticlePage(title_override="Our news", slug="news"))
    own.save_revision()
    response = press(client, own, "add:__start__", source="", title_override="Our news")
    assert response.status_code == 302
    [change] = draft(own).body_overrides.all()
    assert (change.anchor, change.action) == ("__start__", BodyOverride.Action.INSERT_BEFORE)


def test_a_button_for_a_block_the_library_does_not_have_changes_nothing(client, copy):
    response = press(client, copy, "override:not-a-block")
    assert response.status_code == 302 and "#" not in response["Location"]
    assert not list(draft(copy).body_overrides.all())


def test_a_new_change_row_starts_on_no_block_and_offers_no_keep_box(client, copy):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[copy.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    template = soup.find(id="id_body_overrides-EMPTY_FORM_TEMPLATE")
    template = BeautifulSoup(template.decode_contents() if template else "", "html.parser")
    first = template.select_one("select[name$=anchor] option")
    assert first is not None and first["value"] == ""
    assert "Keep this wording" not in template.get_text()


def test_another_clinics_editor_cannot_press_the_buttons(client, copy, three_rivers):
    outsider = UserFactory(groups=[Group.objects.get(name="Three Rivers Wellness editors")])
    client.force_login(outsider)
    response = press(client, copy, "override:b1")
    assert response.status_code in (302, 403)
    assert not list(draft(copy).body_overrides.all())
    assert "Trauma is a" not in client.get(response.get("Location", "/admin/")).content.decode()
