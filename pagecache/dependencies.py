"""Which URLs, on which clinics, an edit affects: the pages are built from these.

- a library article (once its fan-out finished): each copy of it, its blog index
  (every page of it), the home page, feed and sitemap, its topics' pages, its author's
  page, and the clinic's other articles on its topics (their related articles), on
  every clinic carrying it;
- one copy (published, unpublished, its text): that copy and the same listings;
- a copy's canonical decision (recomputed): that copy and the sitemap;
- a topic or a person: the copies of the library articles naming them, and listings;
  the topic's or person's own page on every clinic (at its slug before and after);
- a call-to-action: every page of each clinic showing it (as its default, on one of
  its pages, or in a block of a library article it carries), and the copies of the
  library articles whose topics choose it;
- a clinic's facts, its blog, any other page of a clinic, a Site: every page of that
  site.

Every page of a site is dropped at once by its generation (`store.drop_site`); the
CDN is given the site's URLs one by one (`cdn_urls`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.functions import Substr
from wagtail.models import Page, ReferenceIndex, Site

from blog.models import (
    BlogIndexPage,
    ClinicArticlePage,
    LibraryArticlePage,
    articles_reviewed_by,
)
from clinics.models import CLINIC_DEPTH, CallToAction, ClinicHomePage, Person, Topic

HOME, FEED, SITEMAP = "/", "/feed/", "/sitemap.xml"
# Per-domain files that only change with the clinic's facts or its Site.
SITE_FILES = ("/robots.txt", "/favicon.svg", "/favicon.ico", "/social-card.png")


@dataclass
class Affected:
    paths: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    sites: set[int] = field(default_factory=set)

    def __bool__(self):
        return bool(self.sites) or any(self.paths.values())

    def merge(self, other: Affected) -> Affected:
        for site_id, paths in other.paths.items():
            self.paths[site_id] |= paths
        self.sites |= other.sites
        return self

    def as_json(self) -> dict:
        return {
            "paths": {str(k): sorted(v) for k, v in self.paths.items() if v},
            "sites": sorted(self.sites),
        }

    @classmethod
    def from_json(cls, data: dict) -> Affected:
        affected = cls()
        for site_id, paths in data.get("paths", {}).items():
            affected.paths[int(site_id)] |= set(paths)
        affected.sites |= set(data.get("sites", ()))
        return affected


def sites_by_root(root_ids) -> dict[int, Site]:
    return {site.root_page_id: site for site in Site.objects.filter(root_page_id__in=root_ids)}


def relative(url_path: str, root_url_path: str) -> str:
    """A page's path on its site: Wagtail's url_path less the site root's."""
    return "/" + url_path[len(root_url_path) :]


def person_path(slug: str) -> str:
    return "/" + ClinicHomePage.person_path(slug)


def topic_path(blog_path: str, slug: str) -> str:
    return blog_path + BlogIndexPage.topic_path(slug)


def for_copies(copies, *, listings: bool = True) -> Affected:
    """Clinic articles and what lists them (blog index, home, feed, sitemap, the pages
    of their topics and author, and the clinic's other articles on their topics, whose
    related articles may name them)."""
    copies = list(copies)
    owners = ClinicHomePage.owning_each(copies)
    sites = sites_by_root({clinic.pk for clinic in owners.values()})
    affected = Affected()
    listed = []
    for copy in copies:
        clinic = owners.get(copy.pk)
        site = sites.get(clinic.pk) if clinic is not None else None
        if site is None:
            continue
        path = relative(copy.url_path, clinic.url_path)
        paths = {path, SITEMAP}
        if listings:
            blog_path = path.rstrip("/").rsplit("/", 1)[0] + "/"
            paths |= {blog_path, HOME, FEED}
            listed.append((copy, site, blog_path))
        affected.paths[site.pk] |= paths
    if listed:
        affected.merge(_listings_of(listed, owners, sites))
    return affected


def _listings_of(listed, owners, sites) -> Affected:
    """Topic pages, author pages and same-topic articles of the copies listed (three
    queries, whatever the number of copies)."""
    affected = Affected()
    source_ids = {copy.source_id for copy, _, _ in listed if copy.source_id}
    if not source_ids:
        return affected
    topics = list(
        Topic.objects.filter(library_articles__in=source_ids).values_list(
            "library_articles", "pk", "slug"
        )
    )
    authors = dict(
        LibraryArticlePage.objects.filter(pk__in=source_ids, author__isnull=False).values_list(
            "pk", "author__slug"
        )
    )
    for copy, site, blog_path in listed:
        affected.paths[site.pk] |= {
            topic_path(blog_path, slug) for source, _, slug in topics if source == copy.source_id
        }
        if authors.get(copy.source_id):
            affected.paths[site.pk].add(person_path(authors[copy.source_id]))
    topic_ids = {pk for _, pk, _ in topics}
    if topic_ids:
        clinic_paths = {owners[copy.pk].path: owners[copy.pk] for copy, _, _ in listed}
        width = Page.steplen * CLINIC_DEPTH
        neighbours = (
            ClinicArticlePage.objects.live()
            .filter(source__topics__in=topic_ids)
            .annotate(clinic_path=Substr("path", 1, width))
            .filter(clinic_path__in=list(clinic_paths))
            .exclude(pk__in=[copy.pk for copy, _, _ in listed])
            .distinct()
            .only("pk", "path", "url_path")
        )
        for neighbour in neighbours:
            clinic = clinic_paths[neighbour.path[:width]]
            site = sites.get(clinic.pk)
            if site is not None:
                affected.paths[site.pk].add(relative(neighbour.url_path, clinic.url_path))
    return affected


