"""Plain-text and Markdown files as posts.

Plain text is read as the seeds are written (``textreview.merge.read_plain_text``:
paragraphs separated by blank lines or one a line, headings as short unpunctuated
lines, the title as the first line when it reads as one). Markdown goes through
markdown-it-py (CommonMark, raw HTML off, so HTML in a file shows as text) and then the
same cleaning as WordPress posts.
"""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path

from bs4 import Tag
from django.utils.text import slugify
from markdown_it import MarkdownIt

from clinics.tokens import TOKEN_PATTERN
from imports.cleaning import BlockBuilder
from imports.sources import (
    MAX_IMAGE_BYTES,
    MAX_TEXT_FILE_BYTES,
    ImageRef,
    Refused,
    SourcePost,
    file_sha1,
)
from textreview.merge import read_plain_text

MARKDOWN_SUFFIXES = {".md", ".markdown"}


def title_from_file_name(path: Path) -> str:
    """ "nova-health-recovery--what-causes-ptsd.txt" -> "What causes ptsd"."""
    stem = path.stem.split("--", 1)[-1]
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def clinic_from_file_name(path: Path) -> str | None:
    """The clinic's slug when the file is named "<clinic-slug>--<title>.txt"."""
    return path.stem.split("--", 1)[0] if "--" in path.stem else None


def read_text(path: Path, max_bytes: int = MAX_TEXT_FILE_BYTES) -> str:
    size = path.stat().st_size
    if size > max_bytes:
        raise Refused(
            f"the file is {size / 1_048_576:.1f} MB; text files over "
            f"{max_bytes / 1_048_576:.0f} MB are not imported"
        )
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise Refused("not a text file (it holds binary data)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused(f"not UTF-8 text (byte {error.start})") from None


def check_tokens(post: SourcePost) -> None:
    """Library text says {clinic}, {city} and {phone}; braces in imported text would be
    read as tokens (or refused as unknown ones), so such a post is refused."""
    found = set()
    for text in [post.title or "", *(b.value for b in post.blocks)]:
        found.update(TOKEN_PATTERN.findall(text))
    if found:
        names = ", ".join(f"{{{name}}}" for name in sorted(found))
        raise Refused(f"the text contains {names}, which pages would read as a clinic token")


def read_text_file(path: Path, clinic: str, *, title: str | None = None) -> SourcePost:
    text = read_text(path)
    fallback = title_from_file_name(path)
    key = f"text:{clinic}:{path.name}"
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        post = _read_markdown(path, text, clinic, key, title)
    else:
        found_title, blocks = read_plain_text(text, title=title)
        post = SourcePost(key, clinic, path.name, title or found_title, blocks)
    if not post.blocks:
        raise Refused("no text found")
    post.fallback_title = fallback
    post.slug = slugify(post.title or fallback)
    check_tokens(post)
    return post


def _read_markdown(path: Path, text: str, clinic: str, key: str, title: str | None) -> SourcePost:
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    warnings: list[str] = []
    folder = path.parent.resolve()

    def find_image(img: Tag) -> ImageRef | None:
        src = str(img.get("src", ""))
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
            warnings.append(f"image {src} is not on this machine: not imported")
            return None
        file = (folder / src).resolve()
        if not file.is_relative_to(folder) or not file.is_file():
            warnings.append(f"missing image {src}: not imported")
            return None
        if file.stat().st_size > MAX_IMAGE_BYTES:
            warnings.append(f"image {src} is over {MAX_IMAGE_BYTES // 1_048_576} MB: not imported")
            return None
        return ImageRef(file_sha1(file), file, file.name, str(img.get("alt", "")))

    found_title = None
    first_h1 = re.match(r"\s*<h1>(.*?)</h1>\s*", html, re.DOTALL)
    if first_h1:
        found_title = " ".join(
            html_module.unescape(re.sub(r"<[^>]+>", "", first_h1.group(1))).split()
        )
        html = html[first_h1.end() :]
    builder = BlockBuilder(find_image, warnings.append)
    blocks = builder.build(html)
    post = SourcePost(key, clinic, path.name, title or found_title, blocks)
    post.images = builder.images
    post.warnings = list(dict.fromkeys(warnings))
    return post
