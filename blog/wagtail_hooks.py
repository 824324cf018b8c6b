from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog import syndication
from blog.models import ClinicArticlePage, LibraryArticlePage, SourceWithdrawn, SyndicationRun
from blog.resolution import effective_summary
from clinics.search import SearchHit


@hooks.register("construct_page_chooser_queryset")
def limit_chooser_to_own_clinic(pages, request):
    """Wagtail's page chooser lists every page; a clinic editor sees only the pages
    they may work on, plus the library's published articles (to carry one)."""
    user = request.user
    if user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(user)
    published_library = LibraryArticlePage.objects.live()
    return pages.filter(Q(pk__in=explorable) | Q(pk__in=published_library.values("pk")))


@hooks.register("register_admin_viewset")
def register_page_viewsets():
    # Wagtail registers its base page viewset with order -1, so this one replaces it.
    from blog.admin_pages import (
        ClinicArticlePageViewSet,
        LibraryArticlePageViewSet,
        ProjectPageViewSet,
    )

    return [ProjectPageViewSet(), LibraryArticlePageViewSet(), ClinicArticlePageViewSet()]


@hooks.register("construct_clinic_home_context")
def latest_articles(clinic, request, context):
    context["latest_articles"] = latest = list(ClinicArticlePage.objects.for_listing(clinic)[:6])
    # The cards of the articles the home page's sections feature: this clinic's live
    # articles only, whatever page ids the sections hold (one query, none if none).
    featured = (
        {
            item.get("value") if isinstance(item, dict) else item
            for block in clinic.sections.raw_data
            if block["type"] == "articles"
            for item in (block["value"] or {}).get("featured") or ()
        }
        - {card.pk for card in latest}
        - {None}
    )
    cards = {card.pk: card for card in latest}
    if featured:
        cards.update(
            (card.pk, card)
            for card in ClinicArticlePage.objects.for_listing(clinic).filter(pk__in=featured)
        )
    context["home_article_cards"] = cards


@hooks.register("construct_person_page_context")
def articles_by_person(clinic, person, request, context):
    """A shared person's page on a clinic's site lists that clinic's live articles the
    person wrote (one query)."""
    context["person_articles"] = list(
        ClinicArticlePage.objects.for_listing(clinic).filter(source__author=person)[:12]
    )


@hooks.register("search_clinic_pages")
def search_articles(clinic, query, limit):
    """This clinic's live articles matching `query`, by the words its visitors read:
    each copy's search entry holds its own text (`ClinicArticlePage.text_for_search`),
    kept current by the publishing jobs and the copy's own publishes."""
    ids = [
        page.pk
        for page in ClinicArticlePage.objects.live()
        .descendant_of(clinic)
        .search(query, operator="and")[:limit]
    ]
    by_id = ClinicArticlePage.objects.for_listing(clinic).filter(pk__in=ids).in_bulk()
    return [
        SearchHit(copy, copy.title, effective_summary(copy, clinic))
        for pk in ids
        if (copy := by_id.get(pk)) is not None
    ]


def _withdrawn(page) -> bool:
    page = page.specific
    return isinstance(page, ClinicArticlePage) and bool(page.source_id) and not page.source.live


