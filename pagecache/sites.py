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

from dataclasses import dataclass, field

from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from clinics.models import ClinicHomePage


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

    def reset(self, sites_version: int | None) -> None:
        self.sites_version = sites_version
        self.hosts.clear()
        self.facts.clear()


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
    clinic = ClinicHomePage.objects.filter(pk=site.root_page_id).first()
    # Wagtail routes from `site.root_page.specific`: the clinic is already specific.
    site.root_page = clinic if clinic is not None else site.root_page.specific
    restrictions = PageViewRestriction.objects.exists()
    facts = memo.facts[site_id] = SiteFacts(site, clinic, gen, restrictions)
    return facts


def clear() -> None:
    memo.reset(None)
