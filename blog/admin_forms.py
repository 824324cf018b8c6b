"""The clinic article's edit form: overrides are picked from the library's blocks by
their text, never by typing an id, and are checked against the library as it is now."""

from django import forms
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.admin.forms import WagtailAdminModelForm

# blog.models imports this form, so its names are looked up when used, not at import.
from blog import models as blog_models
from clinics.admin_forms import ClinicPageForm

START, END = "__start__", "__end__"  # BodyOverride.START and BodyOverride.END
POSITIONAL_CHOICES = {START: "At the start of the article", END: "At the end of the article"}


def block_label(position: int, block: dict) -> str:
    value = block.get("value")
    if block["type"] == "call_to_action":
        text = "the clinic's call-to-action"
    elif isinstance(value, dict):
        text = " ".join(str(v) for v in value.values() if isinstance(v, str))
    else:
        text = strip_tags(str(value))
    kind = block["type"].replace("_", " ").capitalize()
    return f"{position}. {kind}: {Truncator(' '.join(text.split())).chars(90)}"


def anchor_choices(source, current: set[str]) -> list[tuple]:
    blocks = list(source.body.raw_data) if source else []
    choices = [(START, POSITIONAL_CHOICES[START])]
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
    """One change row; `keep_wording` re-stamps it against the library's current text."""

    keep_wording = forms.BooleanField(
        required=False,
        label="Keep this wording",
        help_text="Tick after checking this change against the library's new text.",
    )


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
        form_class.base_fields["anchor"] = forms.ChoiceField(
            label="Library block", choices=choices, help_text=base.base_fields["anchor"].help_text
        )
        formset.form = form_class

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
        if commit:
            page.save()
            self.save_m2m()
        return page
