"""A library correction that conflicts with a clinic's reworded paragraph, decided in
Chromium: Three Rivers' editor finds the stale change on the dashboard, sees the three
texts side by side with the two conflicting sentences marked, keeps the library's new
sentence for one and its own for the other, and publishes; the public page shows the
picked sentences, and the library's correction of the sentence Three Rivers kept.
Screenshots under test-artifacts/journeys/."""

import pytest

from blog.models import BodyOverride, ClinicArticlePage
from tests.browser.conftest import BROWSER_TEST
from tests.browser.test_editor_journeys import ARTICLE, shoot
from tests.factories import add_override, committed, paragraph

pytestmark = BROWSER_TEST
expect = pytest.importorskip("playwright.sync_api").expect

BASE = "Genetics may play a role too. Studies show PTSD runs in families. More research is needed."
OURS = (
    "Your genes can matter as well. Studies show PTSD runs in families. "
    "We follow the research closely."
)
CORRECTED = (
    "Genetics may play a part in PTSD. Studies of twins show PTSD runs in families. "
    "More research on genes is needed."
)


def publish_library(article, genetics: str) -> None:
    library = article.get_latest_revision_as_object()
    body = list(library.body.raw_data)
    for block in body:
        if block["id"] == "b-genetics":
            block["value"] = f"<p>{genetics}</p>"
    library.body = body
    with committed():
        library.save_revision().publish()
    article.refresh_from_db()


def test_a_clinic_editor_picks_per_conflicting_sentence_and_publishes(
    network, page, url, login, editor_of
):
    article, three_rivers = network["article"], network["three_rivers"]
    publish_library(article, BASE)
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    add_override(copy, "b-genetics", BodyOverride.Action.REPLACE, [paragraph(OURS)])
    publish_library(article, CORRECTED)
    assert BodyOverride.objects.get(page=copy).is_stale  # a conflict: nothing merged

    login(page, editor_of(three_rivers), slug="threerivers")
    panel = page.locator("[id^=stale-changes]").first
    panel.get_by_role("link", name="What Causes PTSD?").click()
    change = page.locator('[data-stale-change="b-genetics"]')
    texts = change.locator("[data-three-texts]")
    expect(texts.locator('[data-text="then"] mark')).to_have_text(
        ["Genetics may play a role too.", "More research is needed."]
    )
    expect(texts.locator('[data-text="now"] mark')).to_have_text(
        ["Genetics may play a part in PTSD.", "More research on genes is needed."]
    )
    expect(texts.locator('[data-text="mine"] mark')).to_have_text(
        ["Your genes can matter as well.", "We follow the research closely."]
    )
    shoot(page, "merge-conflict-three-texts")

    form = change.locator("[data-conflicts-form]")
    first = form.locator('[data-conflict-choice="1"]')
    second = form.locator('[data-conflict-choice="2"]')
    first.get_by_label("The library's new text", exact=False).check()
    second.get_by_label("Keep ours", exact=False).check()
    shoot(page, "merge-conflict-picked")
    form.get_by_role("button", name="Save these choices and publish").click()
    expect(page.locator(".messages")).to_contain_text(
        "Saved your choices for each conflict and published it"
    )
    expect(page.locator("[data-no-stale-changes]")).to_be_visible()

    page.goto(url("threerivers", ARTICLE))
    text = " ".join(page.locator("main").inner_text().split())
    assert (
        "Genetics may play a part in PTSD. Studies of twins show PTSD runs in families. "
        "We follow the research closely."
    ) in text
    assert "Your genes can matter as well." not in text
    shoot(page, "merge-conflict-public-page")
