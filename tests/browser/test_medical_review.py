"""Medical review in the admin and on the public page (issue 10's "done when"): a cure
claim in a clinic's words goes to review, not live; the reviewer approves and the
byline names them and the day; nobody types a reviewer; a clean clinic edit publishes
at once although the library's own text has a finding."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.dateformat import format as date_format

from blog.models import ClinicArticlePage, LibraryArticlePage
from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from review.workflow import CLINIC_WORKFLOW_NAME, setup_medical_review
from tests.browser.conftest import BROWSER_TEST
from tests.factories import (
    UserFactory,
    approve,
    get_library,
    make_library_article,
    medical_reviewer,
    paragraph,
)

pytestmark = BROWSER_TEST
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

ARTICLE = "/blog/what-causes-ptsd/"
CLAIMED = "/blog/ketamine-and-ptsd/"
LIBRARY_TRAUMA = "Trauma is the most significant risk factor for PTSD."
CURE = "Ketamine cures PTSD."
CLEAN = "At Nova, we talk every option through with you before any treatment."
LIBRARY_CLAIM = "Ketamine therapy cures PTSD."


@pytest.fixture
def review(network):
    """Medical review set up on the network; the library article approved ten days
    ago by another reviewer, so the byline tells the two approvals apart."""
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    approve(
        network["article"],
        medical_reviewer("Ann Library", "MD"),
        when=timezone.now() - timedelta(days=10),
    )
    return {
        **network,
        "reviewer": medical_reviewer("Dana Whitfield", "MD, psychiatrist"),
        "central_editor": UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)]),
    }


def copy_in(clinic, source) -> ClinicArticlePage:
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=source)


def add_block_after(page, block_label: str, text: str, action="Add this clinic's blocks after it"):
    """A new "body change" row: `action` on the library block, one paragraph typed in."""
    page.get_by_role("button", name="Add change").click()
    row = page.locator("#id_body_overrides-FORMS > [data-inline-panel-child]").last
    row.get_by_label("Library block").select_option(label=block_label)
    row.get_by_label("Action").select_option(label=action)
    row.get_by_role("button", name="Insert a block").click()
    page.get_by_role("option", name="Paragraph", exact=True).click()
    editor = row.locator(".public-DraftEditor-content")
    editor.click()
    editor.press_sequentially(text)
    # Draftail writes the hidden input 250 ms after the last keystroke.
    expect(row.locator('input[name$="-content-0-value"]')).to_have_value(
        re.compile(re.escape(text))
    )


def footer_action(page, name: str):
    footer = page.get_by_role("navigation", name="Actions (footer)")
    footer.get_by_role("button", name="More actions").click()
    return footer.get_by_role("button", name=name, exact=True)


def new_page(browser):
    """A second person's browser (its own cookies)."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(10_000)
    return page


def byline(page):
    return page.locator(".article__byline")


def test_a_cure_claim_goes_to_review_and_the_reviewer_who_approves_is_named(
    review, browser, page, url, login, editor_of
):
    nova, article, reviewer = review["nova"], review["article"], review["reviewer"]
    copy = copy_in(nova, article)
    page.goto(url("nova", ARTICLE))
    expect(byline(page)).to_contain_text("Medically reviewed by Ann Library, MD")

    login(page, editor_of(nova))
    page.goto(url("nova", f"/admin/pages/{copy.pk}/edit/"))
    add_block_after(page, f"2. Paragraph: {LIBRARY_TRAUMA}", CURE)
    footer_action(page, "Publish").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("sent to medical review instead of being published")
    expect(messages).to_contain_text("Promises a cure")

    # Not live: visitors still read the reviewed page.
    page.goto(url("nova", ARTICLE))
    expect(page.locator(".article__body")).not_to_contain_text(CURE)
    expect(byline(page)).to_contain_text("Medically reviewed by Ann Library, MD")
    state = ClinicArticlePage.objects.get(pk=copy.pk).current_workflow_state
    assert state.workflow.name == CLINIC_WORKFLOW_NAME

    # The reviewer, in a browser of their own, approves it from the editor.
    reviewer_page = new_page(browser)
    login(reviewer_page, reviewer)
    reviewer_page.goto(url("nova", f"/admin/pages/{copy.pk}/edit/"))
    expect(reviewer_page.locator("[data-content-review]")).to_contain_text("Promises a cure")
    footer_action(reviewer_page, "Approve").click()
    expect(reviewer_page.locator(".messages")).to_contain_text("has been updated")
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED

    page.goto(url("nova", ARTICLE))
    expect(page.locator(".article__body")).to_contain_text(CURE)
    today = timezone.localdate()
    expect(byline(page)).to_contain_text(
        f"Medically reviewed by Dana Whitfield, MD, psychiatrist on {date_format(today, 'F j, Y')}"
    )
    expect(byline(page).locator("time")).to_have_attribute("datetime", today.isoformat())
    # Three Rivers' copy has no words of its own: it names the library's approval.
    page.goto(url("threerivers", ARTICLE))
    expect(byline(page)).to_contain_text("Medically reviewed by Ann Library, MD")


