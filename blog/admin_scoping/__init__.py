"""A clinic editor's view of the admin: their own clinic and the *published* library.

Wagtail's page permissions decide what an editor may change, and they hold across
clinics. What an editor may *see* is decided view by view, and several views show
more than the editor's pages: the page chooser opened on a page passed by its id, a
move confirmation, the reports and their filters, the admin API's image and document
listings. Each is narrowed here through Wagtail's own extension points:

- hooks (``hooks``): ``construct_page_chooser_queryset`` (published titles for pages
  the editor does not own), ``before_move_page``, ``construct_admin_api`` (scoped
  image and document endpoints), ``register_admin_viewset`` (page views that check the
  editor's permission on the page);
- views Wagtail offers no hook for (the chooser's browse and chosen views, the
  reports) are subclassed (``choosers``, ``reports``) and mounted in front of
  Wagtail's own at the same paths (``admin_overrides``, included by ``cms.urls``).

What "own" and "visible" mean is in ``scope``. Superusers see everything.

Imported by ``BlogConfig.ready()``.
"""

from blog.admin_scoping import hooks  # noqa: F401  (Wagtail hooks)
from blog.admin_scoping.urls import admin_overrides

__all__ = ["admin_overrides"]
