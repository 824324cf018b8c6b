"""What every public request needs and that rarely changes: which Site serves the host,
and that Site's clinic (its facts, brand and default call-to-action).

Each process keeps them in memory. They stay valid as long as the numbers in the shared
cache say so, read with the page lookup in the same round trip:

- the host map is rebuilt when ``pc:sites`` moves (a Site was saved or deleted);
- a clinic is loaded again when its site's generation moves (the clinic's facts were
  published, or a call-to-action, topic or person it shows changed, or a page view
  restriction was added or removed anywhere: see ``signal_handlers``).

So an uncached page still skips Wagtail's Site query, the root page's specific query,
the clinic lookup of the context processor, the clinic's default call-to-action and,
while no page has a view restriction, Wagtail's two restriction queries
(``wagtail_hooks``); `routing` finds the page in two queries instead of two per level.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from clinics.models import ClinicHomePage
from pagecache import store

logger = logging.getLogger(__name__)

# Without the page cache, nothing else compares the memo with the shared number on each
# request: the hostnames are compared with it again after this long.
HOSTNAMES_MAX_AGE = 60


@dataclass
class SiteFacts:
    site: Site
    clinic: ClinicHomePage | None
    gen: int
    # Whether any page anywhere has a view restriction (password, login, groups): when
    # none has, serving a page need not look for its restrictions.
    restrictions: bool = True


@dataclass
class Memo:
    sites_version: int | None = None
    hosts: dict[tuple[str, int], int | None] = field(default_factory=dict)
    facts: dict[int, SiteFacts] = field(default_factory=dict)
    # Every Site's hostname (`hostnames`), and when they were read (monotonic seconds).
    hostnames: frozenset[str] | None = None
    hostnames_read_at: float = 0.0

    def reset(self, sites_version: int | None) -> None:
        self.sites_version = sites_version
        self.hosts.clear()
        self.facts.clear()
        self.hostnames = None


memo = Memo()


def host_of(request) -> tuple[str, int]:
    hostname = split_domain_port(request._get_raw_host())[0]
    return hostname, int(request.get_port() or 80)


def site_id_for(host: tuple[str, int]) -> int | None:
    """The id of the Site serving `host`, as Wagtail matches it (one query per new host)."""
    if host not in memo.hosts:
        from wagtail.models.sites import get_site_for_hostname

        try:
            site = get_site_for_hostname(*host)
        except Site.DoesNotExist:
            site = None
        memo.hosts[host] = site.pk if site is not None else None
    return memo.hosts[host]


def facts_for(site_id: int, gen: int) -> SiteFacts | None:
    """The Site and its clinic, loaded again when the site's generation moved."""
    facts = memo.facts.get(site_id)
    if facts is not None and facts.gen == gen:
        return facts
    site = Site.objects.filter(pk=site_id).select_related("root_page").first()
    if site is None:
        memo.facts.pop(site_id, None)
        return None
    clinic = (
        ClinicHomePage.objects.select_related(*ClinicHomePage.BRAND_IMAGES)
        .filter(pk=site.root_page_id)
        .first()
    )
    # Wagtail routes from `site.root_page.specific`: the clinic is already specific.
    site.root_page = clinic if clinic is not None else site.root_page.specific
    restrictions = PageViewRestriction.objects.exists()
    facts = memo.facts[site_id] = SiteFacts(site, clinic, gen, restrictions)
    return facts


def hostnames(*, recheck: bool = False) -> frozenset[str]:
    """Every Site's hostname (the allowed hosts and the CDN's hostnames, `cms.hosts`).

    Kept in memory until any Site changes (``pc:sites`` moves: the page cache's lookup
    compares it on every request, and so does this when asked to `recheck`, or when the
    memo is older than ``HOSTNAMES_MAX_AGE``)."""
    previous = memo.hostnames
    stale = time.monotonic() - memo.hostnames_read_at > HOSTNAMES_MAX_AGE
    if memo.hostnames is not None and (recheck or stale):
        try:
            version = store.cache().get(store.SITES_KEY)
        except Exception:  # the cache is away: keep what is known
            logger.warning("Page cache unavailable; Site hostnames not rechecked")
            version = memo.sites_version
        if version != memo.sites_version:
            memo.reset(version)
        memo.hostnames_read_at = time.monotonic()
    if memo.hostnames is None:
        try:
            memo.hostnames = frozenset(Site.objects.values_list("hostname", flat=True))
        except DatabaseError:
            if previous is None:
                raise
            # The database is away: the hosts known before still serve their last good
            # copies (pagecache.middleware).
            logger.warning("Database unavailable; Site hostnames not read again")
            return previous
        memo.hostnames_read_at = time.monotonic()
    return memo.hostnames


def clear() -> None:
    memo.reset(None)
