"""The admin's views of stale changes: one copy's, with the clinic's decision on each,
and a dashboard panel of the copies that have them.

Whoever may edit a copy may see and decide its stale changes (Wagtail's page
permissions, so a clinic editor reaches their own clinic's copies only); anyone else
gets 403, whatever the id. A change whose library edit conflicts with the clinic's
words has a form (`ConflictsForm`): one choice per conflict, validated like any form
(messages, never a traceback), saved as one revision logged as a merge. The panel
lists the copies the user may edit, from the flags the publishing jobs store
(`BodyOverride.is_stale`), in a constant number of queries.
"""

import html

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.html import escape
from wagtail.admin import messages
from wagtail.admin.ui.components import Component

from blog.admin_views import VIEW_PERMISSION, forbidden
from blog.dashboard import editable_copies
from blog.models import BodyOverride, ClinicArticlePage
from blog.stale_changes import (
    KEEP,
    MERGE,
    TAKE,
    Resolution,
    StaleChange,
    decide,
    signature,
    stale_changes,
)
from clinics.tokens import validate_tokens
from textreview.threeway import TAG, balanced

PANEL_COPIES = 10
DECISIONS = {"keep": KEEP, "take": TAKE, "merge": MERGE}
DONE = {
    KEEP: "Kept your wording",
    TAKE: "Took the library's text",
    MERGE: "Merged the library's change into your wording",
}


def _editable_copy(request, page_id) -> ClinicArticlePage:
    copy = ClinicArticlePage.objects.filter(pk=page_id).select_related("source").first()
    if copy is None or not copy.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return copy


PICKS = [
    ("theirs", "The library's new text"),
    ("mine", "Keep ours"),
    ("edit", "Write it ourselves"),
]


