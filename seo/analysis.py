"""On-page SEO analysis of a clinic copy as search engines see it: the text engine's
checks (`textreview.onpage`) applied to the copy's effective text, title and
description, when its library article names a focus keyphrase."""

from __future__ import annotations

from seo.metadata import page_description, page_title
from textreview.findings import Finding
from textreview.onpage import Block, Page, analyse_page


def seo_findings_for_copy(page, effective) -> list[Finding]:
    """On-page SEO analysis of a clinic copy as search engines see it, when its library
    article names a focus keyphrase (optionally with the clinic's city)."""
    source = effective.source
    if source is None or not source.focus_keyphrase:
        return []
    clinic = effective.clinic
    blocks, paragraphs_html = [], []
    for block in effective.body:
        if block.block_type == "heading":
            blocks.append(Block(block.plain_text(), 2))
        elif block.block_type in ("paragraph", "quote"):
            blocks.append(Block(block.plain_text(), 0))
            paragraphs_html.append(str(block.render_as_block()))
    site = clinic.get_site() if clinic else None
    analysed = Page(
        title=page_title(page, clinic, effective),
        h1=effective.title,
        slug=page.slug,
        meta_description=page_description(page, clinic, effective),
        blocks=blocks,
        keyphrase=source.focus_keyphrase,
        city=clinic.city if clinic and source.focus_with_city else None,
        html="".join(paragraphs_html),
        site_host=site.hostname if site else None,
    )
    return analyse_page(analysed)
