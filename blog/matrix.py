"""Reports → Network matrix: library articles × clinics, one cell per clinic's copy.

A cell says whether the clinic carries the article and in what state (live, draft
changes waiting, scheduled, withdrawn), how many of the library's blocks it changes,
how many of those changes are stale, and how close its text is to the library's (the
fingerprint the publishing jobs store). Other apps add to a cell through the
``describe_matrix_copies`` hook (seo adds the canonical choice): each function takes the
page's copies and returns ``{copy id: text}``.

Everything is read from stored rows, in the same number of queries whatever the size of
the network: a page of clinics (rows), a page of articles (columns), their copies with
their counts in one query, and one query per hook.

The matrix covers every clinic, so it is the central team's, as Publishing runs are
(``blog.view_syndicationrun``): anyone else gets 403.

Its bulk actions are publishing runs (``syndication.request_bulk_run``), so their work
is done by the workers, one clinic per job, and followed under Publishing runs; they
need the runs' change permission, as retrying does: carry an article at the ticked
clinics, or take the library's text wherever a clinic's stale change kept its words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast, Substr
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page, Revision

from blog.admin_views import VIEW_PERMISSION, forbidden, runs_policy
from blog.models import (
    BodyOverride,
    ClinicArticlePage,
    CopyWithdrawal,
    LibraryArticlePage,
    SyndicationRun,
)
from blog.syndication import request_bulk_run
from clinics.models import ClinicHomePage, Topic

CLINICS_PER_PAGE = 25
ARTICLES_PER_PAGE = 8
HOOK = "describe_matrix_copies"

LIVE, DRAFT, SCHEDULED, WITHDRAWN, OFFLINE, ABSENT = (
    "live",
    "draft",
    "scheduled",
    "withdrawn",
    "offline",
    "absent",
)
STATE_LABELS = {
    LIVE: "Live",
    DRAFT: "Live, with draft changes",
    SCHEDULED: "Scheduled",
    WITHDRAWN: "Withdrawn with the library article",
    OFFLINE: "Not live",
    ABSENT: "Not carried",
}

# The cells' counts of library corrections, per merge state (`BodyOverride.merge_counts`).
MERGE_COUNTS = {
    f"merges_{name}": count for name, count in BodyOverride.merge_counts("body_overrides").items()
}


@dataclass
class Cell:
    article_id: int
    state: str = ABSENT
    copy_id: int | None = None
    changes: int = 0
    stale: int = 0
    # Library corrections merged into its changes: published, waiting in a draft, and
    # the changes in conflict with one (BodyOverride.merge_state, stored by the jobs).
    merges_applied: int = 0
    merges_waiting: int = 0
    merges_conflicts: int = 0
    similarity: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def copy_state(copy) -> str:
    if copy.withdrawn:
        return WITHDRAWN
    if copy.scheduled:
        return SCHEDULED
    if copy.live:
        return DRAFT if copy.has_unpublished_changes else LIVE
    return OFFLINE


def matrix_copies(clinics: list, articles: list) -> list:
    """The copies of `articles` at `clinics`, with their counts, in one query."""
    prefix = Page.steplen * 2  # a clinic is its copies' ancestor at depth 2
    scheduled = Revision.page_revisions.filter(
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        approved_go_live_at__isnull=False,
    )
    return list(
        ClinicArticlePage.objects.annotate(clinic_path=Substr("path", 1, prefix))
        .filter(clinic_path__in=[c.path for c in clinics], source__in=articles)
        .annotate(
            changes=Count("body_overrides", distinct=True),
            stale=Count("body_overrides", filter=Q(body_overrides__is_stale=True), distinct=True),
            **MERGE_COUNTS,
            withdrawn=Exists(CopyWithdrawal.objects.filter(page=OuterRef("pk"))),
            scheduled=Exists(scheduled),
        )
        .select_related("fingerprint")
        .only(
            "pk",
            "path",
            "source_id",
            "live",
            "has_unpublished_changes",
            "fingerprint__library_similarity",
        )
    )


def build_rows(clinics: list, articles: list) -> list[tuple]:
    """[(clinic, [Cell per article])], the cells filled from the stored rows."""
    copies = matrix_copies(clinics, articles)
    notes: dict[int, list[str]] = {}
    for describe in hooks.get_hooks(HOOK):
        for copy_id, text in describe(copies).items():
            notes.setdefault(copy_id, []).append(text)
    cells = {}
    for copy in copies:
        fingerprint = getattr(copy, "fingerprint", None)
        cells[(copy.clinic_path, copy.source_id)] = Cell(
            article_id=copy.source_id,
            state=copy_state(copy),
            copy_id=copy.pk,
            changes=copy.changes,
            stale=copy.stale,
            **{name: getattr(copy, name) for name in MERGE_COUNTS},
            similarity=fingerprint.library_similarity if fingerprint else None,
            notes=notes.get(copy.pk, []),
        )
    return [
        (
            clinic,
            [cells.get((clinic.path, article.pk), Cell(article.pk)) for article in articles],
        )
        for clinic in clinics
    ]


def matrix_view(request):
    if not request.user.has_perm(VIEW_PERMISSION):
        return forbidden(request)
    if request.method == "POST":
        return bulk_action(request)
    clinic_query = request.GET.get("clinic", "").strip()
    topic = request.GET.get("topic", "")
    state = request.GET.get("state", "")

    clinics = ClinicHomePage.objects.order_by("title").only("pk", "title", "path")
    if clinic_query:
        clinics = clinics.filter(title__icontains=clinic_query)
    articles = LibraryArticlePage.objects.order_by("title").only("pk", "title", "live")
    if topic.isdigit():
        articles = articles.filter(topics__pk=int(topic))
    clinic_page = Paginator(clinics, CLINICS_PER_PAGE).get_page(request.GET.get("p"))
    article_page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("ap"))
    rows = build_rows(list(clinic_page), list(article_page))
    if state in STATE_LABELS:
        rows = [(clinic, cells) for clinic, cells in rows if any(c.state == state for c in cells)]
    return TemplateResponse(
        request,
        "blog/admin/matrix.html",
        {
            "rows": rows,
            "articles": list(article_page),
            "clinic_page": clinic_page,
            "article_page": article_page,
            "topics": Topic.objects.order_by("name").only("pk", "name"),
            "states": STATE_LABELS.items(),
            "filters": {"clinic": clinic_query, "topic": topic, "state": state},
            "can_act": runs_policy.user_has_permission(request.user, "change"),
        },
    )


def _run_link(run: SyndicationRun, text: str):
    return format_html(
        '{} <a href="{}">Follow it in Publishing runs</a>.',
        text,
        reverse("blog_runs:detail", args=[run.pk]),
    )


def bulk_action(request):
    """Start a bulk action as a publishing run; back to the same page of the matrix."""
    back = redirect(request.get_full_path())
    if not runs_policy.user_has_permission(request.user, "change"):
        return forbidden(request)
    live_articles = LibraryArticlePage.objects.live()
    if take := request.POST.get("take", ""):
        article = live_articles.filter(pk=int(take)).first() if take.isdigit() else None
        if article is None:
            messages.error(request, "Choose a published library article.")
            return back
        run = request_bulk_run(article, SyndicationRun.Kind.TAKE, request.user)
        messages.success(
            request,
            _run_link(
                run,
                f"Taking the library's text of “{article.title}” wherever a clinic's "
                "stale change kept its words.",
            ),
        )
        return back
    chosen: dict[int, set[int]] = {}
    for value in request.POST.getlist("carry")[: CLINICS_PER_PAGE * ARTICLES_PER_PAGE]:
        clinic_id, _, article_id = value.partition(":")
        if clinic_id.isdigit() and article_id.isdigit():
            chosen.setdefault(int(article_id), set()).add(int(clinic_id))
    articles = live_articles.in_bulk(list(chosen))
    clinics = set(
        ClinicHomePage.objects.filter(
            pk__in={pk for ids in chosen.values() for pk in ids}
        ).values_list("pk", flat=True)
    )
    if not articles:
        messages.warning(request, "Tick a clinic's “Carry it” box under a published article first.")
        return back
    for article_id, article in articles.items():
        clinic_ids = chosen[article_id] & clinics
        run = request_bulk_run(article, SyndicationRun.Kind.CARRY, request.user, clinic_ids)
        count = len(clinic_ids)
        messages.success(
            request,
            _run_link(
                run, f"Carrying “{article.title}” at {count} clinic{'s' if count != 1 else ''}."
            ),
        )
    return back
