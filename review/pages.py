"""The text engine applied to pages: library articles and clinic copies.

Everything here runs in the admin (edit-view panel, workflow task, ``content_audit``),
never on a visitor's request. Blocks are numbered from 1 in the order an editor sees
them: a library article's body as stored, a clinic copy's body as visitors read it
(``blog.resolution.resolve_article``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.utils.html import strip_tags

from blog.resolution import LIBRARY, resolve_article
from clinics.models import MEDICAL_DISCLAIMER
from review.approvals import library_approval
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
    place: str | None = None  # another field: "summary", "call-to-action headline"…

    @property
    def where(self) -> str:
        if self.place:
            return self.place
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


def article_meta(
    library_page, disclaimer: str = MEDICAL_DISCLAIMER, *, under_review: bool = False
) -> ArticleMeta:
    """Document-level facts of a library article (a clinic copy inherits them).

    `disclaimer` is the one shown at the foot of the page: a clinic's own for its copy,
    the network's default for the library article. The medical reviewer and review
    date are those of the approval of its live revision (``review.approvals``); for a
    revision in front of a reviewer (`under_review`), that review is the one being done.
    """
    if library_page is None:
        return ArticleMeta(disclaimer=disclaimer)
    if under_review:
        return ArticleMeta(
            medical_reviewer="this review", last_reviewed=date.today(), disclaimer=disclaimer
        )
    approval = library_approval(library_page)
    return ArticleMeta(
        medical_reviewer=approval.reviewer_name if approval else None,
        last_reviewed=approval.reviewed_on if approval else None,
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


def review_library_article(page, *, under_review: bool = False) -> list[PageFinding]:
    """Findings for a library article (e.g. a revision's ``as_object()``)."""
    meta = article_meta(page, under_review=under_review)
    return review_blocks(page.title or "", library_block_texts(page), meta)


def review_clinic_copy(page, effective=None) -> list[PageFinding]:
    """Findings for a clinic copy's effective text (its overrides laid over the library)."""
    if effective is None:
        effective = resolve_article(page)
    source = effective.source
    blocks = [block.plain_text() for block in effective.body]
    disclaimer = effective.clinic.medical_disclaimer if effective.clinic else ""
    return review_blocks(effective.title, blocks, article_meta(source, disclaimer))


OWN_FIELDS = (
    ("summary_override", "summary"),
    ("cta_headline", "call-to-action headline"),
    ("cta_text", "call-to-action text"),
    ("cta_button_label", "call-to-action button"),
)


def review_clinic_words(page, effective=None) -> list[PageFinding]:
    """Findings in a clinic copy's own words only: its title, summary and
    call-to-action wording when it sets them, and the body blocks it replaced or added
    (numbered as visitors read the body). The library's text is the library's matter:
    its findings never appear here, so they never hold back a clinic's edit."""
    if effective is None:
        effective = resolve_article(page)
    blocks = [block.plain_text() if block.origin != LIBRARY else "" for block in effective.body]
    title = effective.title if page.title_override or not page.source_id else ""
    placed = review_blocks(title, blocks, None)
    for field, place in OWN_FIELDS:
        text = (getattr(page, field, "") or "").strip()
        if text:
            placed.extend(
                PageFinding(replace(finding, block_index=None), place=place)
                for finding in review_text([text])
            )
    placed.sort(key=lambda p: (p.finding.severity.rank, _position(p)))
    return placed


def errors(findings: list[PageFinding]) -> list[PageFinding]:
    return [f for f in findings if f.finding.severity == Severity.ERROR]


def group_by_severity(findings: list[PageFinding]) -> list[tuple[Severity, list[PageFinding]]]:
    """(severity, findings) for each severity that has findings, worst first."""
    return [
        (severity, group)
        for severity in Severity
        if (group := [f for f in findings if f.finding.severity == severity])
    ]
