"""Override resolution: what a clinic's copy of a library article says.

This module owns a copy's state: its effective title, summary and body, the library
text as a clinic sees it, and what the copy does with each library block (inherited,
replaced, hidden, added to, stale, orphaned). Feeds, cards, admin panels, syndication,
SEO and review ask it rather than re-deriving any of it.

`resolve_article` is the one place that combines a library article's live content with
a clinic's overrides. It needs no request, so it is tested directly; templates only
display its result. Its cost does not grow with the number of clinics, overrides or
blocks: the library body and every override's blocks are converted as one stream, so
images and snippets they name are fetched in one query per block type.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from blog.blocks import ArticleBodyBlock
from blog.models import BodyOverride, ClinicArticlePage, block_fingerprint
from clinics.models import CallToAction, ClinicHomePage, RenderedCallToAction, Topic
from clinics.tokens import clinic_token_values, render_tokens

LIBRARY = "library"
OVERRIDE = "override"
CLINIC = "clinic"

BODY_BLOCK = ArticleBodyBlock()


@dataclass
class EffectiveBlock:
    """One block as a clinic shows it, with where its words come from."""

    block_type: str
    block: Any
    value: Any
    id: str
    origin: str  # LIBRARY, OVERRIDE (a replaced library block) or CLINIC (clinic-only)
    tokens: dict[str, str]
    call_to_action: RenderedCallToAction | None = None

    def render_as_block(self, context=None) -> SafeString:
        if self.block_type == "call_to_action":
            html = render_to_string("includes/call_to_action.html", {"cta": self.call_to_action})
        else:
            html = self.block.render(self.value, context)
        return mark_safe(render_tokens(str(html), self.tokens, html=True))  # noqa: S308

    def plain_text(self) -> str:
        return " ".join(strip_tags(self.render_as_block()).split())


@dataclass
class EffectiveArticle:
    """Everything a visitor reads on a clinic's article page."""

    page: ClinicArticlePage
    clinic: ClinicHomePage
    title: str
    summary: str
    hero_image: Any
    seo_title: str
    search_description: str
    body: list[EffectiveBlock]
    call_to_action: RenderedCallToAction | None
    source: Any = None
    orphaned_overrides: list[BodyOverride] = field(default_factory=list)

    def plain_text(self) -> str:
        """The article's words as visitors read them, one block a line."""
        lines = [self.title]
        lines.extend(text for block in self.body if (text := block.plain_text()))
        return "\n".join(lines)


def _filled(text: str, clinic: ClinicHomePage | None) -> str:
    return render_tokens(text or "", clinic_token_values(clinic)) if clinic else text or ""


def effective_title(page: ClinicArticlePage, clinic: ClinicHomePage | None) -> str:
    return _filled(
        page.title_override or (page.source.title if page.source_id else page.title), clinic
    )


def effective_summary(page: ClinicArticlePage, clinic: ClinicHomePage | None) -> str:
    return _filled(page.summary_override or (page.source.summary if page.source_id else ""), clinic)


def effective_hero_image(page: ClinicArticlePage):
    """The copy's own image, else its library article's (None when neither has one)."""
    if page.hero_image_override_id:
        return page.hero_image_override
    return page.source.hero_image if page.source_id else None


def library_text_for(source, clinic: ClinicHomePage) -> str:
    """The library article's own text as `clinic` would show it with no changes."""
    return resolve_article(
        ClinicArticlePage(source=source, title=source.title), clinic=clinic
    ).plain_text()


def merge_body(library_blocks: list[dict], overrides: list[BodyOverride]) -> list[tuple]:
    """Lay the overrides over the library's stored blocks.

    Returns (raw block, origin, override) in reading order. Overrides whose library
    block no longer exists are orphaned: replacements and hides have nothing left to
    act on, while clinic-only blocks are kept and shown at the end rather than lost.
    """
    by_anchor: dict[str, list[BodyOverride]] = defaultdict(list)
    for override in overrides:
        by_anchor[override.anchor].append(override)
    library_ids = {block.get("id") for block in library_blocks}
    merged: list[tuple] = []

    def insert(anchor: str, actions: tuple[str, ...]) -> None:
        for override in by_anchor.get(anchor, ()):
            if override.action in actions:
                merged.extend((raw, CLINIC, override) for raw in override.content.raw_data)

    insert(BodyOverride.START, BodyOverride.INSERTS)
    for block in library_blocks:
        anchor = block.get("id")
        changes = by_anchor.get(anchor, ())
        insert(anchor, (BodyOverride.Action.INSERT_BEFORE,))
        if any(change.action == BodyOverride.Action.HIDE for change in changes):
            pass
        elif replacement := next(
            (c for c in changes if c.action == BodyOverride.Action.REPLACE), None
        ):
            merged.extend((raw, OVERRIDE, replacement) for raw in replacement.content.raw_data)
        else:
            merged.append((block, LIBRARY, None))
        insert(anchor, (BodyOverride.Action.INSERT_AFTER,))
    insert(BodyOverride.END, BodyOverride.INSERTS)
    for anchor in by_anchor:
        if anchor not in library_ids and anchor not in (BodyOverride.START, BodyOverride.END):
            insert(anchor, BodyOverride.INSERTS)
    return merged


