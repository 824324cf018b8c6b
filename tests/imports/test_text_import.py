"""Importing the two seed files as two clinics' posts: one library article whose two
clinic pages reproduce each seed word for word, with no more override rows than the
hand-built demo (14)."""

from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import WorkflowState

from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from blog.syndication import run_now
from imports.models import ImportedItem
from review.workflow import setup_medical_review
from tests.factories import get_library, make_clinic

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
NOVA_SEED = SEEDS / "nova-health-recovery--what-causes-ptsd.txt"
TR_SEED = SEEDS / "three-rivers-wellness--what-causes-ptsd.txt"
HOSTS = {
    "nova-health-recovery": ("nova-health-recovery.localhost", NOVA_SEED),
    "three-rivers-wellness": ("three-rivers-wellness.localhost", TR_SEED),
}


@pytest.fixture
def clinics(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    get_library()
    nova = make_clinic(
        "Nova Health Recovery",
        slug="nova-health-recovery",
        city="Portland",
        phone="(503) 555-0140",
    )
    three_rivers = make_clinic(
        "Three Rivers Wellness",
        slug="three-rivers-wellness",
        city="Pittsburgh",
        phone="(412) 555-0175",
    )
    return nova, three_rivers


def seed_lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def missing_in_order(text: str, lines: list[str]) -> list[str]:
    missing, position = [], 0
    for line in lines:
        found = text.find(line, position)
        if found < 0:
            missing.append(line)
        else:
            position = found + len(line)
    return missing


def import_text(*args) -> str:
    out = StringIO()
    call_command("import_text", *map(str, args), stdout=out)
    return out.getvalue()


def publish(article: LibraryArticlePage) -> None:
    article = LibraryArticlePage.objects.get(pk=article.pk)
    article.get_latest_revision().publish()
    run_now(LibraryArticlePage.objects.get(pk=article.pk))


def override_rows() -> int:
    return BodyOverride.objects.count()


def test_dry_run_shows_the_group_and_writes_nothing(clinics):
    out = import_text(NOVA_SEED, TR_SEED, "--dry-run")
    print(out)
    assert "Group 1: “What Causes PTSD?” (new library article), 2 posts" in out
    assert "nova-health-recovery: nova-health-recovery--what-causes-ptsd.txt" in out
    assert "three-rivers-wellness: three-rivers-wellness--what-causes-ptsd.txt" in out
    assert "five-word shingles 0.15" in out  # they share little word for word...
    assert "paragraphs aligned 5 of 7/9" in out  # ...but their paragraphs align
    assert "Dry run: nothing was written." in out
    assert not LibraryArticlePage.objects.exists()
    assert not ClinicArticlePage.objects.exists()
    assert not ImportedItem.objects.exists()


def test_the_seeds_become_one_article_reproducing_each_seed(clinics, client):
    out = import_text(NOVA_SEED, TR_SEED)
    print(out)
    article = LibraryArticlePage.objects.get()
    assert not article.live  # a draft: it enters the library through review
    assert article.title == "What Causes PTSD?"
    copies = ClinicArticlePage.objects.filter(source=article)
    assert copies.count() == 2 and not any(copy.live for copy in copies)
    assert override_rows() <= 14
    # No clinic reads another's name: the library text names the clinic by token.
    body = " ".join(str(block["value"]) for block in article.body.raw_data)
    assert "Three Rivers Wellness" not in body and "Nova Health Recovery" not in body
    assert "{clinic}" in body

    publish(article)
    for slug, (host, seed) in HOSTS.items():
        copy = copies.get(url_path__startswith=f"/{slug}/")
        copy.refresh_from_db()
        assert copy.live, slug
        response = client.get("/" + copy.url_path.split("/", 2)[2], HTTP_HOST=host)
        assert response.status_code == 200
        text = BeautifulSoup(response.content, "html.parser").body.get_text()
        assert missing_in_order(text, seed_lines(seed)) == [], slug
    # Carried only at the clinics in the group.
    assert ClinicArticlePage.objects.filter(source=article).count() == 2


def test_each_file_of_its_own_run_joins_the_article_and_a_rerun_changes_nothing(clinics):
    import_text(NOVA_SEED)
    first = LibraryArticlePage.objects.get()
    out = import_text(TR_SEED)
    print(out)
    assert LibraryArticlePage.objects.get() == first  # joined, not a second article
    assert ClinicArticlePage.objects.filter(source=first).count() == 2
    assert override_rows() <= 14
    counts = (
        LibraryArticlePage.objects.count(),
        ClinicArticlePage.objects.count(),
        override_rows(),
    )
    out = import_text(NOVA_SEED, TR_SEED)
    assert "2 post(s) imported before: left as they are." in out
    assert counts == (
        LibraryArticlePage.objects.count(),
        ClinicArticlePage.objects.count(),
        override_rows(),
    )


def test_the_article_is_submitted_to_the_librarys_workflow(clinics):
    workflow = setup_medical_review(get_library())
    import_text(NOVA_SEED, TR_SEED)
    article = LibraryArticlePage.objects.get()
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.workflow == workflow
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert not article.live


def test_unknown_clinic_is_refused(clinics):
    with pytest.raises(CommandError, match="no clinic with slug nowhere"):
        import_text(NOVA_SEED, "--clinic", "nowhere")
