"""A clinic editor's view of the admin: their own clinic and the *published* library.

Wagtail's page permissions decide what an editor may change, and they hold across
clinics. What an editor may *see* is decided view by view, and several views show
more than the editor's pages: the page chooser opened on a page passed by its id, a
move confirmation, the reports and their filters, the admin API's image and document
listings. Each is narrowed here through Wagtail's own extension points:

- hooks: ``construct_page_chooser_queryset`` (published titles for pages the editor
  does not own), ``before_move_page``, ``construct_admin_api`` (scoped image and
  document endpoints), ``register_admin_viewset`` (the page views, with the workflow
  views checking the editor's permission on the page);
- views that Wagtail offers no hook for (the chooser's browse and chosen views, the
  reports) are subclassed and mounted in front of Wagtail's own, at the same paths
  (``admin_overrides``, included by ``cms.urls``).

"Own" pages are those under a page the user's groups hold a page permission on; the
library is visible to everyone with admin access, but only its live articles, by
their live titles. Superusers see everything.

This module is imported by ``BlogConfig.ready()``.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from wagtail import hooks
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views import chooser
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.query import PageQuerySet
from wagtail.utils.urlpatterns import decorate_urlpatterns

from blog.models import LibraryArticlePage

# --- whose pages ------------------------------------------------------------------------


def own_paths(user) -> tuple[str, ...]:
    """Tree paths of the pages the user's groups hold a page permission on."""
    if user.is_superuser:
        return ("",)
    cache = "_clinic_scope_own_paths"
    if not hasattr(user, cache):
        permissions = PagePermissionPolicy().get_cached_permissions_for_user(user)
        setattr(user, cache, tuple(sorted({perm.page.path for perm in permissions})))
    return getattr(user, cache)


def is_own(user, page) -> bool:
    return any(page.path.startswith(prefix) for prefix in own_paths(user))


def visible_pages(user) -> PageQuerySet:
    """Every page the user may see in the admin: their own, and the live library."""
    if user.is_superuser:
        return Page.objects.all()
    own = Q(pk__in=[])
    for prefix in own_paths(user):
        own |= Q(path__startswith=prefix)
    library = Q(pk__in=LibraryArticlePage.objects.live().values("pk"))
    return Page.objects.filter(own | library)


def can_navigate(user, page) -> bool:
    """Whether the chooser may show `page` as the parent being browsed: a visible page,
    or an ancestor of one (the tree's root, the library's index)."""
    if page.depth == 1 or user.is_superuser or is_own(user, page):
        return True
    return visible_pages(user).filter(path__startswith=page.path).exists()


def show_as_published(user, page):
    """A page the user does not own is named by its live title and shows no draft."""
    if not is_own(user, page):
        page.draft_title = page.title
        page.has_unpublished_changes = False
    return page


class PublishedTitlesQuerySet(PageQuerySet):
    """Pages the user does not own come out named by their live title: Wagtail's
    listings show a page's latest draft title, which for a library article is the
    central team's unpublished work."""

    _scope_user = None

    def _clone(self):
        clone = super()._clone()
        clone._scope_user = self._scope_user
        return clone

    def _fetch_all(self):
        super()._fetch_all()
        if self._scope_user is not None:
            for page in self._result_cache:
                if isinstance(page, Page):
                    show_as_published(self._scope_user, page)


@hooks.register("construct_page_chooser_queryset", order=100)
def name_others_pages_by_their_live_title(pages, request):
    if request.user.is_superuser or not isinstance(pages, PageQuerySet):
        return pages
    scoped = pages._chain()
    scoped.__class__ = PublishedTitlesQuerySet
    scoped._scope_user = request.user
    return scoped


# --- the page chooser ---------------------------------------------------------------------


class ScopedBrowseView(chooser.BrowseView):
    """Browsing the chooser from a page passed by id shows that page itself: only pages
    the editor may see, or their ancestors, may be browsed."""

    def get_object_list(self):
        user = self.request.user
        if not can_navigate(user, self.parent_page):
            if self.kwargs.get("parent_page_id"):
                raise Http404
            # Wagtail's starting point for a page type (the first common ancestor of
            # every page of that type, drafts included): fall back to the root.
            self.parent_page = Page.get_first_root_node().specific
        show_as_published(user, self.parent_page)
        return super().get_object_list()


class ScopedChosenMultipleView(chooser.ChosenMultipleView):
    """Returns the chosen pages' titles and URLs: only for pages the editor may see."""

    def get(self, request):
        ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        pages = visible_pages(request.user).filter(pk__in=ids).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": show_as_published(request.user, page).get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return self.render_chosen_response(result)


# --- moving pages -------------------------------------------------------------------------


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    """Wagtail's move confirmation names both pages before checking the move (only the
    POST's action checks it): refuse it as soon as the view opens."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


# --- the overrides' URLs --------------------------------------------------------------------


def _admin_views(patterns):
    """Wagtail's own decorations of its admin views: admin access, never cached."""
    return decorate_urlpatterns(decorate_urlpatterns(patterns, require_admin_access), never_cache)


# Mounted by cms.urls in front of Wagtail's admin URLs, at the same paths and names.
admin_overrides = _admin_views(
    [
        path("choose-page/", ScopedBrowseView.as_view(), name="wagtailadmin_choose_page"),
        path(
            "choose-page/<int:parent_page_id>/",
            ScopedBrowseView.as_view(),
            name="wagtailadmin_choose_page_child",
        ),
        path(
            "choose-page/chosen-multiple/",
            ScopedChosenMultipleView.as_view(),
            name="wagtailadmin_choose_page_chosen_multiple",
        ),
    ]
)
