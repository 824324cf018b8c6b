"""The clinic article's edit form: overrides are picked from the library's blocks by
their text, never by typing an id, and are checked against the library as it is now."""

import copy

from django import forms
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.admin.forms import WagtailAdminModelForm

# blog.models imports this form, so its names are looked up when used, not at import.
from blog import models as blog_models
from clinics.admin_forms import ClinicPageForm

START, END = "__start__", "__end__"  # BodyOverride.START and BodyOverride.END
POSITIONAL_CHOICES = {START: "At the start of the article", END: "At the end of the article"}


def block_words(block: dict) -> str:
    """The words of one stored block, as an editor recognises it (tokens left as typed)."""
    value = block.get("value")
    if block["type"] == "call_to_action":
        text = "the clinic's call-to-action"
    elif isinstance(value, dict):
        text = " ".join(str(v) for v in value.values() if isinstance(v, str))
    else:
        text = strip_tags(str(value))
    return " ".join(text.split())


def block_label(position: int, block: dict) -> str:
    kind = block["type"].replace("_", " ").capitalize()
    return f"{position}. {kind}: {Truncator(block_words(block)).chars(90)}"


def anchor_choices(source, current: set[str]) -> list[tuple]:
    blocks = list(source.body.raw_data) if source else []
    # A new row starts on no block: the editor picks one (the form says so if not).
    choices = [("", "Choose a block of the library article")]
    choices.append((START, POSITIONAL_CHOICES[START]))
    choices += [(b["id"], block_label(i, b)) for i, b in enumerate(blocks, start=1)]
    choices.append((END, POSITIONAL_CHOICES[END]))
    known = {value for value, _ in choices}
    choices += [
        (anchor, "A block no longer in the library (orphaned)")
        for anchor in sorted(current - known)
        if anchor
    ]
    return choices


REFUSED_SOURCE = "Choose a published library article."


def usable_source_id(value, current_id=None) -> int | None:
    """The id of a published library article (or the copy's current source) in a posted
    value; None for anything else."""
    try:
        pk = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if pk == current_id:
        return pk
    articles = blog_models.LibraryArticlePage.objects.live()
    return pk if 0 < pk < 2**63 and articles.filter(pk=pk).exists() else None


class BodyOverrideForm(WagtailAdminModelForm):
    """One change row; `keep_wording` re-stamps it against the library's current text.
    ClinicArticlePageForm offers that box on the rows the library has overtaken only."""

    keep_wording = forms.BooleanField(
        required=False,
        label="Keep this wording",
        help_text="Tick after checking this change against the library's new text.",
    )


# The one-click changes of the side-by-side panel (`LibraryBodyPanel`): each is a submit
# button of the edit form named BLOCK_ACTION, valued "<verb>:<library block id>". The
# form saves what the editor typed and applies the change, as a draft revision.
BLOCK_ACTION = "library-block-action"
OVERRIDE, HIDE, REVERT, ADD = "override", "hide", "revert", "add"