class ConflictsForm(forms.Form):
    """The clinic's choice for each conflict of one stale change: the library's new
    sentences, its own, or its own words (plain text, with only the links and emphasis
    the three texts have, and known clinic tokens)."""

    anchor = forms.CharField(widget=forms.HiddenInput)
    signature = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, change: StaleChange, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.change = change
        self.conflicts = change.merged.conflicts
        self.fields["anchor"].initial = change.override.anchor
        self.fields["signature"].initial = signature(change.merged)
        self.allowed_tags = set(
            TAG.findall("".join(c.base + c.theirs + c.mine for c in self.conflicts))
        )
        for n, conflict in enumerate(self.conflicts):
            self.fields[f"pick_{n}"] = forms.ChoiceField(
                label=f"Conflict {n + 1}", choices=PICKS, widget=forms.RadioSelect
            )
            self.fields[f"text_{n}"] = forms.CharField(
                label=f"Your words for conflict {n + 1}",
                required=False,
                max_length=5000,
                initial=conflict.mine,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    @property
    def rows(self):
        """[(number, conflict, pick field, text field)] for the template."""
        return [
            (n + 1, conflict, self[f"pick_{n}"], self[f"text_{n}"])
            for n, conflict in enumerate(self.conflicts)
        ]

    def clean(self):
        cleaned = super().clean()
        for n in range(len(self.conflicts)):
            if cleaned.get(f"pick_{n}") != "edit":
                continue
            text = (cleaned.get(f"text_{n}") or "").strip()
            field = f"text_{n}"
            if not text:
                self.add_error(field, "Write the words for this conflict, or pick a text.")
                continue
            if not set(TAG.findall(text)) <= self.allowed_tags or not balanced(text):
                self.add_error(
                    field,
                    "Use only the links and emphasis of the texts above, each opened and "
                    "closed; for other formatting, edit the article itself.",
                )
                continue
            try:
                validate_tokens(text)
            except ValidationError as error:
                self.add_error(field, error)
        return cleaned

    def resolution(self) -> Resolution:
        texts = []
        for n, conflict in enumerate(self.conflicts):
            pick = self.cleaned_data[f"pick_{n}"]
            if pick == "theirs":
                texts.append(conflict.theirs)
            elif pick == "mine":
                texts.append(conflict.mine)
            else:
                texts.append(escape_text(self.cleaned_data[f"text_{n}"].strip()))
        return Resolution(self.cleaned_data["signature"], texts)


def escape_text(text: str) -> str:
    """The editor's words with their text escaped and their (allowed) tags kept: an
    ``&`` or ``<`` typed as text is text, and an entity already written stays one."""
    pieces, position = [], 0
    for match in TAG.finditer(text):
        pieces.append(escape(html.unescape(text[position : match.start()])))
        pieces.append(match.group())
        position = match.end()
    pieces.append(escape(html.unescape(text[position:])))
    return "".join(pieces)


def _publishes(copy, user) -> bool:
    """Whether a decision by `user` is published at once (as `apply` decides)."""
    return (
        copy.live
        and not copy.has_unpublished_changes
        and copy.permissions_for_user(user).can_publish()
    )


def _resolve(request, copy, changes):
    """The POST of a conflicts form: the decision, or the page again with the errors."""
    anchor = request.POST.get("anchor", "")
    change = next((c for c in changes if c.override.anchor == anchor), None)
    if change is None or not change.conflicting or not change.merged.resolvable:
        messages.warning(
            request,
            "Nothing changed: that change is not stale any more, or its conflicts changed "
            "meanwhile. Check them again.",
        )
        return redirect("blog_stale_changes", copy.pk)
    form = ConflictsForm(change, request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing saved yet: see the conflicts marked below.")
        return _render(request, copy, changes, {anchor: form}, status=200)
    try:
        published = decide(copy, anchor, MERGE, request.user, form.resolution())
    except LookupError:
        messages.warning(
            request,
            "Nothing changed: the library's text or your wording changed while you were "
            "deciding. Check the conflicts again.",
        )
    else:
        where = "and published it" if published else "in a new draft; publish it to show it"
        messages.success(request, f"Saved your choices for each conflict {where}.")
    return redirect("blog_stale_changes", copy.pk)


def _render(request, copy, changes, forms_by_anchor=None, status=200):
    forms_by_anchor = forms_by_anchor or {}
    for change in changes:
        change.form = None
        if change.conflicting and change.merged.resolvable:
            anchor = change.override.anchor
            change.form = forms_by_anchor.get(anchor) or ConflictsForm(change)
    return TemplateResponse(
        request,
        "blog/admin/stale_changes.html",
        {"page": copy, "changes": changes, "publishes": _publishes(copy, request.user)},
        status=status,
    )


def stale_changes_view(request, page_id):
    try:
        copy = _editable_copy(request, page_id)
    except PermissionDenied:
        return forbidden(request)
    if request.method == "POST":
        if request.POST.get("decision") == "resolve":
            return _resolve(request, copy, stale_changes(copy))
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            raise Http404
        try:
            published = decide(copy, request.POST.get("anchor", ""), decision, request.user)
        except LookupError:
            messages.warning(
                request,
                "Nothing changed: that change is not stale any more, or the library's "
                "change cannot be merged into it without a conflict.",
            )
        else:
            done = DONE[decision]
            where = "and published it" if published else "in a new draft; publish it to show it"
            messages.success(request, f"{done} {where}.")
        return redirect("blog_stale_changes", copy.pk)
    return _render(request, copy, stale_changes(copy))


def merge_counts(overrides) -> dict[str, int]:
    """{"applied", "waiting", "conflicts": count} of `overrides`, in one query."""
    return overrides.aggregate(**BodyOverride.merge_counts())


class StaleChangesPanel(Component):
    """Dashboard, for a clinic's editors: the copies they may edit whose changes the
    library has overtaken, and the copies with drafts waiting to be published (new
    library articles that arrive as drafts, corrections merged into a draft, their own
    unpublished edits)."""

    name = "stale_changes"
    template_name = "blog/admin/stale_changes_panel.html"
    order = 140

    def __init__(self, user):
        self.user = user

    @cached_property
    def editable_copies(self):
        return editable_copies(self.user)

    @cached_property
    def copies(self):
        return list(
            self.editable_copies.annotate(
                stale_count=Count("body_overrides", filter=Q(body_overrides__is_stale=True))
            )
            .filter(stale_count__gt=0)
            .order_by("title")[:PANEL_COPIES]
        )

    @cached_property
    def drafts(self):
        return list(
            self.editable_copies.filter(has_unpublished_changes=True)
            .select_related("latest_revision")
            .order_by("-latest_revision__created_at")[:PANEL_COPIES]
        )

    @cached_property
    def merges(self) -> dict[str, int]:
        """How many of the user's copies' changes took a library correction (published
        or waiting in a draft) or conflict with one, from the stored merge states."""
        return merge_counts(BodyOverride.objects.filter(page__in=self.editable_copies))

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["copies"] = self.copies
        context["drafts"] = self.drafts
        context["merges"] = self.merges
        return context


class NetworkStaleChangesPanel(Component):
    """Dashboard, for the central team: the library articles whose edits left clinics'
    changes stale, with how many clinics' copies have them, and how many of the clinics'
    changes took a library correction (published, or waiting in a draft) or conflict
    with one (one aggregate query)."""

    name = "network_stale_changes"
    template_name = "blog/admin/network_stale_changes_panel.html"
    order = 160

    @cached_property
    def articles(self):
        return list(
            BodyOverride.objects.filter(
                Q(is_stale=True) | ~Q(merge_state=BodyOverride.MergeState.NONE)
            )
            .values("page__source_id", "page__source__title")
            .annotate(
                copies=Count("page", filter=Q(is_stale=True), distinct=True),
                changes=Count("pk", filter=Q(is_stale=True)),
                **BodyOverride.merge_counts(),
            )
            .order_by("-copies", "page__source__title")[:PANEL_COPIES]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["articles"] = self.articles
        return context

    @staticmethod
    def is_shown_to(user) -> bool:
        return user.has_perm(VIEW_PERMISSION)  # the central team's, as Publishing runs
