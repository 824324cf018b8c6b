"""WordPress export files (WXR 1.0 to 1.2) as posts.

The file is parsed with defusedxml, which refuses a DTD (so entity expansion such as
"billion laughs" and external entities never happen), and only after its size is
checked. A file that is not well-formed XML, or not a WordPress export, is refused as a
whole before anything is written. Within a good file each item stands alone: an item
of an unknown type, without an id, with oversized content or unsafe HTML gets its own
line in the report while the others are read.

Posts (``post_type`` "post", status "publish") become posts; categories become topics,
authors people; attachments are found by id (featured images) and URL (inline images)
and read from ``media_root``, the export's ``wp-content/uploads`` folder copied beside
it: WordPress exports name files but do not contain them.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405  (ParseError only; parsing is defusedxml's)
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import defusedxml.ElementTree as SafeET
from bs4 import Tag
from defusedxml import DefusedXmlException
from django.utils.text import slugify

from imports.cleaning import BlockBuilder
from imports.readers import check_tokens
from imports.sources import (
    MAX_EXPORT_FILE_BYTES,
    MAX_IMAGE_BYTES,
    MAX_POST_CONTENT_CHARS,
    ImageRef,
    Refused,
    Report,
    SourcePost,
    file_sha1,
)

NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
WXR_VERSIONS = ("1.0", "1.1", "1.2")
# WordPress's own types that are not blog posts: skipped and counted, not errors.
OTHER_TYPES = {
    "page",
    "nav_menu_item",
    "revision",
    "custom_css",
    "customize_changeset",
    "oembed_cache",
    "user_request",
    "wp_block",
    "wp_template",
    "wp_template_part",
    "wp_global_styles",
    "wp_navigation",
    "wp_font_family",
    "wp_font_face",
}
UNCATEGORISED = {"uncategorized", "uncategorised"}


@dataclass
class Attachment:
    id: str
    url: str
    relative_path: str
    alt: str
    title: str


class Export:
    """One parsed export: its site, authors, attachments and items."""

    def __init__(self, path: Path, max_bytes: int = MAX_EXPORT_FILE_BYTES) -> None:
        size = path.stat().st_size
        if size > max_bytes:
            raise Refused(
                f"the file is {size / 1_048_576:.1f} MB; exports over "
                f"{max_bytes / 1_048_576:.0f} MB are refused (see --max-size)"
            )
        try:
            tree = SafeET.parse(path, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        except DefusedXmlException as error:
            raise Refused(
                f"refused: the file declares a DTD or entities ({type(error).__name__})"
            ) from None
        except ET.ParseError as error:
            raise Refused(f"not well-formed XML: {error}") from None
        root = tree.getroot()
        channel = root.find("channel")
        version = root.findtext("channel/wp:wxr_version", default="", namespaces=NS).strip()
        if root.tag != "rss" or channel is None or version not in WXR_VERSIONS:
            raise Refused("not a WordPress export (WXR 1.0 to 1.2)")
        self.path = path
        self.channel = channel
        self.site_url = (
            (
                channel.findtext("wp:base_blog_url", default="", namespaces=NS)
                or channel.findtext("link", default="")
            )
            .strip()
            .rstrip("/")
        )
        self.authors = {
            (a.findtext("wp:author_login", default="", namespaces=NS) or "").strip(): (
                a.findtext("wp:author_display_name", default="", namespaces=NS) or ""
            ).strip()
            for a in channel.findall("wp:author", NS)
        }
        self.items = channel.findall("item")
        self.attachments: dict[str, Attachment] = {}
        self.attachments_by_url: dict[str, Attachment] = {}
        for item in self.items:
            if _text(item, "wp:post_type") == "attachment":
                meta = _meta(item)
                attachment = Attachment(
                    id=_text(item, "wp:post_id"),
                    url=_text(item, "wp:attachment_url"),
                    relative_path=meta.get("_wp_attached_file", ""),
                    alt=meta.get("_wp_attachment_image_alt", ""),
                    title=_text(item, "title"),
                )
                self.attachments[attachment.id] = attachment
                if attachment.url:
                    self.attachments_by_url[_url_key(attachment.url)] = attachment


def _text(item, path: str) -> str:
    return (item.findtext(path, default="", namespaces=NS) or "").strip()


def _meta(item) -> dict[str, str]:
    return {
        (m.findtext("wp:meta_key", default="", namespaces=NS) or ""): (
            m.findtext("wp:meta_value", default="", namespaces=NS) or ""
        )
        for m in item.findall("wp:postmeta", NS)
    }


def _url_key(url: str) -> str:
    """An image URL without scheme, host or WordPress's size suffix (-300x200)."""
    path = unquote(urlsplit(url).path)
    return re.sub(r"-\d+x\d+(\.\w+)$", r"\1", path)


def _date(item) -> datetime | None:
    for field, tz in (("wp:post_date_gmt", UTC), ("wp:post_date", None)):
        value = _text(item, field)
        if value and not value.startswith("0000"):
            try:
                parsed = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            return parsed.replace(tzinfo=tz or UTC)
    return None


