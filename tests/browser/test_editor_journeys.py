"""Editors' journeys in Chromium, each saving screenshots under test-artifacts/journeys/:

- the library rewords a paragraph Three Rivers replaced; its editor finds the stale change
  on the dashboard, compares the library's old and new words and takes the library's
  text, which its page then shows; the central team's matrix shows the copy live with no
  stale change;
- the central team previews a library draft as each clinic, with that clinic's name and
  phone;
- the central team finds a failed publish on its dashboard and retries it.
"""

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
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0


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

    def failing_for_three_rivers(article_id, clinic, user):
        if clinic.pk == three_rivers.pk:
            raise RuntimeError("Three Rivers' blog could not be reached")
        return real_sync(article_id, clinic, user)

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