@hooks.register("before_publish_page")
def refuse_publishing_a_withdrawn_copy(request, page):
    """The model refuses it on every path (`ClinicArticlePage.save`); here the editor
    gets a message instead of an error, and the edit stays saved as a draft."""
    if _withdrawn(page):
        messages.error(request, SourceWithdrawn.MESSAGE)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_withdrawn_copies(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(_withdrawn(page) for page in objects):
        messages.error(request, SourceWithdrawn.MESSAGE)
        return redirect("wagtailadmin_home")
    return None


# --- Reports → Publishing runs: the pipeline's runs, their jobs, and retrying failures ---


@hooks.register("register_admin_urls")
def register_publishing_runs_urls():
    from django.urls import include, path

    from blog.admin_views import RetryFailedJobsView, RunDetailView, RunListView

    urls = [
        path("", RunListView.as_view(), name="index"),
        path("results/", RunListView.as_view(results_only=True), name="index_results"),
        path("<int:pk>/", RunDetailView.as_view(), name="detail"),
        path("<int:pk>/retry/", RetryFailedJobsView.as_view(), name="retry"),
    ]
    return [path("reports/publishing-runs/", include((urls, "blog_runs"), namespace="blog_runs"))]


@hooks.register("register_reports_menu_item")
def register_publishing_runs_menu_item():
    from wagtail.admin.menu import MenuItem

    from blog.admin_views import VIEW_PERMISSION

    class PublishingRunsMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(VIEW_PERMISSION)

    return PublishingRunsMenuItem(
        "Publishing runs", reverse("blog_runs:index"), icon_name="tasks", order=710
    )


@hooks.register("after_publish_page")
@hooks.register("after_unpublish_page")
def say_when_the_fan_out_is_delayed(request, page):
    runs = syndication.take_delayed_runs()
    # Still waiting, and this page's (a value left by another path is not this edit's).
    if (
        runs
        and SyndicationRun.objects.filter(
            pk__in=runs, article_id=page.pk, planned_at__isnull=True
        ).exists()
    ):
        messages.warning(
            request,
            "Saved. Its publishing to the clinics is delayed: the task queue does not answer. "
            "It starts by itself within a minute of the queue answering again "
            "(Reports → Publishing runs).",
        )


# What the side-by-side panel's buttons did (blog.admin_forms.BLOCK_ACTION), and where
# the editor goes on: to the change row to write in, or back to the block's line.
BLOCK_ACTION_DONE = {
    "override": "Block {n} is now this clinic's own, starting from the library's words: "
    "edit them below, then publish.",
    "hide": "Block {n} is hidden on this clinic's site (in a draft: publish to show it).",
    "revert": "Block {n} uses the library's text again (in a draft: publish to show it).",
    "add": "A new paragraph is added: write it below, then publish.",
}


@hooks.register("after_edit_page")
def go_to_the_changed_block(request, page):
    applied = getattr(page, "block_action_applied", None)
    if applied is None:
        return None
    verb, anchor, row_index = applied
    library = page.source.body.raw_data if page.source_id else []  # a clinic's own article
    position = next((i for i, b in enumerate(library, 1) if b.get("id") == anchor), "")
    messages.success(request, BLOCK_ACTION_DONE[verb].format(n=position))
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if verb in ("override", "add") and row_index is not None:
        return redirect(f"{edit_url}#inline_child_body_overrides-{row_index}")
    return redirect(f"{edit_url}#library-block-{anchor}")


@hooks.register("construct_homepage_panels")
def add_failed_publishing_runs_panel(request, panels):
    from blog.admin_views import VIEW_PERMISSION, FailedRunsPanel

    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(FailedRunsPanel())


# --- Stale changes: a copy's changes the library has overtaken, and the clinic's decision ---


@hooks.register("register_admin_urls")
def register_stale_changes_urls():
    from django.urls import path

    from blog.stale_views import stale_changes_view

    return [
        path(
            "blog/copies/<int:page_id>/stale-changes/",
            stale_changes_view,
            name="blog_stale_changes",
        )
    ]


@hooks.register("construct_homepage_panels")
def add_new_library_articles_panel(request, panels):
    from blog.dashboard import NewLibraryArticlesPanel

    if NewLibraryArticlesPanel.is_shown_to(request.user):
        panels.append(NewLibraryArticlesPanel(request.user))


@hooks.register("construct_homepage_panels")
def add_stale_changes_panel(request, panels):
    from blog.stale_views import NetworkStaleChangesPanel, StaleChangesPanel

    panels.append(StaleChangesPanel(request.user))
    if NetworkStaleChangesPanel.is_shown_to(request.user):
        panels.append(NetworkStaleChangesPanel())


@hooks.register("register_log_actions")
def register_stale_change_actions(actions):
    from blog import stale_changes as stale

    actions.register_action(stale.KEEP)(stale.KeepFormatter)
    actions.register_action(stale.TAKE)(stale.TakeFormatter)
    actions.register_action(stale.MERGE)(stale.MergeFormatter)


# --- Reports → Network matrix: library articles × clinics ----------------------------


@hooks.register("register_admin_urls")
def register_matrix_url():
    from django.urls import path

    from blog.matrix import matrix_view

    return [path("reports/network-matrix/", matrix_view, name="blog_network_matrix")]


@hooks.register("register_reports_menu_item")
def register_matrix_menu_item():
    from wagtail.admin.menu import MenuItem

    from blog.admin_views import VIEW_PERMISSION

    class MatrixMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(VIEW_PERMISSION)

    return MatrixMenuItem(
        "Network matrix", reverse("blog_network_matrix"), icon_name="table", order=720
    )