class ClinicArticlePageForm(ClinicPageForm):
    """Sets the override rows' block choices from the chosen library article."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused_source = False
        if self.is_bound:
            self._refuse_unusable_source()
        self.source = self._chosen_source()
        self.library_blocks = self.source.blocks_by_id() if self.source else {}
        formset = self.formsets["body_overrides"]
        current = {o.anchor for o in self.instance.body_overrides.all()}
        choices = anchor_choices(self.source, current)
        # Replace the anchor field on the formset's form class so that the rows already
        # there, new rows and the empty template row all offer the same choices.
        base = formset.form
        form_class = type(base.__name__, (base,), {})
        form_class.base_fields = dict(base.base_fields)
        keep_wording = form_class.base_fields.pop("keep_wording", None)
        form_class.base_fields["anchor"] = forms.ChoiceField(
            label="Library block", choices=choices, help_text=base.base_fields["anchor"].help_text
        )
        formset.form = form_class
        if keep_wording is not None:
            self._offer_keep_wording(formset, keep_wording)

    def _offer_keep_wording(self, formset, field):
        """Only a change the library has overtaken can be kept as it is."""
        from blog.resolution import stale  # it imports blog.models, which imports this

        stale_rows = {id(o) for o in stale(list(self.library_blocks.values()), self._rows(formset))}
        for form in formset.forms:
            if id(form.instance) in stale_rows:
                form.fields["keep_wording"] = copy.deepcopy(field)

    @staticmethod
    def _rows(formset):
        return [form.instance for form in formset.forms if form.instance.anchor]

    def _refuse_unusable_source(self):
        """The chooser offers published library articles only, but a form posts an id:
        anything else (a draft, another kind of page, not an id at all) is refused, and
        the form is shown again with the copy's current source, so that nothing of the
        posted page (its title in the chooser, its blocks in the change rows) is shown."""
        posted = self.data.get("source")
        if posted in (None, "") or usable_source_id(posted, self.instance.source_id):
            return
        self.data = self.data.copy()
        self.data["source"] = self.instance.source_id or ""
        self.refused_source = True

    def _chosen_source(self):
        source_id = self.data.get("source") if self.is_bound else self.instance.source_id
        if not source_id:
            return None
        return blog_models.LibraryArticlePage.objects.filter(pk=source_id).first()

    def clean(self):
        cleaned = super().clean()
        if self.refused_source:
            self.add_error("source", REFUSED_SOURCE)
        return cleaned

    def is_valid(self):
        # The rows are validated after the page form's own clean(), so check them here.
        valid = super().is_valid()
        formset = self.formsets["body_overrides"]
        for form in formset.forms:
            if form in formset.deleted_forms or not hasattr(form, "cleaned_data"):
                continue
            anchor = form.cleaned_data.get("anchor")
            if anchor and anchor not in POSITIONAL_CHOICES and anchor not in self.library_blocks:
                form.add_error(
                    "anchor",
                    "This block is no longer in the library article, so this change "
                    "has nothing to apply to. Delete it, or pick another block.",
                )
                valid = False
        return valid

    def save(self, commit=True):
        page = super().save(commit=False)
        formset = self.formsets["body_overrides"]
        for form in formset.forms:
            if form in formset.deleted_forms:
                continue
            # A change written or re-checked now was written against today's library text.
            if form.has_changed() or form.cleaned_data.get("keep_wording"):
                form.instance.stamp(self.library_blocks.get(form.instance.anchor))
        self._apply_block_action(page)
        if commit:
            page.save()
            self.save_m2m()
        return page

    def _apply_block_action(self, page) -> None:
        """Apply the side-by-side panel's one-click change the editor pressed, if any:
        override a library block (its text pre-filled), hide it, revert it to the
        library's, or add a clinic-only paragraph after it (or at the start). What was
        done is left on the page as `block_action_applied` (verb, anchor, index of the
        change row or None) for the edit view's redirect (blog.wagtail_hooks)."""
        verb, _, anchor = self.data.get(BLOCK_ACTION, "").partition(":")
        rows = list(page.body_overrides.all())
        Action = blog_models.BodyOverride.Action
        on_anchor = [row for row in rows if row.anchor == anchor]
        library_block = self.library_blocks.get(anchor)
        row = None
        if (
            verb in (OVERRIDE, HIDE)
            and library_block
            and not any(r.action in (Action.REPLACE, Action.HIDE) for r in on_anchor)
        ):
            content = [{"type": library_block["type"], "value": library_block["value"]}]
            row = blog_models.BodyOverride(
                anchor=anchor,
                action=Action.REPLACE if verb == OVERRIDE else Action.HIDE,
                content=content if verb == OVERRIDE else [],
            )
            row.stamp(library_block)
        elif verb == REVERT and on_anchor:
            inserts = blog_models.BodyOverride.INSERTS
            kept = [r for r in rows if r.anchor != anchor or r.action in inserts]
            if len(kept) < len(rows):
                page.body_overrides.set(kept)
                page.block_action_applied = (verb, anchor, None)
            return
        elif verb == ADD and (library_block or anchor == START):
            action = Action.INSERT_AFTER if library_block else Action.INSERT_BEFORE
            row = next((r for r in on_anchor if r.action == action), None)
            empty_paragraph = {"type": "paragraph", "value": ""}
            if row is not None:
                row.content = [*row.content.raw_data, empty_paragraph]
                page.block_action_applied = (verb, anchor, rows.index(row))
                return
            row = blog_models.BodyOverride(anchor=anchor, action=action, content=[empty_paragraph])
        if row is None:
            return
        row.sort_order = max((r.sort_order or 0 for r in rows), default=-1) + 1
        page.body_overrides.add(row)
        page.block_action_applied = (verb, anchor, len(rows))
