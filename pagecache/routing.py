"""Find the page for a path in two queries, where Wagtail's routing walks the tree one
level at a time (a child query and a specific query per level).

Equivalent to Wagtail's `Page.route` when every page on the way keeps the default
routing: a page's ``url_path`` is its ancestors' slugs, so the page at
``/blog/what-causes-ptsd/`` is the one whose url_path is the site root's plus that.
A routable page (`RoutablePageMixin`, e.g. the clinic's home with its ``people/``
routes) on the way counts as default routing when none of its own routes matches the
rest of the path (Wagtail tries those before its children); as the page found, its
index route serves it, as in Wagtail. Anything else (a page class with its own
`route`, a path that is not a page's, such as a routable page's sub-route,
translations) is left to Wagtail, which routes as it always does.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

NOT_HANDLED = object()


def default_routing(page, rest: list[str] = ()) -> bool:
    """Whether Wagtail would route `rest` (the path below `page`) to `page`'s child."""
    cls = page.specific_class
    if cls is None:
        return False
    if cls.route is Page.route:
        return True
    if issubclass(cls, RoutablePageMixin) and cls.route is RoutablePageMixin.route:
        if not rest:
            return True
        try:
            cls.get_resolver().resolve("/" + "/".join(rest) + "/")
        except Http404:
            return True  # none of its routes: Wagtail goes on to its children
        return False
    return False


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
    if target is None:
        return NOT_HANDLED
    on_the_way = [(root, components)] + [
        (page, components[page.depth - root.depth :]) for page in found.values()
    ]
    if not all(default_routing(page, rest) for page, rest in on_the_way):
        return NOT_HANDLED
    if len(found) != len(wanted):
        return NOT_HANDLED  # a gap on the way: not a plain page path
    try:
        return target.specific.route(request, [])
    except Http404:
        return None
