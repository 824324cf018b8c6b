"""The text engine applied to pages: library articles and clinic copies.

Everything here runs in the admin (edit-view panel, workflow task, ``content_audit``),
never on a visitor's request. Blocks are numbered from 1 in the order an editor sees
them: a library article's body as stored, a clinic copy's body as visitors read it
(``blog.resolution.resolve_article``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.html import strip_tags

from blog.resolution import resolve_article
from clinics.models import MEDICAL_DISCLAIMER
from textreview.claims import ArticleMeta, review_text
from textreview.findings import Finding, Severity

TEXTLESS_BLOCKS = frozenset({"call_to_action", "image"})


@dataclass(frozen=True)
class PageFinding:
    """A finding placed on a page: in the title, in body block ``block_number``, or
    about the whole article (neither)."""

    finding: Finding
    block_number: int | None = None  # 1-based position in the body
    in_title: bool = False

    @property
    def where(self) -> str:
        if self.in_title:
            return "title"
        if self.block_number is not None:
            return f"block {self.block_number}"
        return "whole article"

    def as_dict(self) -> dict[str, object]:
        data = self.finding.as_dict()
        data.pop("block_index", None)
        data["block"] = self.block_number
        data["where"] = self.where
        return data


def _plain(html: str) -> str:
    return " ".join(strip_tags(str(html)).split())


def library_block_texts(page) -> list[str]:
    """The plain text of each body block of a library article ("" for image and
    call-to-action blocks), tokens such as ``{clinic}`` left as written."""
    texts = []
    for bound in page.body:
        if bound.block_type in TEXTLESS_BLOCKS:
            texts.append("")
        else:
            texts.append(_plain(bound.render()))
    return texts


def article_meta(library_page, disclaimer: str = MEDICAL_DISCLAIMER) -> ArticleMeta:
    """Document-level facts of a library article (a clinic copy inherits them).

    `disclaimer` is the one shown at the foot of the page: a clinic's own for its copy,
    the network's default for the library article."""
    if library_page is None:
        return ArticleMeta(disclaimer=disclaimer)
    reviewer = library_page.medical_reviewer if library_page.medical_reviewer_id else None
    return ArticleMeta(
        medical_reviewer=str(reviewer) if reviewer else None,
        last_reviewed=library_page.last_reviewed,
        disclaimer=disclaimer,
    )


def review_blocks(title: str, blocks: list[str], meta: ArticleMeta | None) -> list[PageFinding]:
    """Findings for a title and body blocks; block numbers count every block, empty or not."""
    positions = [number for number, text in enumerate(blocks, start=1) if text.strip()]
    texts = [blocks[number - 1] for number in positions]
    placed = []
    for finding in review_text(texts, meta=meta):
        number = None if finding.block_index is None else positions[finding.block_index]
        placed.append(PageFinding(finding, number))
    if title.strip():
        placed.extend(
            PageFinding(replace(finding, block_index=None), None, in_title=True)
            for finding in review_text([title])
        )
    # Worst first; within a severity: whole-article findings, the title, then reading order.
    placed.sort(key=lambda p: (p.finding.severity.rank, _position(p)))
    return placed


def _position(placed: PageFinding) -> int:
    if placed.in_title:
        return 0
    return -1 if placed.block_number is None else placed.block_number


def review_library_article(page) -> list[PageFinding]:
    """Findings for a library article (e.g. a revision's ``as_object()``)."""
    return review_blocks(page.title or "", library_block_texts(page), article_meta(page))


def review_clinic_copy(page, effective=None) -> list[PageFinding]:
    """Findings for a clinic copy's effective text (its overrides laid over the library)."""
    if effective is None:
        effective = resolve_article(page)
    source = effective.source
    blocks = [block.plain_text() for block in effective.body]
    disclaimer = effective.clinic.medical_disclaimer if effective.clinic else ""
    return review_blocks(effective.title, blocks, article_meta(source, disclaimer))


def errors(findings: list[PageFinding]) -> list[PageFinding]:
    return [f for f in findings if f.finding.severity == Severity.ERROR]


def group_by_severity(findings: list[PageFinding]) -> list[tuple[Severity, list[PageFinding]]]:
    """(severity, findings) for each severity that has findings, worst first."""
    return [
        (severity, group)
        for severity in Severity
        if (group := [f for f in findings if f.finding.severity == severity])
    ]