def copies_of(article_ids) -> Affected:
    return for_copies(
        ClinicArticlePage.objects.filter(source_id__in=list(article_ids)).only(
            "pk", "path", "url_path"
        )
    )


def for_clinics(clinic_ids) -> Affected:
    return Affected(sites={site.pk for site in sites_by_root(set(clinic_ids)).values()})


def for_pages_anywhere(pages) -> Affected:
    """Any page: a clinic article drops its own URLs; any other page of a clinic (its
    home, its blog, whose titles every page's navigation shows) drops its site."""
    pages = list(pages)
    copies = [p for p in pages if isinstance(p, ClinicArticlePage)]
    others = [p for p in pages if not isinstance(p, ClinicArticlePage | LibraryArticlePage)]
    affected = for_copies(copies)
    owners = ClinicHomePage.owning_each(others)
    return affected.merge(for_clinics({clinic.pk for clinic in owners.values()}))


def for_call_to_action(cta_id: int) -> Affected:
    """Clinics showing the call-to-action: as their default, on one of their pages, or
    in a block of a library article they carry (Wagtail's reference index)."""
    clinic_ids = set(
        ClinicHomePage.objects.filter(default_call_to_action_id=cta_id).values_list("pk", flat=True)
    )
    referencing = set(
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(CallToAction),
            to_object_id=str(cta_id),
            base_content_type=ContentType.objects.get_for_model(Page),
        ).values_list("object_id", flat=True)
    )
    page_ids = {int(pk) for pk in referencing if str(pk).isdigit()}
    pages = list(
        Page.objects.filter(
            Q(pk__in=page_ids) | Q(clinicarticlepage__call_to_action_id=cta_id)
        ).only("pk", "path")
    )
    clinic_ids |= {c.pk for c in ClinicHomePage.owning_each(pages).values()}
    library = LibraryArticlePage.objects.filter(pk__in=page_ids).values_list("pk", flat=True)
    carrying = ClinicArticlePage.objects.filter(source_id__in=list(library)).only("pk", "path")
    clinic_ids |= {c.pk for c in ClinicHomePage.owning_each(carrying).values()}
    by_topic = LibraryArticlePage.objects.filter(topics__call_to_action_id=cta_id)
    return for_clinics(clinic_ids).merge(copies_of(set(by_topic.values_list("pk", flat=True))))


def for_topic(topic_id: int, slugs=()) -> Affected:
    """The copies of the topic's articles, and the topic's page on every clinic's blog
    (at each of `slugs`: its slug now and before an edit)."""
    affected = copies_of(
        LibraryArticlePage.objects.filter(topics=topic_id).values_list("pk", flat=True)
    )
    slugs = {slug for slug in slugs if slug}
    if slugs:
        blogs = list(BlogIndexPage.objects.only("pk", "path", "url_path"))
        owners = ClinicHomePage.owning_each(blogs)
        sites = sites_by_root({clinic.pk for clinic in owners.values()})
        for blog in blogs:
            clinic = owners.get(blog.pk)
            site = sites.get(clinic.pk) if clinic is not None else None
            if site is not None:
                blog_path = relative(blog.url_path, clinic.url_path)
                affected.paths[site.pk] |= {topic_path(blog_path, slug) for slug in slugs}
    return affected


def for_person(person_id: int, slugs=()) -> Affected:
    """The copies naming the person, and the person's page on every clinic (at each of
    `slugs`: their slug now and before an edit)."""
    # An author is read from the article; a medical reviewer from an approval record,
    # which the review app reads for the blog (articles_reviewed_by).
    authored = LibraryArticlePage.objects.filter(author_id=person_id).values_list("pk", flat=True)
    affected = copies_of({*authored, *articles_reviewed_by(person_id)})
    paths = {person_path(slug) for slug in slugs if slug}
    if paths:
        for site_id in Site.objects.values_list("pk", flat=True):
            affected.paths[site_id] |= paths
    return affected


# --- the CDN's list: full URLs ----------------------------------------------------------


def cdn_urls(affected: Affected) -> list[str]:
    """The full URLs a CDN must forget: the paths named, and every URL of each whole
    site; a blog index with each of its pages (``?page=N``)."""
    site_ids = set(affected.paths) | affected.sites
    sites = {
        site.pk: site for site in Site.objects.filter(pk__in=site_ids).select_related("root_page")
    }
    urls: set[str] = set()
    for site_id, site in sites.items():
        root = site.root_page
        paths = set(affected.paths.get(site_id, ()))
        whole = site_id in affected.sites
        if whole:
            pages = Page.objects.live().descendant_of(root, inclusive=True).only("url_path")
            paths |= {relative(p.url_path, root.url_path) for p in pages}
            paths |= {HOME, FEED, SITEMAP, *SITE_FILES}
            # The routes of the clinic's home: the shared people's pages and the search.
            people = Person.objects.filter(slug__gt="").values_list("slug", flat=True)
            paths |= {person_path(slug) for slug in people} | {"/search/"}
        blogs = BlogIndexPage.objects.live().descendant_of(root).only("pk", "path", "url_path")
        for blog in blogs:
            path = relative(blog.url_path, root.url_path)
            if path not in paths:
                continue
            if whole:
                topics = Topic.objects.filter(
                    library_articles__clinic_copies__in=ClinicArticlePage.objects.live()
                    .descendant_of(blog)
                    .values("pk")
                ).values_list("slug", flat=True)
                paths |= {topic_path(path, slug) for slug in set(topics)}
            count = ClinicArticlePage.objects.for_listing(blog).count()
            pages_count = max(1, math.ceil(count / BlogIndexPage.page_size))
            paths |= {f"{path}?page={n}" for n in range(2, pages_count + 1)}
        urls |= {site.root_url + path for path in paths}
    return sorted(urls)
