"""Serve anonymous visitors' pages from the cache, and fill it.

Placed right after SecurityMiddleware (and WhiteNoise), so a hit skips sessions,
authentication, CSRF and the view; the stored headers are the ones the inner
middleware set on the first render (CSP, X-Frame-Options, ...), and SecurityMiddleware
adds its own to every response.

Never cached: anything but GET and HEAD; the admin, documents, static and media
(``PAGECACHE_EXCLUDE``); a request carrying a session cookie (a logged-in editor, or
anyone who passed a page's password) or an Authorization header; a query string with a
parameter the pages do not read (``PAGECACHE_QUERY_PARAMS``; tracking parameters such
as ``utm_*`` are ignored); and a response that is not a 200, sets a cookie, says
private/no-store/no-cache (Wagtail's view restrictions do), varies on anything but the
empty session, or used the per-request CSP nonce. Previews and drafts are served under
/admin/ only, to logged-in editors, through Wagtail's dummy requests, which this
middleware leaves alone. HEAD reads the cache but never fills it.

Every response says what happened in ``X-Page-Cache``: hit, miss, pass (not cacheable)
or stale (the last good copy, served because the database is away).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from wagtail.views import serve as wagtail_serve

from pagecache import routing, sites, store

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/plain",
    "text/css",
    "image/svg+xml",
    "image/png",
)
IGNORED_PARAMS = ("utm_", "fbclid", "gclid", "msclkid", "mc_cid", "mc_eid", "_ga")
NOT_STORED_HEADERS = {"set-cookie", HEADER.lower(), "content-length"}


class Lookup:
    """What the request phase learned, for the response phase."""

    __slots__ = ("site_id", "path", "query", "gen", "ver", "cacheable")

    def __init__(self, site_id, path, query, gen, ver, cacheable):
        self.site_id, self.path, self.query = site_id, path, query
        self.gen, self.ver, self.cacheable = gen, ver, cacheable


def cache_query(request) -> str | None:
    """The query string as the cache keys it, or None when the page may read a
    parameter the cache does not know (then the request is not cached)."""
    if not request.GET:
        return ""
    kept = []
    for name in request.GET:
        if name in settings.PAGECACHE_QUERY_PARAMS:
            kept.extend((name, value) for value in request.GET.getlist(name))
        elif not name.startswith(IGNORED_PARAMS):
            return None
    return "&".join(f"{k}={v}" for k, v in sorted(kept))


def is_public_path(path: str) -> bool:
    return not path.startswith(tuple(settings.PAGECACHE_EXCLUDE))


def is_anonymous_request(request) -> bool:
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            not settings.PAGECACHE_ENABLED
            or not is_public_path(request.path_info)
            or getattr(request, "is_dummy", False)  # Wagtail's previews, moderation views
        ):
            return self.get_response(request)
        lookup = self.lookup(request)
        if lookup is None:  # no Site serves this host: Wagtail answers 404
            return self.get_response(request)
        if isinstance(lookup, HttpResponse):
            return lookup
        request._page_cache = lookup
        response = self.get_response(request)
        return self.respond(request, response, lookup)

    # --- request: find the site, its clinic and the entry in one round trip -------------

    def lookup(self, request) -> Lookup | HttpResponse | None:
        try:
            request.get_host()  # ALLOWED_HOSTS first: no cache key for a forged host
        except DisallowedHost:
            return None
        host = sites.host_of(request)
        site_id = sites.site_id_for(host)
        if site_id is None:
            return None
        path = request.path_info
        query = cache_query(request) if request.method in ("GET", "HEAD") else None
        cacheable = query is not None and is_anonymous_request(request)
        keys = [store.SITES_KEY, store.gen_key(site_id)]
        if cacheable:
            keys += [store.ver_key(site_id, path), store.entry_key(site_id, path, query)]
        try:
            values = store.get_many(keys)
        except Exception:  # the cache is away: serve uncached rather than fail
            logger.exception("Page cache unavailable; serving %s uncached", request.path)
            return None
        if values.get(store.SITES_KEY) != sites.memo.sites_version:
            sites.memo.reset(values.get(store.SITES_KEY))
            if sites.site_id_for(host) != site_id:
                return self.lookup(request)
        gen = values.get(store.gen_key(site_id))
        ver = values.get(store.ver_key(site_id, path)) if cacheable else None
        entry = values.get(store.entry_key(site_id, path, query)) if cacheable else None
        if entry is not None and ver is not None and entry.gen == gen and entry.ver == ver:
            return self.serve(request, entry, "hit")
        if gen is None:
            gen = store.init_counter(store.gen_key(site_id))
        facts = sites.facts_for(site_id, gen)
        if facts is None:
            return None
        # Wagtail's Site lookup and the clinic context processor read these.
        request._wagtail_site = facts.site
        request._clinic = facts.clinic
        request._site_facts = facts
        if cacheable and ver is None:
            ver = store.init_counter(store.ver_key(site_id, path), timeout=store.VERSION_TTL)
        return Lookup(site_id, path, query, gen, ver, cacheable)

    def serve(self, request, entry: store.Entry, outcome: str) -> HttpResponse:
        response = HttpResponse(status=entry.status)
        for name, value in entry.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(entry.body))
        response.headers[HEADER] = outcome
        conditional = get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )
        if conditional is not response:
            conditional.headers[HEADER] = outcome
            return conditional
        if request.method != "HEAD":
            response.content = entry.body
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Route Wagtail's pages in two queries (`routing`), where Wagtail would walk
        the tree; Wagtail's view then finds the route already made."""
        facts = getattr(request, "_site_facts", None)
        if facts is None or view_func is not wagtail_serve:
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        result = routing.route(request, facts.site, path)
        if result is not routing.NOT_HANDLED:
            request._wagtail_route_for_request = result
        return None

    # --- response: store what may be stored ------------------------------------------

    def respond(self, request, response, lookup: Lookup) -> HttpResponse:
        if response.headers.get(HEADER) == "stale":  # process_exception's last good copy
            return response
        if not lookup.cacheable:
            if not is_anonymous_request(request) and "Cache-Control" not in response:
                # Editors' pages (with the userbar) must never reach a shared cache.
                patch_cache_control(response, private=True, no_cache=True)
            response.headers[HEADER] = "pass"
            return response
        if request.method != "GET" or not self.storable(request, response):
            response.headers[HEADER] = "pass"
            return response
        self.prepare(request, response)
        body = response.content
        entry = store.Entry(
            gen=lookup.gen,
            ver=lookup.ver,
            status=response.status_code,
            headers=tuple(
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED_HEADERS
            ),
            body=body,
            etag=response.headers["ETag"],
            last_modified=parse_http_date_safe(response.headers["Last-Modified"]),
        )
        store.save(lookup.site_id, lookup.path, lookup.query, entry)
        response.headers[HEADER] = "miss"
        conditional = get_conditional_response(
            request, etag=entry.etag, last_modified=entry.last_modified, response=response
        )
        if conditional is not response:
            conditional.headers[HEADER] = "miss"
        return conditional

    def storable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        if content_type not in CACHEABLE_TYPES:
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - {"cookie", "accept-encoding"}:
            return False
        if "cookie" in vary and not self.only_the_empty_session(request):
            return False
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # evaluated: the page carries this request's nonce
            logger.warning("Not caching %s: it uses the per-request CSP nonce", request.path)
            return False
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)

    @staticmethod
    def only_the_empty_session(request) -> bool:
        """Vary: Cookie came from an anonymous visitor's empty session being read (the
        userbar asks whether the visitor is an editor): the page does not vary."""
        session = getattr(request, "session", None)
        return session is not None and session.is_empty() and not session.modified

    @staticmethod
    def prepare(request, response) -> None:
        vary = [
            v.strip()
            for v in response.get("Vary", "").split(",")
            if v.strip() and v.strip().lower() != "cookie"
        ]
        if vary:
            response.headers["Vary"] = ", ".join(vary)
        elif "Vary" in response:
            del response.headers["Vary"]
        if "Cache-Control" not in response:
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.PAGECACHE_CDN_MAX_AGE,
                stale_while_revalidate=settings.PAGECACHE_STALE_WHILE_REVALIDATE,
                stale_if_error=settings.PAGECACHE_STALE_IF_ERROR,
            )
        if "ETag" not in response:
            digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
            response.headers["ETag"] = f'"{digest}"'
        if "Last-Modified" not in response:
            response.headers["Last-Modified"] = http_date(time.time())

    # --- the database is away: the last good copy --------------------------------------

    def process_exception(self, request, exception):
        lookup = getattr(request, "_page_cache", None)
        if not isinstance(exception, DatabaseError) or lookup is None or lookup.query is None:
            return None
        entry = store.last_good_copy(lookup.site_id, lookup.path, lookup.query)
        if entry is None:
            return None
        logger.error("Serving the last good copy of %s: %s", request.path, exception)
        response = self.serve(request, entry, "stale")
        patch_cache_control(response, public=True, max_age=0, s_maxage=10)
        return response