def orphaned(library_blocks, overrides: list[BodyOverride]) -> list[BodyOverride]:
    library_ids = {block.get("id") for block in library_blocks}
    return [o for o in overrides if not o.is_positional and o.anchor not in library_ids]


def stale(library_blocks, overrides: list[BodyOverride]) -> list[BodyOverride]:
    """Overrides whose library block changed since the clinic wrote or reviewed them."""
    fingerprints = {
        block.get("id"): block_fingerprint(block["type"], block["value"])
        for block in library_blocks
    }
    return [
        o
        for o in overrides
        if o.anchor in fingerprints
        and o.source_fingerprint
        and o.source_fingerprint != fingerprints[o.anchor]
    ]


@dataclass
class BlockState:
    """What a clinic's copy does with one library block."""

    position: int  # 1-based, in the library's order
    block: dict  # the library's stored block
    state: str  # INHERITED, REPLACED, STALE (replaced, library changed since) or HIDDEN
    blocks_added: int = 0  # clinic-only blocks added before or after it


INHERITED, REPLACED, STALE, HIDDEN = "inherited", "replaced", "stale", "hidden"


def block_states(library_blocks: list[dict], overrides: list[BodyOverride]) -> list[BlockState]:
    """Each library block's state, read off `merge_body` (so its rules apply here too)."""
    merged = merge_body(library_blocks, overrides)
    shown = {raw.get("id") for raw, origin, _ in merged if origin == LIBRARY}
    replaced_by = {o.anchor: o for _, origin, o in merged if origin == OVERRIDE}
    added: dict[str, int] = defaultdict(int)
    for _, origin, override in merged:
        if origin == CLINIC:
            added[override.anchor] += 1
    stale_ids = {id(o) for o in stale(library_blocks, overrides)}
    states = []
    for position, block in enumerate(library_blocks, start=1):
        anchor = block.get("id")
        if anchor in shown:
            state = INHERITED
        elif anchor in replaced_by:
            state = STALE if id(replaced_by[anchor]) in stale_ids else REPLACED
        else:
            state = HIDDEN
        states.append(BlockState(position, block, state, added.get(anchor, 0)))
    return states


def source_topics(source) -> list[Topic]:
    """The library article's topics by name, with their call-to-action (one query per
    article, kept on it: the call-to-action, the topic links and the related articles
    share it)."""
    if source is None or not source.pk:
        return []
    try:
        return source._topics_by_name
    except AttributeError:
        pass
    topics = list(
        Topic.objects.filter(library_articles=source.pk)
        .select_related("call_to_action")
        .order_by("name")
    )
    source._topics_by_name = topics
    return topics


def topic_call_to_action(source, clinic: ClinicHomePage | None) -> CallToAction | None:
    """The call-to-action the article's topics choose for `clinic`: the first topic (by
    name) with one whose link the clinic can fill (its booking URL or phone is set)."""
    if source is None or clinic is None:
        return None
    for topic in source_topics(source):
        cta = topic.call_to_action
        if cta is not None and cta.missing_clinic_fact(clinic) is None:
            return cta
    return None


def call_to_action_for(page: ClinicArticlePage, clinic: ClinicHomePage | None):
    """The call-to-action a copy shows where it names none in a block: the copy's own
    choice, else its article's topic's, else the clinic's default."""
    source = page.source if page.source_id else None
    return (
        page.call_to_action
        or topic_call_to_action(source, clinic)
        or (clinic.default_call_to_action if clinic else None)
    )


def resolve_article(page: ClinicArticlePage, *, clinic=None, request=None) -> EffectiveArticle:
    # Only a page not yet in a clinic's tree (a preview while adding it) has no clinic:
    # it is shown with its tokens unfilled and no call-to-action.
    clinic = clinic or page.clinic
    tokens = clinic_token_values(clinic) if clinic else {}
    source = page.source if page.source_id else None
    library_blocks = list(source.body.raw_data) if source else []
    overrides = list(page.body_overrides.all())

    merged = merge_body(library_blocks, overrides)
    stream = BODY_BLOCK.to_python([raw for raw, _, _ in merged])
    default_cta = call_to_action_for(page, clinic)
    wordings = (page, clinic)

    def render_cta(snippet):
        if snippet is None or clinic is None:
            return None
        return snippet.render_for(clinic, *wordings, request=request)

    body = []
    for bound, (_, origin, _) in zip(stream, merged, strict=True):
        block = EffectiveBlock(
            block_type=bound.block_type,
            block=bound.block,
            value=bound.value,
            id=bound.id,
            origin=origin,
            tokens=tokens,
        )
        if bound.block_type == "call_to_action":
            block.call_to_action = render_cta(bound.value.get("call_to_action") or default_cta)
            if block.call_to_action is None:
                continue
        body.append(block)

    def pick(own: str, inherited: str) -> str:
        return _filled(own or inherited, clinic)

    has_cta_block = any(b.block_type == "call_to_action" for b in body)
    return EffectiveArticle(
        page=page,
        clinic=clinic,
        title=effective_title(page, clinic),
        summary=effective_summary(page, clinic),
        hero_image=effective_hero_image(page),
        seo_title=pick(page.seo_title, source.seo_title if source else ""),
        search_description=pick(
            page.search_description, source.search_description if source else ""
        ),
        body=body,
        call_to_action=None if has_cta_block else render_cta(default_cta),
        source=source,
        orphaned_overrides=orphaned(library_blocks, overrides),
    )
