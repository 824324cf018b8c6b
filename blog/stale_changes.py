"""Stale changes: a clinic's change to a library block that the library has edited since.

For each one, the clinic sees the library text it wrote against beside the library's
text now (a word-level comparison, Wagtail's own `diff_text`) and its own wording, and
decides: keep its wording (the change is re-stamped against the library's text now),
or take the library's text (the change is removed, so the block inherits again). A
merge of the two is written in the copy's edit form.

A decision is saved as a new revision of the copy, by the person deciding, and logged
in the page's history against the library revision it was made on. When the copy is
live with nothing else unpublished, and the person may publish it, that revision is
published; otherwise it stays a draft beside the clinic's other unpublished changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.admin.compare import diff_text
from wagtail.log_actions import LogFormatter, log
from wagtail.models import Revision

from blog.admin_forms import block_label
from blog.blocks import ArticleBodyBlock
from blog.models import BodyOverride, ClinicArticlePage
from blog.resolution import stale
from textreview.threeway import MergeResult, merge

KEEP = "blog.stale_change.keep"
TAKE = "blog.stale_change.take"
MERGE = "blog.stale_change.merge"
BODY_BLOCK = ArticleBodyBlock()


def block_text(raw_block: dict | None) -> str:
    """The words of one stored block (empty for none)."""
    if not raw_block:
        return ""
    stream = BODY_BLOCK.to_python([{"type": raw_block["type"], "value": raw_block["value"]}])
    if not len(stream):
        return ""
    child = stream[0]
    return " ".join(" ".join(child.block.get_searchable_content(child.value)).split())


@dataclass
class StaleChange:
    """One stale change, with what the clinic needs to decide on it."""

    override: BodyOverride
    label: str  # "Block 3: paragraph", as the edit form names it
    library_then: str  # the library text the clinic wrote against ("" if not kept)
    library_now: str
    clinic_text: str
    merged: MergeResult | None = None  # the library's change merged into the wording
    written_against: Revision | None = None  # the library revision the change was written on

    @property
    def comparison(self) -> SafeString:
        """The library's text then and now, word by word (<del>, <ins>), escaped."""
        parts = []
        for kind, text in diff_text(self.library_then, self.library_now).changes:
            tag = {"addition": "ins", "deletion": "del"}.get(kind)
            parts.append(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text))
        return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped)


def stale_changes(copy: ClinicArticlePage) -> list[StaleChange]:
    """The stale changes of the copy's latest revision (what the clinic edits)."""
    if not copy.source_id:
        return []
    latest = copy.get_latest_revision_as_object()
    library = list(copy.source.body.raw_data)
    positions = {block.get("id"): n for n, block in enumerate(library, start=1)}
    by_id = {block.get("id"): block for block in library}
    overrides = stale(library, list(latest.body_overrides.all()))
    revisions = Revision.objects.filter(
        pk__in=[o.source_revision_id for o in overrides if o.source_revision_id]
    ).select_related("user")
    revisions = {revision.pk: revision for revision in revisions} if overrides else {}
    changes = []
    for override in overrides:
        block = by_id[override.anchor]
        changes.append(
            StaleChange(
                override=override,
                label=block_label(positions[override.anchor], block),
                library_then=block_text(override.source_block),
                library_now=block_text(block),
                clinic_text=" ".join(block_text(b) for b in override.content.raw_data),
                merged=three_way(override, block),
                written_against=revisions.get(override.source_revision_id),
            )
        )
    return changes


def three_way(override: BodyOverride, library_block: dict) -> MergeResult | None:
    """The library's change to a paragraph merged into the clinic's replacement of it
    (textreview.threeway), or None where no merge applies: the change is not one
    paragraph replacing a paragraph, or the text it was written against was not kept."""
    content = list(override.content.raw_data)
    base = override.source_block
    if (
        override.action != BodyOverride.Action.REPLACE
        or len(content) != 1
        or not base
        or not (base["type"] == library_block["type"] == content[0]["type"] == "paragraph")
    ):
        return None
    return merge(base["value"], library_block["value"], content[0]["value"])


class StaleDecisionFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        return f"{self.label}: {data.get('block', '')} (library revision {data.get('revision')})"


class KeepFormatter(StaleDecisionFormatter):
    label = "Kept the clinic's wording against the library's new text"


class TakeFormatter(StaleDecisionFormatter):
    label = "Took the library's new text instead of the clinic's wording"


class MergeFormatter(StaleDecisionFormatter):
    label = "Merged the library's change into the clinic's wording"


def decide(copy: ClinicArticlePage, anchor: str, decision: str, user) -> bool:
    """Apply `decision` (KEEP, TAKE or MERGE) to the copy's stale change on `anchor`, as
    a new revision by `user`. Returns whether that revision was published. Raises
    LookupError if there is no stale change on that block (decided already, or never
    stale), or if MERGE is asked where the merge is not clean."""
    page = ClinicArticlePage.objects.get(pk=copy.pk)
    return apply(page, anchor, decision, user, page.permissions_for_user(user).can_publish())


def merge_library_changes(copy: ClinicArticlePage, *, publish: bool) -> int:
    """The publishing pipeline's part: each stale paragraph of the copy whose library
    change merges cleanly gets the merge, as a revision without a user, published if
    `publish` (and nothing else is unpublished), else left as a draft. Conflicts wait
    for the clinic. Returns the number of merges applied."""
    anchors = BodyOverride.objects.filter(
        page=copy, is_stale=True, action=BodyOverride.Action.REPLACE
    ).values_list("anchor", flat=True)
    applied = 0
    for anchor in list(anchors):
        try:
            apply(ClinicArticlePage.objects.get(pk=copy.pk), anchor, MERGE, None, publish)
        except LookupError:  # a conflict, or merged already in the copy's draft
            continue
        applied += 1
    return applied


def apply(page: ClinicArticlePage, anchor: str, decision: str, user, may_publish: bool) -> bool:
    latest = page.get_latest_revision_as_object()
    library = list(page.source.body.raw_data)
    current = list(latest.body_overrides.all())
    change = next((o for o in stale(library, current) if o.anchor == anchor), None)
    if change is None:
        raise LookupError(anchor)
    block = next(b for b in library if b.get("id") == anchor)
    label = block_label([b.get("id") for b in library].index(anchor) + 1, block)
    overrides = [o for o in current if o is not change]
    if decision == MERGE:
        merged = three_way(change, block)
        if merged is None or not merged.clean:
            raise LookupError(anchor)
        (raw,) = change.content.raw_data
        change.content = [{"type": raw["type"], "value": merged.text, "id": raw.get("id")}]
    if decision in (KEEP, MERGE):
        change.stamp(block, page.source.live_revision_id)
        overrides.append(change)
        overrides.sort(key=lambda o: o.sort_order or 0)
    latest.body_overrides = overrides
    publish = page.live and not page.has_unpublished_changes and may_publish
    revision = latest.save_revision(user=user, log_action=True)
    log(
        instance=page,
        action=decision,
        user=user,
        revision=revision,
        data={"block": label, "anchor": anchor, "revision": page.source.live_revision_id},
    )
    if publish:
        revision.publish(user=user)
    return publish
