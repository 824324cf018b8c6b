"""Importing the two seed files as two clinics' posts: one library article whose two
clinic pages reproduce each seed word for word, with no more override rows than the
hand-built demo (14)."""

import random
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
from tests.imports.corpus import tiny_png

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
    # A third clinic that takes every library article, with no post of its own.
    lakeside = make_clinic("Lakeside Clinic", slug="lakeside", city="Erie", phone="(814) 555-0101")
    assert lakeside.syndication_mode == lakeside.Syndication.ALL
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
    # Carried only at the clinics in the group, not fanned out to Lakeside...
    assert ClinicArticlePage.objects.filter(source=article).count() == 2
    # ...until the central team offers it to the network.
    article = LibraryArticlePage.objects.get(pk=article.pk)
    article.offered_to_subscribers = True
    article.save_revision().publish()
    run_now(LibraryArticlePage.objects.get(pk=article.pk))
    assert ClinicArticlePage.objects.descendant_of(lakeside).get(source=article).live


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
    assert "2 posts imported before: left as they are." in out
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


def test_markdown_with_a_title_list_link_and_image(clinics, tmp_path):
    (tmp_path / "figure.png").write_bytes(tiny_png(random.Random(1), 3))
    post = tmp_path / "sleep.md"
    post.write_text(
        "# Sleep After Trauma\n\nPoor sleep is common after trauma, says "
        "[a review](https://example.org/review) and **most** clinicians.\n\n"
        "## What helps\n\n- A regular bedtime\n- A dark, cool room\n\n"
        "![A quiet bedroom](figure.png)\n\n<script>alert(1)</script> Call Nova Health Recovery.\n",
        encoding="utf-8",
    )
    out = import_text(post, "--clinic", "nova-health-recovery")
    assert "ERROR" not in out
    article = LibraryArticlePage.objects.get()
    assert article.title == "Sleep After Trauma"
    blocks = [(b["type"], b["value"]) for b in article.body.raw_data]
    assert blocks[0] == (
        "paragraph",
        '<p>Poor sleep is common after trauma, says <a href="https://example.org/review">a '
        "review</a> and <b>most</b> clinicians.</p>",
    )
    assert blocks[1] == ("heading", "What helps")
    assert blocks[2] == (
        "paragraph",
        "<ul><li>A regular bedtime</li><li>A dark, cool room</li></ul>",
    )
    assert blocks[3][0] == "image" and blocks[3][1]["alt_text"] == "A quiet bedroom"
    # Raw HTML in Markdown is text, never markup; the clinic's name became a token.
    assert blocks[4] == ("paragraph", "<p>&lt;script&gt;alert(1)&lt;/script&gt; Call {clinic}.</p>")


def test_the_operator_names_the_library_text_and_a_title(clinics):
    import_text(NOVA_SEED, TR_SEED, "--library-from", "nova-health-recovery")
    article = LibraryArticlePage.objects.get()
    nova, three_rivers = (
        ClinicArticlePage.objects.get(url_path__startswith=f"/{slug}/")
        for slug in ("nova-health-recovery", "three-rivers-wellness")
    )
    # Nova's text is the library's: Nova carries it as it is, Three Rivers has the rows.
    assert nova.body_overrides.count() == 0
    assert three_rivers.body_overrides.count() == 14
    assert article.title == "What Causes PTSD?"  # Nova's file has none: Three Rivers' title
    assert not nova.title_override and not three_rivers.title_override


def test_a_title_from_the_command_or_the_file_name(clinics, tmp_path):
    lone = tmp_path / "nova-health-recovery--ketamine-and-sleep.txt"
    lone.write_text("Ketamine may change how people sleep.\n", encoding="utf-8")
    import_text(lone)
    assert LibraryArticlePage.objects.get().title == "Ketamine and sleep"
    other = tmp_path / "notes.txt"
    other.write_text("Anxiety is common after trauma, and it can be treated.\n", encoding="utf-8")
    import_text(other, "--clinic", "three-rivers-wellness", "--title", "Anxiety After Trauma")
    assert LibraryArticlePage.objects.filter(title="Anxiety After Trauma").exists()


def test_a_clinic_imported_after_publication_joins_the_live_article(clinics, client):
    import_text(NOVA_SEED)
    article = LibraryArticlePage.objects.get()
    publish(article)
    import_text(TR_SEED)
    assert LibraryArticlePage.objects.get() == article
    copy = ClinicArticlePage.objects.get(url_path__startswith="/three-rivers-wellness/")
    assert copy.live  # the library article is live: the copy is published at once
    assert copy.body_overrides.count() == 14
    response = client.get(
        "/" + copy.url_path.split("/", 2)[2], HTTP_HOST="three-rivers-wellness.localhost"
    )
    text = BeautifulSoup(response.content, "html.parser").body.get_text()
    assert missing_in_order(text, seed_lines(TR_SEED)) == []
