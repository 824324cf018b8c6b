"""Hostile and broken files are refused with a message and nothing of them is written;
problems within a good file are reported item by item while the rest is imported."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from imports.models import ImportedItem
from tests.factories import get_library, make_clinic
from tests.imports.corpus import CLINICS, generate
from tests.imports.wxr import FOOTER, HEADER, post_item, write_exports

CLINIC = CLINICS[0]

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&lol9;</title></item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version><item><title>&secret;</title></item></channel></rss>
"""


@pytest.fixture
def setup(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    get_library()
    make_clinic(CLINIC.name, slug=CLINIC.slug, city=CLINIC.city, phone=CLINIC.phone)
    network = generate(12, seed=2, clinics=[CLINIC])
    files, media, _ = write_exports(network, tmp_path, [CLINIC])
    return tmp_path, files[CLINIC.slug], media[CLINIC.slug], network


def run(*args) -> str:
    out = StringIO()
    call_command("import_wordpress", *map(str, args), stdout=out)
    return out.getvalue()


def nothing_written() -> bool:
    return not (
        ImportedItem.objects.exists()
        or LibraryArticlePage.objects.exists()
        or ClinicArticlePage.objects.exists()
        or BodyOverride.objects.exists()
    )


def hostile(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


def truncated(folder: Path, good: Path) -> Path:
    text = good.read_text(encoding="utf-8")
    return hostile(folder, "broken.xml", text[: len(text) // 2])


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("laughs.xml", lambda f, g: hostile(f, "laughs.xml", BILLION_LAUGHS), "declares a DTD"),
        (
            "external.xml",
            lambda f, g: hostile(f, "external.xml", EXTERNAL_ENTITY),
            "declares a DTD",
        ),
        ("broken.xml", truncated, "not well-formed XML"),
        (
            "junk.xml",
            lambda f, g: hostile(f, "junk.xml", b"\x00\xff junk \x89PNG" * 1000),
            "not well-formed",
        ),
        (
            "notwxr.xml",
            lambda f, g: hostile(f, "notwxr.xml", "<rss><channel></channel></rss>"),
            "not a WordPress export",
        ),
    ],
)
def test_hostile_and_broken_exports_are_refused_and_write_nothing(setup, name, make, message):
    folder, good, media, _ = setup
    path = make(folder, good)
    out = StringIO()
    with pytest.raises(CommandError, match="nothing to import"):
        call_command("import_wordpress", str(path), "--clinic", CLINIC.slug, stdout=out)
    assert f"ERROR {path}: refused, nothing imported from it:" in out.getvalue()
    assert message in out.getvalue()
    assert nothing_written()


def test_fifty_megabytes_of_junk_is_refused_before_it_is_read(setup):
    folder, _, _, _ = setup
    junk = folder / "junk-50mb.xml"
    with junk.open("wb") as handle:
        chunk = bytes(range(256)) * 4096  # 1 MiB
        for _ in range(50):
            handle.write(chunk)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_wordpress", str(junk), "--clinic", CLINIC.slug, stdout=out)
    assert "the file is 50.0 MB; exports over 40 MB are refused" in out.getvalue()
    assert nothing_written()


def test_a_hostile_file_beside_a_good_one_leaves_the_good_one_imported(setup):
    folder, good, media, network = setup
    laughs = hostile(folder, "laughs.xml", BILLION_LAUGHS)
    out = run(laughs, good, "--clinic", CLINIC.slug, "--media", media)
    assert "laughs.xml: refused, nothing imported from it" in out
    assert ImportedItem.objects.count() == len(network.posts)
    # Items of the good file that cannot be imported are reported one by one.
    assert "unknown post type “product”: not imported" in out
    assert "missing attachment" in out
    assert "unsafe HTML removed: <script>" in out


def test_an_oversized_or_token_like_post_is_refused_alone(setup):
    folder, good, media, network = setup
    posts = network.by_clinic(CLINIC.slug)
    big, braces = posts[0], posts[1]
    big.blocks = [("paragraph", "Words. " * 200_000)]
    braces.blocks = [("paragraph", "Our {discount} this month is large.")]
    body = HEADER.format(name=CLINIC.name, host=CLINIC.host)
    body += "".join(post_item(p, CLINIC) for p in posts[:4]) + FOOTER
    path = hostile(folder, "mixed.xml", body)
    out = run(path, "--clinic", CLINIC.slug)
    assert "characters; over 1,000,000 is refused" in out
    assert "the text contains {discount}, which pages would read as a clinic token" in out
    assert ImportedItem.objects.count() == 2


def test_text_files_that_are_not_text_are_refused(setup, tmp_path):
    binary = hostile(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00junk")
    latin = hostile(tmp_path, "latin.txt", "Caf\xe9 au lait.".encode("latin-1"))
    huge = hostile(tmp_path, "huge.txt", b"Words and more words.\n" * 200_000)
    out = StringIO()
    with pytest.raises(CommandError, match="nothing to import"):
        call_command(
            "import_text", str(binary), str(latin), str(huge), "--clinic", CLINIC.slug, stdout=out
        )
    text = out.getvalue()
    assert "binary.txt: refused: not a text file" in text
    assert "latin.txt: refused: not UTF-8 text" in text
    assert "huge.txt: refused: the file is 4.2 MB; text files over 2 MB are not imported" in text
    assert nothing_written()
    assert Page.objects.filter(depth__gt=3).count() == 0
