"""Each clinic's sitemap.xml: only that Site's live pages, never a library URL.

Clinic articles whose canonical URL is another clinic's copy, or that are kept out of
search results, are left out (a sitemap lists canonical URLs only). An article's
lastmod is the later of the copy's own publish and its library source's, so library
edits reach search engines. Decisions and source dates are read in one query each.
"""

from django.http import Http404
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Site

from blog.models import ClinicArticlePage, LibraryArticlePage
from seo.models import CanonicalDecision


class ClinicSitemap(Sitemap):
    def get_wagtail_site(self):
        site = Site.find_for_request(self.request)
        if site is None:
            raise Http404("No site serves this host.")
        return site

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        copies = [p for p in pages if isinstance(p, ClinicArticlePage)]
        outcomes = dict(
            CanonicalDecision.objects.filter(page_id__in=[c.pk for c in copies]).values_list(
                "page_id", "outcome"
            )
        )
        source_dates = dict(
            LibraryArticlePage.objects.filter(
                pk__in={c.source_id for c in copies if c.source_id}
            ).values_list("pk", "last_published_at")
        )
        urls = []
        for item in pages:
            if isinstance(item, ClinicArticlePage):
                if (
                    item.canonical_policy == ClinicArticlePage.CanonicalPolicy.NOINDEX
                    or outcomes.get(item.pk, CanonicalDecision.Outcome.SELF)
                    != CanonicalDecision.Outcome.SELF
                ):
                    continue
                dates = [item.last_published_at, source_dates.get(item.source_id)]
                urls.append(
                    {
                        "item": item,
                        "location": item.get_full_url(self.request),
                        "lastmod": max((d for d in dates if d), default=None),
                    }
                )
            else:
                urls.extend(item.get_sitemap_urls(self.request))
        last_mods = {u.get("lastmod") for u in urls}
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
