"""Site search, scoped to one clinic: only its own live pages, never another clinic's
pages or anyone's drafts.

The clinic's own pages (team, location) are searched here, through Wagtail search;
apps above this one add theirs through the `search_clinic_pages` hook (the blog: its
live articles, by their words as this clinic's visitors read them). Each answer is a
list of `SearchHit`s, best first; hits are interleaved by rank.
"""

from dataclasses import dataclass
from itertools import zip_longest

from wagtail import hooks
from wagtail.models import Page


@dataclass
class SearchHit:
    page: Page  # a live page of the clinic's tree (specific)
    title: str
    summary: str = ""


def own_pages(clinic, query: str, limit: int) -> list[SearchHit]:
    from clinics.models import LocationPage, TeamIndexPage, TeamMemberPage

    kinds = (TeamIndexPage, TeamMemberPage, LocationPage)
    found = (
        Page.objects.live().descendant_of(clinic).type(*kinds).search(query, operator="and")[:limit]
    )
    ids = [page.pk for page in found]
    pages = Page.objects.filter(pk__in=ids).specific().in_bulk()
    hits = []
    for pk in ids:
        page = pages.get(pk)
        if page is not None:
            summary = getattr(page, "job_title", "") or getattr(page, "intro", "")
            hits.append(SearchHit(page, page.title, summary))
    return hits


def search_clinic(clinic, query: str, *, limit: int = 20) -> list[SearchHit]:
    """The clinic's live pages matching `query`, best first, at most `limit`."""
    answers = [own_pages(clinic, query, limit)]
    for search in hooks.get_hooks("search_clinic_pages"):
        answers.append(search(clinic, query, limit))
    seen, hits = set(), []
    for row in zip_longest(*answers):
        for hit in row:
            if hit is not None and hit.page.pk not in seen:
                seen.add(hit.page.pk)
                hits.append(hit)
    return hits[:limit]
