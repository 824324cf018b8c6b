"""What the readers produce: posts as read from their files, and the import's report."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TextIO

from textreview.merge import Block

# Limits: a file or attachment above these is refused with a message, never read whole.
MAX_TEXT_FILE_BYTES = 2 * 1024 * 1024
MAX_EXPORT_FILE_BYTES = 40 * 1024 * 1024
MAX_POST_CONTENT_CHARS = 1_000_000
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ImageRef:
    """An image a post shows: its file's content hash, where to read it, its alt text."""

    sha1: str
    path: Path
    filename: str
    alt: str = ""

    def block(self) -> Block:
        return Block("image", json.dumps({"sha1": self.sha1, "alt": self.alt}, sort_keys=True))


@dataclass
class SourcePost:
    """One post as read, before merging."""

    key: str  # the source identifier, unique across imports
    clinic: str  # the clinic's slug
    label: str  # how the report names it
    title: str | None
    blocks: list[Block]
    fallback_title: str = ""  # from the file name, when no title is found anywhere
    topics: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)
    author: str = ""
    date: datetime | None = None
    slug: str = ""
    old_url: str = ""
    excerpt: str = ""
    featured: ImageRef | None = None
    images: dict[str, ImageRef] = field(default_factory=dict)  # sha1 -> image
    warnings: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        payload = json.dumps(
            [
                self.title,
                [[b.kind, b.value] for b in self.blocks],
                sorted(self.topics),
                self.slug,
                self.excerpt,
                self.featured.sha1 if self.featured else None,
            ],
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def data(self) -> dict:
        """What is stored of the post to match later imports against it."""
        return {
            "title": self.title,
            "blocks": [[b.kind, b.value, b.text] for b in self.blocks],
            "topics": [slug for slug, _ in self.topics],
        }


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1()  # noqa: S324  (Wagtail's own file_hash is SHA-1)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Refused(Exception):
    """A file or item that cannot be imported; the message says why."""


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`counted(2, "post")` is "2 posts"; `counted(1, "post")` is "1 post"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


class Report:
    """Per-item errors and warnings, counts, and progress for long imports."""

    def __init__(self, out: TextIO | None = None, *, progress_every: float = 2.0) -> None:
        self.out = out or sys.stdout
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.counts: dict[str, int] = {}
        self._progress_every = progress_every
        self._last_progress = 0.0

    def write(self, line: str = "") -> None:
        self.out.write(line + "\n")

    def error(self, item: str, message: str) -> None:
        line = f"{item}: {message}"
        self.errors.append(line)
        self.write(f"ERROR {line}")

    def warning(self, item: str, message: str) -> None:
        line = f"{item}: {message}"
        self.warnings.append(line)
        self.write(f"warning {line}")

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def progress(self, done: int, total: int, what: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or done == total or now - self._last_progress >= self._progress_every:
            self._last_progress = now
            self.write(f"  ... {done}/{total} {what}")
