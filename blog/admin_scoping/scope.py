"""Whose pages: a user's own pages, and every page they may see in the admin."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.query import PageQuerySet

from blog.models import LibraryArticlePage


def users_named(user_ids):
    """The users with these ids, for a filter's drop-down."""
    User = get_user_model()
    return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)


def own_paths(user) -> tuple[str, ...]:
    """Tree paths of the pages the user's groups hold a page permission on: a clinic
    editor's clinic, the central team's library. Cached on the user for the request."""
    if user.is_superuser:
        return ("",)
    cache = "_clinic_scope_own_paths"
    if not hasattr(user, cache):
        permissions = PagePermissionPolicy().get_cached_permissions_for_user(user)
        setattr(user, cache, tuple(sorted({perm.page.path for perm in permissions})))
    return getattr(user, cache)


def is_own(user, page) -> bool:
    return any(page.path.startswith(prefix) for prefix in own_paths(user))


def own_pages_q(user, prefix: str = "") -> Q:
    """A filter for pages under the user's own roots (`prefix` names the page relation)."""
    q = Q(pk__in=[])
    for path in own_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def visible_pages(user) -> PageQuerySet:
    """Every page the user may see in the admin: their own, and the live library."""
    if user.is_superuser:
        return Page.objects.all()
    library = Q(pk__in=LibraryArticlePage.objects.live().values("pk"))
    return Page.objects.filter(own_pages_q(user) | library)


def can_navigate(user, page) -> bool:
    """Whether the chooser may show `page` as the parent being browsed: a visible page,
    or an ancestor of one (the tree's root, the library's index)."""
    if page.depth == 1 or user.is_superuser or is_own(user, page):
        return True
    return visible_pages(user).filter(path__startswith=page.path).exists()


def show_as_published(user, page):
    """A page the user does not own is named by its live title and shows no draft:
    Wagtail's listings show a page's latest draft title, which for a library article
    is the central team's unpublished work."""
    if page is not None and not is_own(user, page):
        page.draft_title = page.title
        page.has_unpublished_changes = False
    return page


class PublishedTitlesQuerySet(PageQuerySet):
    """Pages the user does not own come out of it named by their live title."""

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


def with_published_titles(pages: PageQuerySet, user) -> PageQuerySet:
    if user.is_superuser:
        return pages
    scoped = pages._chain()
    scoped.__class__ = PublishedTitlesQuerySet
    scoped._scope_user = user
    return scoped
