"""A clinic editor in Wagtail's admin: changing their clinic's copy, and nobody else's."""

import re

import pytest

from blog.models import BodyOverride, ClinicArticlePage
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

ARTICLE = "/blog/what-causes-ptsd/"
LIBRARY_TRAUMA = "Trauma is the most significant risk factor for PTSD."
NOVA_TRAUMA = "At Nova, we see trauma as the first thing to talk through."


def copy_in(clinic):
    return ClinicArticlePage.objects.descendant_of(clinic).get()


def test_a_clinic_editor_replaces_a_library_block_with_their_wording(
    network, page, url, login, editor_of
):
    nova, three_rivers = network["nova"], network["three_rivers"]
    login(page, editor_of(nova))
    page.goto(url("nova", f"/admin/pages/{copy_in(nova).pk}/edit/"))

    # A new "body change" row of the InlinePanel.
    page.get_by_role("button", name="Add change").click()
    row = page.locator("#id_body_overrides-FORMS > [data-inline-panel-child]").last
    row.get_by_label("Library block").select_option(label=f"2. Paragraph: {LIBRARY_TRAUMA}")
    row.get_by_label("Action").select_option(label="Replace it with this clinic's wording")

    # Its content: a paragraph block, typed into Draftail.
    row.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Paragraph", exact=True).click()
    editor = row.locator(".public-DraftEditor-content")
    editor.click()
    editor.press_sequentially(NOVA_TRAUMA)
    expect(editor).to_contain_text(NOVA_TRAUMA)
    # Draftail writes its state into the block's hidden input 250 ms after the last
    # keystroke; a submit before that would save what was typed up to then.
    expect(row.locator('input[name$="-content-0-value"]')).to_have_value(
        re.compile(re.escape(NOVA_TRAUMA))
    )

    # Publish, from the footer's action menu.
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    footer.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("has been published")
    assert "/edit/" not in page.url, page.content()

    change = copy_in(nova).body_overrides.get()
    assert (change.anchor, change.action) == ("b-trauma", BodyOverride.Action.REPLACE)

    page.goto(url("nova", ARTICLE))
    body = page.locator(".article__body")
    expect(body).to_contain_text(NOVA_TRAUMA)
    expect(body).not_to_contain_text(LIBRARY_TRAUMA)
    expect(body).to_contain_text("Genetics may play a role too.")

    page.goto(url("threerivers", ARTICLE))
    body = page.locator(".article__body")
    expect(body).to_contain_text(LIBRARY_TRAUMA)
    expect(body).not_to_contain_text(NOVA_TRAUMA)
    assert copy_in(three_rivers).body_overrides.count() == 0


def test_a_clinic_editor_is_refused_another_clinics_page(network, page, url, login, editor_of):
    nova, three_rivers = network["nova"], network["three_rivers"]
    login(page, editor_of(nova))

    page.goto(url("nova", f"/admin/pages/{copy_in(three_rivers).pk}/edit/"))

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages")).to_contain_text("do not have permission")
    expect(page.locator("form#page-edit-form")).to_have_count(0)
