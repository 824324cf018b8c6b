"""Read-only panels of the blog's edit views: a clinic copy's library blocks and what
the clinic does with each, and the clinics carrying a library article."""

from dataclasses import dataclass

from wagtail.admin.panels import InlinePanel, Panel

from blog.admin_forms import (
    ADD,
    BLOCK_ACTION,
    HIDE,
    OVERRIDE,
    REVERT,
    START,
    BodyOverrideForm,
    block_words,
)
from clinics.models import ClinicHomePage

CLINIC_ONLY, ORPHANED = "clinic-only", "orphaned"
STATE_LABELS = {
    "inherited": "From the library",
    "replaced": "This clinic's wording",
    "hidden": "Hidden on this clinic's site",
    "stale": "This clinic's wording; the library changed since",
    CLINIC_ONLY: "Only on this clinic's site",
    ORPHANED: "No longer in the library",
}
# What each state's one-click buttons do (see blog.admin_forms.BLOCK_ACTION).
BUTTONS = {
    "inherited": [(OVERRIDE, "Write this clinic's version"), (HIDE, "Hide")],
    "replaced": [(REVERT, "Use the library's text")],
    "stale": [(REVERT, "Use the library's text")],
    "hidden": [(REVERT, "Show it again")],
    CLINIC_ONLY: [],
    ORPHANED: [],
}


@dataclass
class SideBySideRow:
    """One line of the side-by-side view: a library block beside the clinic's version,
    or a block only the clinic has."""

    state: str
    anchor: str  # the library block's id (for clinic-only blocks: the row's anchor)
    position: int | None  # the library block's 1-based position
    kind: str  # "Paragraph", "Heading", …
    library_text: str
    clinic_text: str
    change_index: int | None  # the change row (formset index) that makes this line
    add_after: str = ""  # where "Add a paragraph here" below this line inserts

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def buttons(self) -> list[dict]:
        return [
            {"name": BLOCK_ACTION, "value": f"{verb}:{self.anchor}", "label": label}
            for verb, label in BUTTONS[self.state]
        ]


def _kind(block: dict) -> str:
    return block["type"].replace("_", " ").capitalize()


def side_by_side(library_blocks: list[dict], overrides: list) -> list[SideBySideRow]:
    """The library's blocks in order, each beside what the clinic shows for it, with the
    clinic-only blocks where they appear on its page and orphaned changes at the end.

    The order is `merge_body`'s (the page's own), with hidden library blocks put back in
    their places, since a hidden block is not on the page but is a line here."""
    from blog.resolution import CLINIC, block_states, merge_body
    from blog.resolution import OVERRIDE as REPLACED_BY

    states = {s.block.get("id"): s for s in block_states(library_blocks, overrides)}
    positions = {anchor: state.position for anchor, state in states.items()}
    index = {id(override): i for i, override in enumerate(overrides)}
    end = len(library_blocks) + 1
    before = {"insert_before": 0, "replace": 1, "hide": 1, "insert_after": 2}

    def slot(anchor: str, action: str) -> tuple[int, int]:
        if anchor == START:
            return (0, 0)
        return (positions.get(anchor, end), before.get(action, 1))

    lines: list[tuple[tuple[int, int], SideBySideRow]] = []
    for raw, origin, override in merge_body(library_blocks, overrides):
        if origin == CLINIC:
            anchor = override.anchor
            state = CLINIC_ONLY if anchor in positions or override.is_positional else ORPHANED
            row = SideBySideRow(
                state, anchor, None, _kind(raw), "", block_words(raw), index[id(override)]
            )
            lines.append((slot(anchor, override.action), row))
            continue
        anchor = override.anchor if origin == REPLACED_BY else raw.get("id")
        state = states[anchor]
        clinic_text = block_words(raw) if origin == REPLACED_BY else ""
        row = SideBySideRow(
            state.state,
            anchor,
            state.position,
            _kind(state.block),
            block_words(state.block),
            clinic_text,
            index[id(override)] if override is not None else None,
        )
        lines.append((slot(anchor, "replace"), row))
    for anchor, state in states.items():
        if state.state == "hidden":
            hide = next(o for o in overrides if o.anchor == anchor and o.action == "hide")
            row = SideBySideRow(
                "hidden",
                anchor,
                state.position,
                _kind(state.block),
                block_words(state.block),
                "",
                index[id(hide)],
            )
            lines.append((slot(anchor, "hide"), row))
    for override in overrides:  # replacements and hides of blocks the library removed
        if (
            override.anchor not in positions
            and not override.is_positional
            and (override.action in ("replace", "hide"))
        ):
            row = SideBySideRow(
                ORPHANED,
                override.anchor,
                None,
                "Change",
                "",
                " ".join(block_words(raw) for raw in override.content.raw_data),
                index[id(override)],
            )
            lines.append(((end + 1, 1), row))
    lines.sort(key=lambda line: line[0])  # stable: merge_body's order within a slot
    rows = [row for _, row in lines]
    # "Add a paragraph here" below a library block inserts after that block; below a
    # clinic-only block, after the library block it follows.
    following = START
    for row in rows:
        if row.position is not None:
            following = row.anchor
        row.add_after = following if row.state != ORPHANED else ""
    # Only the last line of each group offers it: the new paragraph goes there.
    for row, next_row in zip(rows, rows[1:], strict=False):
        if next_row.add_after == row.add_after and next_row.position is None:
            row.add_after = ""
    return rows


def library_copies_status(article) -> list[dict]:
    """Each clinic copy of a library article: its clinic, state and number of changes."""
    from blog.models import ClinicArticlePage
    from blog.resolution import stale  # it imports blog.models, which imports this

    copies = list(
        ClinicArticlePage.objects.filter(source=article).prefetch_related("body_overrides")
    )
    clinics = ClinicHomePage.owning_each(copies)
    library_blocks = list(article.body.raw_data)
    rows = []
    for copy in copies:
        clinic = clinics.get(copy.pk)
        overrides = list(copy.body_overrides.all())
        rows.append(
            {
                "clinic": clinic.title if clinic else "?",
                "live": copy.live,
                "changes": len(overrides),
                "stale": len(stale(library_blocks, overrides)),
                "own_title": bool(copy.title_override),
            }
        )
    return sorted(rows, key=lambda row: row["clinic"])


class BodyOverridesPanel(InlinePanel):
    """The clinic's change rows, built on a form that adds the "Keep this wording" box."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = BodyOverrideForm
        return options


class LibraryBodyPanel(Panel):
    """Shows the library article block by block, and what this clinic does with each:
    inherited, replaced, hidden, added to, or replaced while the library changed since."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/library_body.html"

        def is_shown(self):
            return bool(self.instance.source_id)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            library_blocks = list(page.source.body.raw_data)
            context["rows"] = rows = side_by_side(library_blocks, list(page.body_overrides.all()))
            context["has_stale"] = any(row.state == "stale" for row in rows)
            context["stale_label"] = STATE_LABELS["stale"]
            context["page_id"] = page.pk
            context["block_action"] = BLOCK_ACTION
            context["add"] = ADD
            context["start"] = START
            return context


class LibraryCopiesPanel(Panel):
    """On a library article: which clinics carry it, and how much each changed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/panels/library_copies.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["rows"] = library_copies_status(self.instance)
            return context
