"""Stale changes: a clinic's change to a library block that the library has edited since.

For each one, the clinic sees the library text it wrote against beside the library's
text now (a word-level comparison, Wagtail's own `diff_text`) and its own wording, and
decides: keep its wording (the change is re-stamped against the library's text now),
or take the library's text (the change is removed, so the block inherits again). A
merge of the two is written in the copy's edit form.

Where the library's change to a reworded paragraph conflicts with the clinic's words
(textreview.threeway), the three texts are shown side by side with the conflicting
sentences marked, and the clinic picks for each conflict the library's new sentences,
its own, or words of its own (`resolve`); the sentences it kept take the library's
change as in a clean merge.

A decision is saved as a new revision of the copy, by the person deciding, and logged
in the page's history against the library revision it was made on. When the copy is
live with nothing else unpublished, and the person may publish it, that revision is
published; otherwise it stays a draft beside the clinic's other unpublished changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.html import escape, strip_tags
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
    def conflicting(self) -> bool:
        return self.merged is not None and not self.merged.clean

    @property
    def side_by_side(self) -> list[tuple[str, str, SafeString]]:
        """(key, heading, text) for the library's text then, now and the clinic's, each
        with its conflicting sentences marked (<mark data-conflict="n">)."""
        conflicts = self.merged.conflicts if self.merged else []
        return [
            ("then", "The library then", marked(self.library_then, [c.base for c in conflicts])),
            ("now", "The library now", marked(self.library_now, [c.theirs for c in conflicts])),
            (
                "mine",
                "Your clinic's wording",
                marked(self.clinic_text, [c.mine for c in conflicts]),
            ),
        ]

    @property
    def comparison(self) -> SafeString:
        """The library's text then and now, word by word (<del>, <ins>), escaped."""
        parts = []
        for kind, text in diff_text(self.library_then, self.library_now).changes:
            tag = {"addition": "ins", "deletion": "del"}.get(kind)
            parts.append(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text))
        return mark_safe("".join(parts))  # noqa: S308  (every piece of text is escaped)


def plain(html: str) -> str:
    return " ".join(strip_tags(html).split())


