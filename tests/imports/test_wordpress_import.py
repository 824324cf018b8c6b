"""A generated network of five clinics' WordPress exports (300+ posts with planted
near-copies) imports with its merge precision and recall printed, every page reading
as its source post, images de-duplicated, old URLs redirected, and a re-import that
changes nothing."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from blog.models import BodyOverride, ClinicArticlePage, CopyWithdrawal, LibraryArticlePage
from blog.resolution import effective_title, resolve_article
from clinics.models import Person, Topic
from imports.models import ImportedItem
from tests.factories import get_library, make_clinic
from tests.imports.corpus import CLINICS, generate, grouped_pairs, precision_recall, true_pairs
from tests.imports.wxr import write_exports

ARTICLES = 115


@pytest.fixture
def network(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    get_library()
    for clinic in CLINICS:
        make_clinic(clinic.name, slug=clinic.slug, city=clinic.city, phone=clinic.phone)
    network = generate(ARTICLES, seed=5)
    files, media, missing = write_exports(network, tmp_path / "exports", CLINICS)
    return network, files, media, missing


def import_wordpress(files, media, *extra) -> str:
    args = [str(files[c.slug]) for c in CLINICS]
    for clinic in CLINICS:
        args += ["--clinic", clinic.slug, "--media", str(media[clinic.slug])]
    out = StringIO()
    call_command("import_wordpress", *args, *extra, stdout=out)
    return out.getvalue()


def state() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "overrides": BodyOverride.objects.count(),
        "images": get_image_model().objects.count(),
        "redirects": Redirect.objects.count(),
        "topics": Topic.objects.count(),
        "people": Person.objects.count(),
        "imported": ImportedItem.objects.count(),
        "restorable": CopyWithdrawal.objects.count(),
    }


def visible_blocks(copy: ClinicArticlePage) -> list[tuple[str, str]]:
    """What a visitor reads of the copy's body, block by block (images by kind only)."""
    article = resolve_article(copy)
    return [
        ("image", "") if block.block_type == "image" else (block.block_type, block.plain_text())
        for block in article.body
    ]


def test_a_generated_network_imports_merged_with_precision_and_recall(network, capsys):
    network, files, media, missing = network
    assert len(network.posts) >= 300 and len(CLINICS) >= 5

    out = import_wordpress(files, media, "--dry-run")
    assert "Dry run: nothing was written." in out
    assert not ImportedItem.objects.exists() and not LibraryArticlePage.objects.exists()

    out = import_wordpress(files, media)
    # The planted problems are reported, item by item, and the rest is imported.
    assert out.count("unknown post type “product”: not imported") == len(CLINICS)
    assert "unsafe HTML removed: <script>" in out
    assert "unsafe HTML removed: onclick attribute" in out
    assert "unsafe HTML removed: onmouseover attribute" in out
    assert "missing attachment" in out and missing in out
    assert "skipped 1 page (not blog posts)" in out

    by_key = {f"wordpress:https://{p.clinic.host}:{p.post_id}": p for p in network.posts}
    items = list(ImportedItem.objects.select_related("page", "clinic"))
    assert {item.source_key for item in items} == set(by_key)

    # Grouping: posts merged into one library article are one planted article.
    groups = defaultdict(list)
    for item in items:
        post = by_key[item.source_key]
        groups[item.article_id].append((post.clinic.slug, post.post_id))
    precision, recall = precision_recall(
        grouped_pairs(list(groups.values())), true_pairs(network.posts)
    )
    rows = BodyOverride.objects.count()
    with capsys.disabled():
        print(
            f"\n{len(network.posts)} posts from {len(CLINICS)} clinics, {ARTICLES} planted "
            f"articles -> {len(groups)} library articles; merge precision {precision:.3f}, "
            f"recall {recall:.3f}; {rows} override rows "
            f"({rows / len(network.posts):.1f} a post)\n{out.strip().splitlines()[-1]}"
        )
    assert precision >= 0.95 and recall >= 0.95

    # Carried only at the clinics in each group, and each copy reads as its post.
    for item in items:
        post, copy = by_key[item.source_key], item.page
        assert ClinicArticlePage.objects.filter(source_id=item.article_id).count() == len(
            groups[item.article_id]
        )
        assert effective_title(copy, item.clinic) == post.title
        expected = [
            ("image", "") if kind == "image" else (kind, text)
            for kind, text in post.blocks
            if not (kind == "image" and item.clinic.slug == CLINICS[0].slug and text == missing)
        ]
        assert visible_blocks(copy) == expected, item.source_key
        assert copy.first_published_at.date().isoformat() == post.date
        # The old URL redirects to the copy on the clinic's own site.
        site = Site.objects.get(root_page=item.clinic)
        path = Redirect.normalise_path(post.link)
        assert Redirect.objects.get(site=site, old_path=path).redirect_page_id == copy.pk
        assert "PAYLOAD-42" not in " ".join(text for _, text in visible_blocks(copy))

    # Images de-duplicated by content: one image per picture and collection.
    images = get_image_model().objects.all()
    assert len({(i.collection_id, i.file_hash) for i in images}) == images.count()
    assert images.count() < sum(
        1 for p in network.posts for kind, _ in p.blocks if kind == "image"
    ) + sum(1 for p in network.posts if p.featured)
    # Categories became topics, authors people, the library articles drafts.
    assert Topic.objects.count() == len({p.topic for p in network.posts})
    assert Person.objects.count() == len(CLINICS)
    assert not LibraryArticlePage.objects.filter(live=True).exists()

    # A re-import changes nothing.
    before = state()
    out = import_wordpress(files, media)
    assert f"{len(network.posts)} posts imported before: left as they are." in out
    assert state() == before