class MediaFinder:
    """Attachment files under ``media_root``, each read once and hashed."""

    def __init__(self, export: Export, media_root: Path | None) -> None:
        self.export = export
        self.root = media_root.resolve() if media_root else None
        self._hashes: dict[Path, str] = {}

    def file_for(self, attachment: Attachment) -> Path | None:
        if self.root is None:
            return None
        candidates = []
        if attachment.relative_path:
            candidates.append(attachment.relative_path)
        path = unquote(urlsplit(attachment.url).path)
        if "/uploads/" in path:
            candidates.append(path.split("/uploads/", 1)[1])
        candidates.append(Path(path).name)
        for candidate in candidates:
            file = (self.root / candidate).resolve()
            if file.is_relative_to(self.root) and file.is_file():
                return file
        return None

    def image(self, attachment: Attachment | None, alt: str | None, warn) -> ImageRef | None:
        if attachment is None:
            return None
        file = self.file_for(attachment)
        if file is None:
            warn(f"missing attachment {attachment.id} ({attachment.url or 'no URL'}): not imported")
            return None
        if file.stat().st_size > MAX_IMAGE_BYTES:
            warn(
                f"attachment {attachment.id} is over {MAX_IMAGE_BYTES // 1_048_576} MB: "
                "not imported"
            )
            return None
        if file not in self._hashes:
            self._hashes[file] = file_sha1(file)
        return ImageRef(self._hashes[file], file, file.name, attachment.alt if alt is None else alt)


def read_export(
    path: Path,
    clinic: str,
    report: Report,
    *,
    media_root: Path | None = None,
    max_bytes: int = MAX_EXPORT_FILE_BYTES,
) -> list[SourcePost]:
    """The export's published posts; refuses the whole file (``Refused``) if it is not a
    safe, well-formed export, and reports each item it cannot read."""
    export = Export(path, max_bytes)
    media = MediaFinder(export, media_root)
    posts: list[SourcePost] = []
    skipped: dict[str, int] = {}
    for item in export.items:
        post_type = _text(item, "wp:post_type") or "post"
        post_id = _text(item, "wp:post_id")
        label = f"{path.name}: item {post_id or '(no id)'} “{_text(item, 'title')[:60]}”"
        if post_type == "attachment":
            continue
        if post_type in OTHER_TYPES:
            skipped[post_type] = skipped.get(post_type, 0) + 1
            continue
        if post_type != "post":
            report.error(label, f"unknown post type “{post_type}”: not imported")
            continue
        status = _text(item, "wp:status")
        if status != "publish":
            what = f"{status or 'unpublished'} post"
            skipped[what] = skipped.get(what, 0) + 1
            continue
        try:
            post = _read_post(item, export, media, clinic, label, post_id)
        except Refused as error:
            report.error(label, str(error))
            continue
        for warning in post.warnings:
            report.warning(label, warning)
        posts.append(post)
    for what, count in sorted(skipped.items()):
        report.write(
            f"{path.name}: skipped {count} {what}{'s' if count > 1 else ''} (not blog posts)"
        )
    return posts


def _read_post(
    item, export: Export, media: MediaFinder, clinic: str, label: str, post_id: str
) -> SourcePost:
    if not post_id.isdigit():
        raise Refused("no post id: it could not be told apart on a second import")
    content = item.findtext("content:encoded", default="", namespaces=NS) or ""
    if len(content) > MAX_POST_CONTENT_CHARS:
        raise Refused(
            f"its content is {len(content):,} characters; "
            f"over {MAX_POST_CONTENT_CHARS:,} is refused"
        )
    warnings: list[str] = []

    def find_image(img: Tag) -> ImageRef | None:
        classes = " ".join(
            img.get("class", [])
            if isinstance(img.get("class"), list)
            else [str(img.get("class", ""))]
        )
        match = re.search(r"wp-image-(\d+)", classes)
        attachment = export.attachments.get(match.group(1)) if match else None
        src = str(img.get("src", ""))
        if attachment is None and src:
            attachment = export.attachments_by_url.get(_url_key(src))
        if attachment is None:
            warnings.append(f"missing attachment for image {src or '(no src)'}: not imported")
            return None
        return media.image(
            attachment, str(img["alt"]) if img.has_attr("alt") else None, warnings.append
        )

    builder = BlockBuilder(find_image, warnings.append)
    blocks = builder.build(content)
    title = html.unescape(_text(item, "title")) or None
    if not blocks:
        raise Refused("no text in the post")
    meta = _meta(item)
    featured = (
        media.image(export.attachments.get(meta.get("_thumbnail_id", "")), None, warnings.append)
        if meta.get("_thumbnail_id")
        else None
    )
    topics = []
    for category in item.findall("category"):
        if category.get("domain") != "category":
            continue
        slug = (category.get("nicename") or slugify(category.text or "")).strip()
        name = html.unescape((category.text or "").strip())
        if slug and slug not in UNCATEGORISED:
            topics.append((slug[:80], (name or slug)[:80]))
    login = (item.findtext("dc:creator", default="", namespaces=NS) or "").strip()
    link = _text(item, "link")
    post = SourcePost(
        key=f"wordpress:{export.site_url or clinic}:{post_id}",
        clinic=clinic,
        label=label,
        title=title,
        blocks=blocks,
        fallback_title=f"Post {post_id}",
        topics=topics,
        author=export.authors.get(login) or login,
        date=_date(item),
        slug=slugify(_text(item, "wp:post_name") or title or "")[:200],
        old_url=link,
        excerpt=" ".join(
            html.unescape(
                re.sub(
                    r"<[^>]+>",
                    " ",
                    item.findtext("excerpt:encoded", default="", namespaces=NS) or "",
                )
            ).split()
        ),
        featured=featured,
        images=builder.images,
        warnings=list(dict.fromkeys(warnings)),
    )
    check_tokens(post)
    return post
