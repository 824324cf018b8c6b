"""Hostnames from the Site records, so adding a clinic needs no deploy.

`SiteHostnames` is a list that Django's ``validate_host`` reads for ``ALLOWED_HOSTS``,
and Wagtail's frontend-cache backends for their ``HOSTNAMES``: the hosts given in the
environment, then every Site's hostname (`pagecache.sites.hostnames`, kept in memory
until a Site changes). A host found in neither is looked for once more after asking the
shared cache whether any Site changed, so a clinic's Site saved in the admin is served by
every process from its first request.

CSRF needs no list of its own: Django accepts a form posted to the origin it came from
(the Host, which this list admits, with the request's scheme); trusting every clinic's
origin would let one clinic's pages post to another's, so ``CSRF_TRUSTED_ORIGINS`` stays
for origins named in the environment.

`certificate_allowed` answers the edge's question before it obtains a TLS certificate
for a hostname on demand (Caddy's ``on_demand_tls ask``, and proxies like it): 200 for a
Site's hostname, 404 for any other, so nobody can make the edge request certificates
for names that are not clinics'.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers


class SiteHostnames(list):
    def __iter__(self):
        # Imported here: settings build this list before the app registry is ready.
        from pagecache import sites

        yield from super().__iter__()
        known = sites.hostnames()
        yield from known
        # Reached only when nothing above matched (validate_host stops at a match).
        yield from sites.hostnames(recheck=True) - known

    def __bool__(self):
        return True  # the Sites are always there (Django's deploy check reads emptiness)

    def __repr__(self):
        return f"SiteHostnames({list.__repr__(self)} + every Site's hostname)"


def certificate_allowed(request) -> HttpResponse:
    """``GET /health/certificate/?domain=<hostname>``: may the edge get a certificate?"""
    from pagecache import sites

    domain = request.GET.get("domain", "").strip().lower().rstrip(".")
    # `in` on the list itself compares its own items only: the hosts named in the
    # environment, exactly (a pattern such as ".example" allows no certificate).
    allowed = bool(domain) and (
        domain in settings.ALLOWED_HOSTS or domain in sites.hostnames(recheck=True)
    )
    response = HttpResponse("allowed" if allowed else "unknown", content_type="text/plain")
    response.status_code = 200 if allowed else 404
    add_never_cache_headers(response)
    return response