def marked(text: str, snippets: list[str]) -> SafeString:
    """`text` (plain words) escaped, with each snippet's words (HTML) marked where they
    occur, numbered by their place in `snippets` from 1."""
    spots = []
    for number, snippet in enumerate(snippets, start=1):
        words = plain(snippet)
        at = text.find(words) if words else -1
        if at >= 0 and not any(a < at + len(words) and at < b for a, b, _ in spots):
            spots.append((at, at + len(words), number))
    out, position = [], 0
    for start, end, number in sorted(spots):
        out.append(escape(text[position:start]))
        out.append(f'<mark data-conflict="{number}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308  (every piece of text is escaped)


def signature(merged: MergeResult) -> str:
    """What the clinic decides on: the conflicts' three texts (a form carries it, so
    that a decision made on texts that changed meanwhile is refused)."""
    texts = "\x00".join(f"{c.base}\x01{c.theirs}\x01{c.mine}" for c in merged.conflicts)
    return hashlib.sha256(texts.encode()).hexdigest()[:32]


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


class ChangedMeanwhile(LookupError):
    """The conflicts decided on are not the copy's conflicts any more."""


@dataclass
class Resolution:
    """The clinic's text for each conflict of a merge (in `conflicts` order), decided on
    the conflicts whose `signature` it carries."""

    signature: str
    texts: list[str]


def decide(
    copy: ClinicArticlePage, anchor: str, decision: str, user, resolution: Resolution | None = None
) -> bool:
    """Apply `decision` (KEEP, TAKE or MERGE) to the copy's stale change on `anchor`, as
    a new revision by `user`. Returns whether that revision was published. Raises
    LookupError if there is no stale change on that block (decided already, or never
    stale), or if MERGE is asked where the merge is not clean and no `resolution` of its
    conflicts is given (ChangedMeanwhile if the conflicts are not those it decides)."""
    page = ClinicArticlePage.objects.get(pk=copy.pk)
    may_publish = page.permissions_for_user(user).can_publish()
    return apply(page, anchor, decision, user, may_publish, resolution)


class Conflicting(LookupError):
    """The library's change conflicts with the clinic's wording: the clinic decides."""


def merge_library_changes(copy: ClinicArticlePage, *, publish: bool, apply_clean=True) -> int:
    """The publishing pipeline's part: each stale paragraph of the copy whose library
    change merges cleanly gets the merge (if `apply_clean`), as a revision without a
    user, published if `publish` (and nothing else is unpublished), else left as a
    draft. Conflicts wait for the clinic. Each change's `merge_state` says which:
    APPLIED (published), WAITING (in a draft) or CONFLICT. Returns the number of merges
    applied."""
    State = BodyOverride.MergeState
    rows = BodyOverride.objects.filter(page=copy, is_stale=True, action=BodyOverride.Action.REPLACE)
    applied = 0
    for row in list(rows):
        page = ClinicArticlePage.objects.get(pk=copy.pk)
        try:
            if apply_clean:
                published = apply(page, row.anchor, MERGE, None, publish, pipeline=True)
            else:
                check_merge(page, row.anchor)
                continue
        except Conflicting:
            state = State.CONFLICT
        except LookupError:  # merged or decided already in the copy's draft
            continue
        else:
            applied += 1
            if published:
                continue  # the published revision's row says APPLIED
            state = State.WAITING
        BodyOverride.objects.filter(pk=row.pk).exclude(merge_state=state).update(merge_state=state)
    return applied


def check_merge(page: ClinicArticlePage, anchor: str) -> None:
    """Raises Conflicting if the library's change to the copy's stale change on `anchor`
    conflicts with its wording (LookupError if it is not stale or not a paragraph)."""
    latest = page.get_latest_revision_as_object()
    library = list(page.source.body.raw_data)
    change = next(
        (o for o in stale(library, list(latest.body_overrides.all())) if o.anchor == anchor),
        None,
    )
    if change is None:
        raise LookupError(anchor)
    merged = three_way(change, next(b for b in library if b.get("id") == anchor))
    if merged is None:
        raise LookupError(anchor)
    if not merged.clean:
        raise Conflicting(anchor)


def apply(
    page: ClinicArticlePage,
    anchor: str,
    decision: str,
    user,
    may_publish: bool,
    resolution: Resolution | None = None,
    *,
    pipeline: bool = False,
) -> bool:
    """Apply a decision as a new revision (see `decide`); `pipeline`: the publishing
    job's merge, which marks the change APPLIED in that revision. The copy's live row of
    the change is cleared of any merge state when an editor's decision waits in a draft."""
    latest = page.get_latest_revision_as_object()
    library = list(page.source.body.raw_data)
    current = list(latest.body_overrides.all())
    change = next((o for o in stale(library, current) if o.anchor == anchor), None)
    if change is None:
        raise LookupError(anchor)
    block = next(b for b in library if b.get("id") == anchor)
    label = block_label([b.get("id") for b in library].index(anchor) + 1, block)
    overrides = [o for o in current if o is not change]
    data = {"block": label, "anchor": anchor, "revision": page.source.live_revision_id}
    if decision == MERGE:
        merged = three_way(change, block)
        if merged is None:
            raise LookupError(anchor)
        if resolution is not None:
            if merged.clean or signature(merged) != resolution.signature:
                raise ChangedMeanwhile(anchor)
            text = merged.resolve(resolution.texts)
            data["conflicts"] = len(resolution.texts)
        elif merged.clean:
            text = merged.text
        else:
            raise Conflicting(anchor)
        (raw,) = change.content.raw_data
        change.content = [{"type": raw["type"], "value": text, "id": raw.get("id")}]
    if decision in (KEEP, MERGE):
        change.stamp(block, page.source.live_revision_id)
        if pipeline:
            change.merge_state = BodyOverride.MergeState.APPLIED
        overrides.append(change)
        overrides.sort(key=lambda o: o.sort_order or 0)
    latest.body_overrides = overrides
    publish = page.live and not page.has_unpublished_changes and may_publish
    revision = latest.save_revision(user=user, log_action=True)
    log(instance=page, action=decision, user=user, revision=revision, data=data)
    if publish:
        revision.publish(user=user)
    elif not pipeline and change.pk:
        BodyOverride.objects.filter(pk=change.pk, page=page).update(
            merge_state=BodyOverride.MergeState.NONE
        )
    return publish