def test_an_editor_cannot_set_a_reviewer_by_hand(review, browser, page, url, login, editor_of):
    article = review["article"]
    login(page, review["central_editor"])
    page.goto(url("nova", f"/admin/pages/{article.pk}/edit/"))
    form = page.locator("form#page-edit-form")
    expect(form.get_by_role("textbox", name=re.compile("^Summary"))).to_be_visible()
    expect(form.get_by_text("from a medical reviewer's approval")).to_be_visible()
    for role in ("textbox", "combobox", "button"):
        expect(
            form.get_by_role(role, name=re.compile("medical reviewer|last reviewed", re.I))
        ).to_have_count(0)
    expect(page.locator('[name="medical_reviewer"], [name="last_reviewed"]')).to_have_count(0)
    # Publish is not offered: it would be refused. Submitting for review is.
    expect(page.locator('button[name="action-publish"]')).to_have_count(0)
    expect(page.locator('button[name="action-submit"]')).to_have_count(1)

    # The clinic's editor has no reviewer field either.
    copy = copy_in(review["nova"], article)
    page = new_page(browser)
    login(page, editor_of(review["nova"]))
    page.goto(url("nova", f"/admin/pages/{copy.pk}/edit/"))
    expect(page.locator("form#page-edit-form")).to_be_visible()
    expect(page.locator('[name="medical_reviewer"], [name="last_reviewed"]')).to_have_count(0)


def test_a_clean_clinic_edit_publishes_at_once_though_the_library_has_a_finding(
    review, page, url, login, editor_of
):
    nova = review["nova"]
    claimed = make_library_article(
        "Ketamine and PTSD",
        body=[paragraph(LIBRARY_CLAIM, "k-claim"), paragraph("Talk to your doctor.", "k-doc")],
    )
    approve(claimed, review["reviewer"])
    assert LibraryArticlePage.objects.get(pk=claimed.pk).live
    copy = copy_in(nova, claimed)

    login(page, editor_of(nova))
    page.goto(url("nova", f"/admin/pages/{copy.pk}/edit/"))
    # The library's finding is shown, and is the library's matter.
    expect(page.locator("[data-content-review]")).to_contain_text("Promises a cure")
    add_block_after(
        page, "2. Paragraph: Talk to your doctor.", CLEAN, "Replace it with this clinic's wording"
    )
    footer_action(page, "Publish").click()
    expect(page.locator(".messages")).to_contain_text("has been published")
    assert ClinicArticlePage.objects.get(pk=copy.pk).current_workflow_state is None

    page.goto(url("nova", CLAIMED))
    body = page.locator(".article__body")
    expect(body).to_contain_text(CLEAN)
    expect(body).to_contain_text(LIBRARY_CLAIM)
    # Its own words are not reviewed yet, so the page claims no review until they are.
    expect(page.locator(".article__review")).to_have_count(0)
    approve(ClinicArticlePage.objects.get(pk=copy.pk), review["reviewer"])
    page.goto(url("nova", CLAIMED))
    expect(page.locator(".article__review")).to_contain_text("Dana Whitfield")


def test_approving_from_the_dashboard_confirms_it(review, page, url, login, tmp_path):
    """The dashboard's "Awaiting your review" Approve (Wagtail's script posts it and
    follows the redirect): the next page says what the approval did."""
    draft = make_library_article("Sleep and PTSD", body=[paragraph(LIBRARY_TRAUMA)], publish=False)
    draft = LibraryArticlePage.objects.get(pk=draft.pk)
    draft.get_workflow().start(draft, review["central_editor"])
    login(page, review["reviewer"])
    page.goto(url("nova", "/admin/"))
    row = page.locator("tr", has_text="Sleep and PTSD").filter(
        has=page.locator("[data-workflow-action-url]")
    )
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "“Sleep and PTSD” was approved at “Medical claims review” and published."
    )
    page.screenshot(path=str(tmp_path / "dashboard-approved.png"), full_page=True)
    assert LibraryArticlePage.objects.get(pk=draft.pk).live
