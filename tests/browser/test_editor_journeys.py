"""Editors' journeys in Chromium, each saving screenshots under test-artifacts/journeys/:

- a clinic editor, from the dashboard, gives a paragraph and the title the clinic's own
  words and publishes, in six steps (counted);
- the library rewords a paragraph Three Rivers replaced; its editor finds the stale change
  on the dashboard, compares the library's old and new words and takes the library's
  text, which its page then shows; the central team's matrix shows the copy live with no
  stale change;
- the central team previews a library draft as each clinic, with that clinic's name and
  phone;
- the central team finds a failed publish on its dashboard and retries it.
"""

import re
from pathlib import Path

import pytest

from blog.models import BodyOverride, ClinicArticlePage
from tests.browser.conftest import BROWSER_TEST
from tests.factories import UserFactory, add_override, committed, paragraph

pytestmark = BROWSER_TEST
expect = pytest.importorskip("playwright.sync_api").expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "journeys"
ARTICLE = "/blog/what-causes-ptsd/"
NEW_TEXT = "Trauma is the strongest known risk factor for PTSD."


def shoot(page, name: str) -> None:
    """A screenshot of the page (or of one element, given a locator)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if hasattr(page, "goto"):
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path))
    assert path.stat().st_size > 0


def test_a_clinic_editor_overrides_a_paragraph_and_the_title_and_publishes_in_six_steps(
    network, page, url, login, editor_of
):
    nova = network["nova"]
    login(page, editor_of(nova))  # lands on the dashboard
    shoot(page, "override-0-dashboard")
    steps = []

    def step(kind: str, action) -> None:
        steps.append(kind)
        action()

    panel = page.locator("#new-library-articles-section")
    step("click", panel.get_by_role("link", name="What Causes PTSD?").click)
    step("type", lambda: page.locator("#id_title_override").fill("PTSD: what causes it"))
    line = page.locator("#library-block-b-trauma")
    expect(line.locator("[data-clinic-version]")).to_contain_text("From the library")
    shoot(page.locator("[data-library-body]"), "override-1-side-by-side")
    step("click", line.get_by_role("button", name="Write this clinic's version").click)

    # The paragraph is now the clinic's, starting from the library's words.
    expect(page.locator(".messages")).to_contain_text("Block 2 is now this clinic's own")
    expect(line.locator("[data-clinic-version]")).to_contain_text("This clinic's wording")
    editor = page.locator("#inline_child_body_overrides-0 [contenteditable=true]").first
    expect(editor).to_have_text("Trauma is the most significant risk factor for PTSD.")
    shoot(page, "override-2-prefilled")

    def add_a_sentence():
        editor.click()
        editor.press("Control+End")
        page.keyboard.type(" Our Portland team sees it every day.")

    step("type", add_a_sentence)
    # Draftail writes the form's field a moment after the last key (its save interval).
    stored = page.locator('#inline_child_body_overrides-0 input[name$="-content-0-value"]')
    expect(stored).to_have_value(re.compile("Our Portland team sees it every day."))
    step("click", page.get_by_role("button", name="More actions").click)
    step("click", page.get_by_role("button", name="Publish").click)
    expect(page.locator(".messages")).to_contain_text("published")
    shoot(page, "override-3-published")
    assert len(steps) <= 6, steps

    page.goto(url("nova", ARTICLE))
    main = page.locator("main")
    expect(page.locator("h1")).to_have_text("PTSD: what causes it")
    expect(main).to_contain_text(
        "Trauma is the most significant risk factor for PTSD. Our Portland team sees it every day."
    )
    expect(main).to_contain_text("Genetics may play a role too.")  # still the library's
    shoot(page, "override-4-public-page")

    # The central team's matrix: Nova's copy live with its one changed block, Three
    # Rivers' live with none.
    page.context.clear_cookies()
    login(page, UserFactory(is_superuser=True))
    page.goto(url("nova", "/admin/reports/network-matrix/"))
    copies = ClinicArticlePage.objects.filter(source=network["article"])
    for copy in copies:
        cell = page.locator(f'td[data-copy="{copy.pk}"]')
        expect(cell).to_have_attribute("data-cell-state", "live")
        changes = "1 change" if copy.get_parent().get_parent().pk == nova.pk else "0 changes"
        expect(cell).to_contain_text(changes)
    shoot(page, "override-5-network-matrix")


def test_a_clinic_editor_takes_the_librarys_text_for_a_stale_change(
    network, page, url, login, editor_of
):
    article, three_rivers = network["article"], network["three_rivers"]
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    add_override(copy, "b-trauma", BodyOverride.Action.REPLACE, [paragraph("Our own words.")])
    library = article.get_latest_revision_as_object()
    library.body = [
        {"type": "heading", "value": "Trauma", "id": "b-heading"},
        paragraph(NEW_TEXT, "b-trauma"),
        paragraph("Genetics may play a role too.", "b-genetics"),
    ]
    with committed():
        library.save_revision().publish()

    login(page, editor_of(three_rivers), slug="threerivers")
    panel = page.locator("#stale-changes-content, [id^=stale-changes]").first
    panel.get_by_role("link", name="What Causes PTSD?").click()
    change = page.locator('[data-stale-change="b-trauma"]')
    expect(change.locator("del")).to_have_text("most significant")
    expect(change.locator("ins")).to_have_text("strongest known")
    expect(change.locator("[data-clinic-text]")).to_have_text("Our own words.")
    shoot(page, "stale-change-comparison")
    change.get_by_role("button", name="Take the library's text").click()
    expect(page.locator(".messages")).to_contain_text("Took the library's text and published it")
    shoot(page, "stale-change-taken")

    page.goto(url("threerivers", ARTICLE))
    assert NEW_TEXT in page.locator("main").inner_text()
    assert "Our own words." not in page.locator("main").inner_text()
    shoot(page, "stale-change-public-page")

    central = UserFactory(is_superuser=True)
    page.context.clear_cookies()
    login(page, central)
    page.goto(url("nova", "/admin/reports/network-matrix/"))
    cell = page.locator(f'td[data-copy="{copy.pk}"]')
    assert cell.get_attribute("data-cell-state") == "live"
    assert "stale" not in cell.inner_text()
    shoot(page, "network-matrix")


def test_the_central_team_previews_a_library_draft_as_each_clinic(network, page, url, login):
    article = network["article"]
    login(page, UserFactory(is_superuser=True))
    page.goto(url("nova", f"/admin/pages/{article.pk}/edit/"))
    page.get_by_role("button", name="Toggle preview").click()
    for clinic in (network["nova"], network["three_rivers"]):
        page.locator("#id_preview_mode").select_option(label=f"On {clinic.title}")
        frame = page.frame_locator("iframe.w-preview__iframe, iframe#w-preview-iframe").first
        expect(frame.locator(".site-header")).to_contain_text(clinic.title)
        expect(frame.locator("body")).to_contain_text(clinic.phone)
        shoot(page, f"preview-as-{clinic.slug}")


def test_the_central_team_finds_a_failed_publish_on_its_dashboard_and_retries_it(
    network, page, url, login, monkeypatch
):
    from blog import syndication
    from blog.models import SyndicationJob, SyndicationRun
    from clinics.provisioning import provision_central_team
    from tests.factories import get_library, make_library_article

    three_rivers = network["three_rivers"]
    real_sync = syndication.sync_clinic

    def failing_for_three_rivers(article_id, clinic, user, **kwargs):
        if clinic.pk == three_rivers.pk:
            raise RuntimeError("Three Rivers' blog could not be reached")
        return real_sync(article_id, clinic, user, **kwargs)

    monkeypatch.setattr(syndication, "sync_clinic", failing_for_three_rivers)
    article = make_library_article("Sleep after trauma", body=[paragraph("Sleep matters.", "s1")])
    monkeypatch.setattr(syndication, "sync_clinic", real_sync)
    run = SyndicationRun.objects.get(article=article)
    assert run.jobs.get(clinic=three_rivers).status == SyndicationJob.Status.FAILED

    login(page, UserFactory(groups=[provision_central_team(get_library())]))
    panel = page.locator("#failed-publishing-runs-section")
    shoot(page, "failed-run-dashboard")
    panel.get_by_role("link", name="Sleep after trauma").click()
    expect(page.locator("[data-job-counts]")).to_contain_text("1 failed")
    page.get_by_role("button", name="Retry failed jobs (1)").click()
    expect(page.locator("[data-job-counts]")).to_contain_text("0 failed")
    shoot(page, "failed-run-retried")
    assert ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article).live
