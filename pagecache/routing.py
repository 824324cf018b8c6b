"""Find the page for a path in two queries, where Wagtail's routing walks the tree one
level at a time (a child query and a specific query per level).

Equivalent to Wagtail's `Page.route` when every page on the way keeps the default
routing: a page's ``url_path`` is its ancestors' slugs, so the page at
``/blog/what-causes-ptsd/`` is the one whose url_path is the site root's plus that.
Anything else (a page class with its own `route`, a path that is not a page's, such as a
routable page's sub-route, translations) is left to Wagtail, which routes as it always
does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from wagtail.models import Page

NOT_HANDLED = object()


def default_routing(page) -> bool:
    cls = page.specific_class
    return cls is not None and cls.route is Page.route


def route(request, site, path: str):
    """Wagtail's RouteResult, None (a 404), or NOT_HANDLED (let Wagtail route)."""
    root = site.root_page
    components = [component for component in path.split("/") if component]
    if not components or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return NOT_HANDLED
    wanted = [root.url_path + "/".join(components[: n + 1]) + "/" for n in range(len(components))]
    found = {
        page.url_path: page
        for page in Page.objects.filter(url_path__in=wanted, path__startswith=root.path)
        .only("id", "path", "depth", "url_path", "content_type_id")
        .order_by()
    }
    target = found.get(wanted[-1])
    if target is None or not all(default_routing(p) for p in [root, *found.values()]):
        return NOT_HANDLED
    if len(found) != len(wanted):
        return NOT_HANDLED  # a gap on the way: not a plain page path
    try:
        return target.specific.route(request, [])
    except Http404:
        return None
