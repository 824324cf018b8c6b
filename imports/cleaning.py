"""Imported HTML as the article body's blocks, cleaned to what the editor allows.

BeautifulSoup (html.parser) reads whatever a post holds, however malformed, and splits
it into blocks: headings, paragraphs (lists and quotes too), images. Each paragraph's
HTML then goes through Wagtail's own editor conversion (the Draftail contentstate
converter with the paragraph block's features), so what is stored is exactly what the
editor would have saved: disallowed tags and attributes, ``javascript:`` links and
inline styles are dropped. Elements that must not be read as text at all (scripts,
styles, frames, forms, embedded objects) are removed first, and each removal is
reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

from blog.blocks import PARAGRAPH_FEATURES
from imports.sources import ImageRef
from textreview.merge import Block, heading_block

UNSAFE_ELEMENTS = (
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "noscript",
    "template",
    "svg",
    "math",
    "link",
    "meta",
    "base",
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
PARAGRAPHS = ("p", "ul", "ol", "blockquote", "pre", "address", "dl")
CONTAINERS = ("div", "section", "article", "main", "aside", "header", "footer", "figure", "center")
SKIPPED = ("hr", "br", "nav")
_SHORTCODE_RE = re.compile(r"\[/?([a-z_][\w-]*)(?:\s[^\]]*)?\]")
_KEPT_SHORTCODES = {"caption", "wp_caption"}  # their inner image and text are kept
_BLOCK_KEY_RE = re.compile(r'\s+data-block-key="[^"]*"')

_converter = None


def _editor() -> ContentstateConverter:
    global _converter
    if _converter is None:
        _converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    return _converter


def _unsafe_attributes(tag: Tag) -> list[str]:
    """Event handlers and script links among one element's own attributes."""
    found = []
    for name, value in tag.attrs.items():
        if name.lower().startswith("on"):
            found.append(f"{name} attribute")
        elif name.lower() in ("href", "src") and str(value).strip().lower().startswith(
            ("javascript:", "data:", "vbscript:")
        ):
            found.append(f"{str(value).split(':')[0].strip().lower()}: link")
    return found


def clean_rich_text(fragment: str) -> tuple[str, list[str]]:
    """``fragment`` as the paragraph editor would store it, and what unsafe was removed."""
    soup = BeautifulSoup(fragment, "html.parser")
    removed = []
    for element in soup.find_all(UNSAFE_ELEMENTS):
        removed.append(f"<{element.name}>")
        element.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(True):
        removed.extend(_unsafe_attributes(tag))
    if not soup.get_text().strip():
        return "", removed
    converter = _editor()
    cleaned = converter.to_database_format(converter.from_database_format(str(soup)))
    return _BLOCK_KEY_RE.sub("", cleaned), removed


def text_of(html: str) -> str:
    """The words of an HTML fragment as a reader sees them, spaces collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(("p", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6")):
        tag.insert_after(" ")
    return " ".join(soup.get_text().split())


def _strip_shortcodes(text: str, warn: Callable[[str], None]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in _KEPT_SHORTCODES and not match.group(0).startswith("[/"):
            warn(f"shortcode [{name}] is not imported")
        return ""

    return _SHORTCODE_RE.sub(replace, text)


class BlockBuilder:
    """Splits one post's HTML into blocks; images are resolved by ``find_image``."""

    def __init__(
        self,
        find_image: Callable[[Tag], ImageRef | None],
        warn: Callable[[str], None],
    ) -> None:
        self.find_image = find_image
        self.warn = warn
        self.blocks: list[Block] = []
        self.images: dict[str, ImageRef] = {}
        self._inline: list[str] = []

    def build(self, content: str) -> list[Block]:
        content = _strip_shortcodes(content, self.warn)
        soup = BeautifulSoup(content, "html.parser")
        for element in soup.find_all(UNSAFE_ELEMENTS):
            self.warn(f"unsafe HTML removed: <{element.name}>")
            element.decompose()
        for tag in soup.find_all(True):
            for what in _unsafe_attributes(tag):
                self.warn(f"unsafe HTML removed: {what}")
        self._children(soup)
        self._flush()
        return self.blocks

    # -- the tree --

    def _children(self, parent: Tag) -> None:
        for node in list(parent.children):
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                self._inline.append(html.escape(str(node), quote=False))
            elif isinstance(node, Tag):
                self._element(node)

    def _element(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in HEADINGS:
            self._flush()
            self._images_in(tag)
            text = " ".join(tag.get_text().split())
            if text:
                self.blocks.append(heading_block(text))
        elif name in PARAGRAPHS:
            self._flush()
            only_images = not tag.get_text().strip() and tag.find("img")
            if only_images:
                self._images_in(tag)
            else:
                images = [self.find_image(img) for img in tag.find_all("img")]
                for img in tag.find_all("img"):
                    img.decompose()
                if name == "p":
                    self._paragraph(tag.decode_contents())
                else:
                    self._paragraph(str(tag), wrap=False)
                self._add_images(images)
        elif name == "img":
            self._flush()
            self._add_images([self.find_image(tag)])
        elif name in CONTAINERS:
            self._flush()
            self._children(tag)
            self._flush()
        elif name == "table":
            self._flush()
            self.warn("a table was imported as text, one paragraph a row")
            for row in tag.find_all("tr"):
                cells = [" ".join(c.get_text().split()) for c in row.find_all(("td", "th"))]
                self._paragraph(" · ".join(c for c in cells if c))
        elif name in SKIPPED:
            if name == "br":
                self._inline.append("\n")
            else:
                self._flush()
        elif name == "figcaption":
            self._flush()
            self._paragraph(tag.decode_contents())
        else:
            # Inline markup (a, b, strong, em, span, ...) belongs to the paragraph
            # being gathered; images inside it become blocks after it.
            if tag.find("img"):
                images = [self.find_image(img) for img in tag.find_all("img")]
                for img in tag.find_all("img"):
                    img.decompose()
                self._inline.append(str(tag))
                self._flush()
                self._add_images(images)
            else:
                self._inline.append(str(tag))

    # -- blocks --

    def _flush(self) -> None:
        """Loose text between blocks: paragraphs separated by blank lines (WordPress's
        classic editor stores no <p> tags)."""
        if not self._inline:
            return
        loose, self._inline = "".join(self._inline), []
        for part in re.split(r"\n[ \t]*\n", loose):
            self._paragraph(part)

    def _paragraph(self, fragment: str, *, wrap: bool = True) -> None:
        if not fragment.strip():
            return
        cleaned, removed = clean_rich_text(f"<p>{fragment.strip()}</p>" if wrap else fragment)
        for what in removed:
            self.warn(f"unsafe HTML removed: {what}")
        if not cleaned:
            return
        text = text_of(cleaned)
        if text:
            self.blocks.append(Block("paragraph", cleaned, text))

    def _images_in(self, tag: Tag) -> None:
        self._add_images([self.find_image(img) for img in tag.find_all("img")])

    def _add_images(self, images: list[ImageRef | None]) -> None:
        for image in images:
            if image is None:
                continue
            self.images[image.sha1] = image
            self.blocks.append(image.block())
