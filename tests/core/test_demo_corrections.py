"""The demo's article, corrected in the library: a sentence Three Rivers kept word for
word in its reworded genetics paragraph takes the correction (a clean merge, in a draft
Three Rivers publishes), while a correction to a sentence it reworded waits for its
editor as a conflict."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.demo import load_demo
from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from clinics.models import ClinicHomePage
from tests.factories import UserFactory, committed

KEPT = (
    "Studies have shown that PTSD tends to run in families, suggesting that there may be a "
    "genetic component to the condition."
)
CORRECTED = (
    "Studies of families and twins have shown that PTSD tends to run in families, suggesting "
    "that there may be a genetic component to the condition."
)
REWORDED_BY_THREE_RIVERS = (
    "There is also evidence to suggest that genetics may play a role in the development of PTSD."
)
ARTICLE = "/blog/what-causes-ptsd/"
TR = "threerivers.localhost:8000"


@pytest.fixture
def demo(db):
    with committed():
        assert load_demo() is True
    return LibraryArticlePage.objects.get(slug="what-causes-ptsd")


def three_rivers_copy_of(article):
    clinic = ClinicHomePage.objects.get(slug="three-rivers-wellness")
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=article)


def correct(article, old: str, new: str):
    library = article.get_latest_revision_as_object()
    body = list(library.body.raw_data)
    (block,) = [b for b in body if old in str(b["value"])]
    block["value"] = block["value"].replace(old, new)
    library.body = body
    with committed():
        library.save_revision().publish()
    return block["id"]


def text_of(client, host):
    response = client.get(ARTICLE, HTTP_HOST=host)
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "html.parser").body.get_text().split())


def test_a_correction_to_a_kept_sentence_reaches_three_rivers_reworded_paragraph(demo, client):
    three_rivers_copy = three_rivers_copy_of(demo)
    before = text_of(client, TR)
    assert KEPT in before and "Another possible cause of PTSD is genetics." in before
    correct(demo, KEPT, CORRECTED)
    copy = ClinicArticlePage.objects.get(pk=three_rivers_copy.pk)
    assert copy.has_unpublished_changes  # merged as a draft for Three Rivers to review
    with committed():
        copy.get_latest_revision().publish()
    after = text_of(client, TR)
    assert CORRECTED in after
    assert "Another possible cause of PTSD is genetics." in after  # its own words stay
    assert "Research is ongoing to understand the specific genes involved" in after


def test_a_correction_to_a_sentence_three_rivers_reworded_is_a_conflict(demo, client):
    anchor = correct(demo, REWORDED_BY_THREE_RIVERS, "Genetics also play a part in PTSD.")
    copy = three_rivers_copy_of(demo)
    assert not copy.has_unpublished_changes
    assert BodyOverride.objects.get(page=copy, anchor=anchor).is_stale
    editor = UserFactory(groups=[Group.objects.get(name="Three Rivers Wellness editors")])
    client.force_login(editor)
    page = client.get(reverse("blog_stale_changes", args=[copy.pk]))
    soup = BeautifulSoup(page.content, "html.parser")
    # Side by side, the sentence marked in Three Rivers' wording, decided on its own.
    (mark,) = soup.select('[data-text="mine"] mark[data-conflict="1"]')
    assert mark.get_text() == "Another possible cause of PTSD is genetics."
    assert soup.select_one("[data-conflicts-form] [data-conflict-choice='1']") is not None
    assert BodyOverride.objects.get(page=copy, anchor=anchor).merge_state == "conflict"
    conflicts = soup.select("[data-merge-conflicts] td")
    assert [td.get_text() for td in conflicts][:2] == [
        REWORDED_BY_THREE_RIVERS,
        "Genetics also play a part in PTSD.",
    ]
