"""The demo reproduces both seed articles word for word, from one library article."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from blog.demo import load_demo
from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from tests.factories import committed

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
CLINICS = {
    "nova.localhost:8000": "nova-health-recovery--what-causes-ptsd.txt",
    "threerivers.localhost:8000": "three-rivers-wellness--what-causes-ptsd.txt",
}


def seed_lines(name: str) -> list[str]:
    return [
        line for line in (SEEDS / name).read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def page_text(client, host: str, path: str) -> str:
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").body.get_text()


def missing_in_order(text: str, lines: list[str]) -> list[str]:
    missing, position = [], 0
    for line in lines:
        found = text.find(line, position)
        if found < 0:
            missing.append(line)
        else:
            position = found + len(line)
    return missing


@pytest.fixture
def demo(db):
    with committed():
        assert load_demo() is True


def test_fixture_seeds_are_the_shared_seeds():
    if not SHARED_SEEDS.exists():
        pytest.skip("../shared/seeds is not beside this checkout")
    for name in CLINICS.values():
        assert (SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes()


@pytest.mark.parametrize("host", CLINICS)
def test_each_clinic_page_reproduces_its_seed_in_order(demo, client, host):
    text = page_text(client, host, "/blog/what-causes-ptsd/")
    assert missing_in_order(text, seed_lines(CLINICS[host])) == []


def test_one_library_article_carried_by_both_clinics(demo):
    article = LibraryArticlePage.objects.get()
    copies = ClinicArticlePage.objects.filter(source=article)
    assert copies.count() == 2
    nova, three_rivers = (
        copies.get(url_path__startswith=f"/{slug}/")
        for slug in ("nova-health-recovery", "three-rivers-wellness")
    )
    # Nova carries the library text as it is; Three Rivers' differences are overrides.
    assert nova.body_overrides.count() == 0
    actions = set(three_rivers.body_overrides.values_list("action", flat=True))
    assert actions == {
        BodyOverride.Action.REPLACE,
        BodyOverride.Action.HIDE,
        BodyOverride.Action.INSERT_AFTER,
    }


def test_the_demo_brands_have_their_own_images_type_and_layout(demo):
    from clinics.models import ClinicHomePage

    nova = ClinicHomePage.objects.get(slug="nova-health-recovery")
    three_rivers = ClinicHomePage.objects.get(slug="three-rivers-wellness")
    assert (nova.type_pairing, nova.home_layout) == ("friendly", "split")
    assert (three_rivers.type_pairing, three_rivers.home_layout) == ("classic", "banner")
    for clinic in (nova, three_rivers):
        # Drawn by the demo (blog.demo_images), in the clinic's own collection.
        assert clinic.logo.collection.name == clinic.hero_image.collection.name == clinic.title
        assert (clinic.logo.width, clinic.hero_image.width) == (512, 1920)
    assert nova.logo.file_hash != three_rivers.logo.file_hash
    # The library article's image is shared; Three Rivers shows its own on its copy.
    article = LibraryArticlePage.objects.get()
    assert article.hero_image.collection.name == "Shared"
    copies = ClinicArticlePage.objects.filter(source=article, live=True)
    overrides = {c.url_path.split("/")[1]: c.hero_image_override for c in copies}
    assert overrides["nova-health-recovery"] is None
    assert overrides["three-rivers-wellness"].collection.name == three_rivers.title


def test_seed_pages_differ_only_where_clinics_chose_their_words(demo, client):
    nova = page_text(client, "nova.localhost:8000", "/blog/what-causes-ptsd/")
    three_rivers = page_text(client, "threerivers.localhost:8000", "/blog/what-causes-ptsd/")
    assert "At Nova Health Recovery, we are here to help" in nova
    assert "At Nova Health Recovery" not in three_rivers
    assert "At Three Rivers Wellness, we specialize" in three_rivers


def test_a_library_edit_reaches_both_clinics_while_overrides_stay(demo, client):
    article = LibraryArticlePage.objects.get()
    revision = article.get_latest_revision_as_object()
    revision.body.append(("paragraph", _rich("A new paragraph from the library team.")))
    revision.save_revision().publish()
    for host, seed in CLINICS.items():
        text = page_text(client, host, "/blog/what-causes-ptsd/")
        assert "A new paragraph from the library team." in text
        assert missing_in_order(text, seed_lines(seed)) == []


def test_load_demo_twice_changes_nothing(demo):
    assert load_demo() is False
    assert ClinicArticlePage.objects.count() == 2


def _rich(text):
    from wagtail.rich_text import RichText

    return RichText(f"<p>{text}</p>")
