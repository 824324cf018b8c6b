"""One SEO object per page, computed in Python; `includes/seo_head.html` only prints it.

`build_seo(request, page, clinic, article)` returns the title, description, canonical
URL, robots directive, Open Graph / Twitter image, breadcrumbs and one JSON-LD
`@graph`. Its cost is a constant number of queries whatever the number of clinics:
the canonical decision of a clinic article is read from one stored row
(`seo.canonical`), breadcrumbs from one ancestors query.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Site

from blog.models import BlogIndexPage, ClinicArticlePage, review_of_record
from clinics.blocks import faq_items
from clinics.models import ClinicHomePage, LocationPage, TeamIndexPage, TeamMemberPage
from seo.models import CanonicalDecision

DESCRIPTION_CHARS = 160
OG_IMAGE_SPEC = "fill-1200x630|format-jpeg|jpegquality-80"
# The clinic's logo in structured data: square, raster (search engines take PNG, not
# SVG), at least 112 px.
LOGO_SPEC = "fill-512x512|format-png"
SOCIAL_CARD = {"path": "/social-card.png", "width": 1200, "height": 630}
INDEX = "index, follow, max-image-preview:large"
NOINDEX_FOLLOW = "noindex, follow"
NOINDEX_NOFOLLOW = "noindex, nofollow"
LANGUAGE = "en-US"


@dataclass
class Crumb:
    name: str
    url: str


@dataclass
class SEO:
    title: str
    description: str
    canonical: str
    robots: str
    url: str
    site_name: str = ""
    og_type: str = "website"
    image: dict[str, Any] | None = None
    breadcrumbs: list[Crumb] = field(default_factory=list)
    graph: list[dict] = field(default_factory=list)
    feed_url: str = ""
    lang: str = LANGUAGE
    request: Any = None

    @property
    def jsonld(self) -> str:
        """The graph as JSON safe to put inside a <script> element."""
        if not self.graph:
            return ""
        data = {"@context": "https://schema.org", "@graph": self.graph}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    @property
    def indexable(self) -> bool:
        return self.robots.startswith("index")


def _plain(html: str) -> str:
    return " ".join(strip_tags(html).split())


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    return Truncator(" ".join((text or "").split())).chars(limit, truncate="…")


def first_paragraph(article) -> str:
    for block in article.body:
        if block.block_type == "paragraph" and (text := block.plain_text()):
            return text
    return ""


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError, AttributeError):
        return 1


def _site_root(request, clinic) -> str:

    site = Site.find_for_request(request) if request is not None else None
    if site is not None:
        return site.root_url
    return clinic.get_site().root_url if clinic is not None else ""


def _image(image, request, root: str) -> dict[str, Any] | None:
    if image is None:
        return None
    rendition = image.get_rendition(OG_IMAGE_SPEC)
    url = rendition.url if "://" in rendition.url else root + rendition.url
    alt = getattr(image, "default_alt_text", "") or image.title
    return {"url": url, "width": rendition.width, "height": rendition.height, "alt": alt}


def social_card(root: str, clinic) -> dict[str, Any]:
    return {
        "url": root + SOCIAL_CARD["path"],
        "width": SOCIAL_CARD["width"],
        "height": SOCIAL_CARD["height"],
        "alt": clinic.title if clinic else "",
    }


# --- titles and descriptions ---------------------------------------------------------


def page_title(page, clinic, article=None, page_number: int = 1) -> str:
    """ "{page} | {clinic}", overridable per page by the promote tab's SEO title."""

    if clinic is None:
        return getattr(page, "seo_title", "") or getattr(page, "title", "")
    if isinstance(page, ClinicHomePage):
        if page.seo_title:
            return page.seo_title
        place = ", ".join(x for x in (clinic.city, clinic.region) if x)
        return f"{clinic.title} | {place}" if place else clinic.title
    own = (article.seo_title or article.title) if article else (page.seo_title or page.title)
    if page_number > 1:
        own = f"{own} (page {page_number})"
    return f"{own} | {clinic.title}"


def page_description(page, clinic, article=None, page_number: int = 1) -> str:
    """Page's own description → its summary/intro → what the page says of itself
    (`describe_for_search(clinic)`) → its first paragraph, or the clinic's."""

    if article is not None:
        text = article.search_description or article.summary or first_paragraph(article)
    else:
        text = getattr(page, "search_description", "") or getattr(page, "intro", "")
        if not text and clinic is not None and hasattr(page, "describe_for_search"):
            text = page.describe_for_search(clinic)  # a page that says what it is about
        if not text and isinstance(page, BlogIndexPage) and clinic is not None:
            where = f" in {clinic.city}" if clinic.city else ""
            text = f"Articles on mental health and treatment from {clinic.title}{where}."
        if not text and clinic is not None:
            text = clinic.intro or clinic.title
    if page_number > 1:
        text = f"Page {page_number}. {text}"
    return shorten(text)


# --- canonical -------------------------------------------------------------------------


def article_canonical(page, request) -> tuple[str | None, bool]:
    """(canonical URL or None for the page's own, noindex?) for a clinic article."""

    if page.canonical_policy == ClinicArticlePage.CanonicalPolicy.NOINDEX:
        return None, True
    if page.canonical_policy == ClinicArticlePage.CanonicalPolicy.SELF or not page.pk:
        return None, False
    decision = CanonicalDecision.objects.filter(page_id=page.pk).select_related("target").first()
    if decision is None or decision.outcome == CanonicalDecision.Outcome.SELF:
        return None, False
    if decision.outcome == CanonicalDecision.Outcome.NOINDEX:
        return None, True
    if decision.target is not None and decision.target.live:
        return decision.target.get_full_url(request), False
    return None, False


# --- structured data -----------------------------------------------------------------


def _person(person, url: str, same_as=None) -> dict | None:
    """A Person node: `url` is their page on this clinic's site; `same_as` their
    profiles elsewhere (a shared person's profile URL)."""
    if person is None:
        return None
    data = {"@type": "Person", "name": person.name, "url": url}
    if person.job_title:
        data["jobTitle"] = person.job_title
    if person.credentials:
        data["honorificSuffix"] = person.credentials
        data["hasCredential"] = {
            "@type": "EducationalOccupationalCredential",
            "name": person.credentials,
        }
    if same_as is None:
        same_as = [person.profile_url] if getattr(person, "profile_url", "") else []
    if same_as:
        data["sameAs"] = list(same_as)
    return data


def logo_object(clinic, root: str) -> dict[str, Any]:
    """The clinic's logo image as an ImageObject; its favicon when it has none."""
    if clinic.logo is None:
        return {"@type": "ImageObject", "url": f"{root}/favicon.svg"}
    rendition = clinic.logo.get_rendition(LOGO_SPEC)
    url = rendition.url if "://" in rendition.url else root + rendition.url
    return {
        "@type": "ImageObject",
        "url": url,
        "width": rendition.width,
        "height": rendition.height,
    }


def shared_person(person, clinic, request, root: str) -> dict | None:
    """A shared author or reviewer, with their page on this clinic's site."""
    if person is None:
        return None
    return _person(person, clinic.person_url(person, request, full=True) or f"{root}/")


def faq_node(url: str, clinic) -> dict | None:
    items = faq_items(clinic.sections)
    if not items:
        return None
    return {
        "@type": "FAQPage",
        "@id": f"{url}#faq",
        "url": url,
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "acceptedAnswer": {"@type": "Answer", "text": item["answer"]},
            }
            for item in items
        ],
    }


def clinic_node(clinic, root: str, image: dict | None) -> dict:
    node: dict[str, Any] = {
        "@type": "MedicalClinic",
        "@id": f"{root}/#clinic",
        "name": clinic.title,
        "url": f"{root}/",
        "logo": logo_object(clinic, root),
    }
    if image:
        node["image"] = image["url"]
    if clinic.intro:
        node["description"] = clinic.intro
    if clinic.phone:
        node["telephone"] = clinic.phone
    if clinic.email:
        node["email"] = clinic.email
    if clinic.street_address or clinic.city:
        address = {"@type": "PostalAddress", "addressCountry": clinic.country}
        for key, value in (
            ("streetAddress", clinic.street_address),
            ("addressLocality", clinic.city),
            ("addressRegion", clinic.region),
            ("postalCode", clinic.postal_code),
        ):
            if value:
                address[key] = value
        node["address"] = address
    if clinic.latitude is not None and clinic.longitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(clinic.latitude),
            "longitude": float(clinic.longitude),
        }
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [f"https://schema.org/{day}" for day in row.value["days"]],
            "opens": row.value["opens"].strftime("%H:%M"),
            "closes": row.value["closes"].strftime("%H:%M"),
        }
        for row in clinic.opening_hours
        if row.value["opens"] and row.value["closes"]
    ]
    if hours:
        node["openingHoursSpecification"] = hours
    if clinic.booking_url:
        node["potentialAction"] = {
            "@type": "ReserveAction",
            "target": clinic.booking_url,
            "name": "Book a consultation",
        }
    same_as = [link.value for link in clinic.social_links]
    if same_as:
        node["sameAs"] = same_as
    return node


def breadcrumb_node(url: str, crumbs: list[Crumb]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "@id": f"{url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": crumb.name, "item": crumb.url}
            for n, crumb in enumerate(crumbs, start=1)
        ],
    }


def _citation(reference) -> dict:
    value = reference.value
    data: dict[str, Any] = {"@type": "CreativeWork", "name": value["title"]}
    if value.get("authors"):
        data["author"] = value["authors"]
    if value.get("publication"):
        data["publisher"] = value["publication"]
    if value.get("year"):
        data["datePublished"] = str(value["year"])
    if value.get("url"):
        data["url"] = value["url"]
    return data


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def webpage_node(seo: SEO, root: str, kind: str) -> dict[str, Any]:
    """The page's own node (article or not): what every kind of web page says."""
    url = seo.url
    return {
        "@type": kind,
        "@id": f"{url}#webpage",
        "url": url,
        "name": seo.title,
        "description": seo.description,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@id": f"{root}/#website"},
        "breadcrumb": {"@id": f"{url}#breadcrumb"},
    }


def article_nodes(seo: SEO, page, article, clinic, root: str, blog_url: str) -> list[dict]:
    source = article.source
    url = seo.url
    published = page.first_published_at
    modified = max(
        (d for d in (page.last_published_at, source.last_published_at if source else None) if d),
        default=published,
    )
    request = seo.request
    author = shared_person(source.author if source else None, clinic, request, root)
    # The reviewer of record comes from a medical reviewer's approval (review app),
    # never from a field an editor types.
    review = review_of_record(article)
    reviewer = None
    if review is not None:
        reviewer = shared_person(review.reviewer, clinic, request, root) or {
            "@type": "Person",
            "name": review.reviewer_name,
        }
    image_url = seo.image["url"] if seo.image else None

    posting: dict[str, Any] = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "headline": Truncator(article.title).chars(110),
        "description": seo.description,
        "url": url,
        "inLanguage": LANGUAGE,
        "isPartOf": {"@id": f"{blog_url}#webpage"},
        "mainEntityOfPage": {"@id": f"{url}#webpage"},
        "publisher": {"@id": f"{root}/#clinic"},
        "author": [author] if author else [{"@id": f"{root}/#clinic"}],
    }
    if image_url:
        posting["image"] = [image_url]
    if published:
        posting["datePublished"] = _iso(published)
    if modified:
        posting["dateModified"] = _iso(modified)

    webpage = webpage_node(seo, root, "MedicalWebPage")
    webpage["mainEntity"] = {"@id": f"{url}#article"}
    webpage["publisher"] = {"@id": f"{root}/#clinic"}
    if source is not None and source.about_condition:
        webpage["about"] = {"@type": "MedicalCondition", "name": source.about_condition}
    if author:
        webpage["author"] = author
    if reviewer:
        webpage["reviewedBy"] = reviewer
    if review is not None:
        webpage["lastReviewed"] = review.reviewed_on.isoformat()
    if published:
        webpage["datePublished"] = _iso(published)
    if modified:
        webpage["dateModified"] = _iso(modified)
    if image_url:
        webpage["primaryImageOfPage"] = {"@type": "ImageObject", "url": image_url}
    if source is not None and len(source.references):
        webpage["citation"] = [_citation(ref) for ref in source.references]
    return [webpage, posting]


# --- the builder -----------------------------------------------------------------------


def build_seo(
    request, page=None, clinic=None, article=None, *, not_found=False, routed=None
) -> SEO:

    root = _site_root(request, clinic)
    page_number = _page_number(request) if isinstance(page, BlogIndexPage) else 1
    preview = bool(getattr(request, "is_preview", False))

    if not_found or page is None:
        title = f"Page not found | {clinic.title}" if clinic else "Page not found"
        description = (
            f"The page you asked for is not on the {clinic.title} site."
            if clinic
            else "The page you asked for does not exist."
        )
        # The site's own root, never the request's Host header (its port, its spelling).
        url = f"{root}{request.path}" if request and root else ""
        site_name = clinic.title if clinic else ""
        # No robots tag: the 404 status itself keeps the page out of search indexes.
        seo = SEO(title, description, "", "", url, site_name=site_name)
        if clinic:
            seo.breadcrumbs = [Crumb("Home", f"{root}/")]
        return seo

    url = page.get_full_url(request) or ""
    if page_number > 1:
        url = f"{url}?page={page_number}"
    if routed is not None:
        # A route of a routable page (a person, a topic, the search): its own URL.
        url = f"{root}{request.path}" if request is not None and root else url
        title = f"{routed.title} | {clinic.title}" if clinic else routed.title
        description = shorten(routed.description or title)
    else:
        title = page_title(page, clinic, article, page_number)
        description = page_description(page, clinic, article, page_number)
    canonical, noindex = url, False
    if isinstance(page, ClinicArticlePage) and not preview:
        other, noindex = article_canonical(page, request)
        canonical = other or url
    if preview or clinic is None:
        robots = NOINDEX_NOFOLLOW
    elif noindex or page_number > 1 or (routed is not None and not routed.indexable):
        robots = NOINDEX_FOLLOW
    else:
        robots = INDEX

    seo = SEO(
        title=title,
        description=description,
        canonical=canonical,
        robots=robots,
        url=url,
        site_name=clinic.title if clinic else "",
        og_type="article" if article is not None else "website",
        request=request,
    )
    if clinic is None:
        return seo

    hero = article.hero_image if article is not None else None
    seo.image = _image(hero or clinic.default_image, request, root) or social_card(root, clinic)

    # Breadcrumbs: the clinic's home, then each ancestor below it (one query).
    crumbs = [Crumb("Home", f"{root}/")]
    if not isinstance(page, ClinicHomePage):
        ancestors = page.get_ancestors().filter(depth__gt=clinic.depth).only("title", "url_path")
        crumbs.extend(Crumb(a.title, a.get_full_url(request)) for a in ancestors)
        crumbs.append(Crumb(article.title if article else page.title, page.get_full_url(request)))
    if routed is not None:
        crumbs.append(Crumb(routed.title, url))
    seo.breadcrumbs = crumbs
    blog_url = crumbs[1].url if len(crumbs) > 1 else f"{root}/"
    seo.feed_url = f"{root}/feed/"

    website = {
        "@type": "WebSite",
        "@id": f"{root}/#website",
        "url": f"{root}/",
        "name": clinic.title,
        "inLanguage": LANGUAGE,
        "publisher": {"@id": f"{root}/#clinic"},
    }
    graph = [website, clinic_node(clinic, root, seo.image)]
    if article is not None:
        graph.extend(article_nodes(seo, page, article, clinic, root, blog_url))
    else:
        graph.extend(page_nodes(seo, page, clinic, root, routed))
    graph.append(breadcrumb_node(url, crumbs))
    seo.graph = graph
    return seo


@dataclass
class Routed:
    """A route of a routable page, as the SEO head needs it."""

    title: str
    description: str = ""
    kind: str = "WebPage"
    person: Any = None  # a shared Person (its ProfilePage)
    indexable: bool = True


def routed_from_context(context) -> Routed | None:
    if context.get("person") is not None:
        person = context["person"]
        what = ", ".join(x for x in (person.credentials, person.job_title) if x)
        description = person.bio or (f"{person.name}, {what}." if what else person.name)
        return Routed(person.name, description, "ProfilePage", person=person)
    if context.get("topic") is not None:
        topic = context["topic"]
        return Routed(topic.name, f"Articles on {topic.name}.", "CollectionPage")
    if "search_query" in context:
        return Routed(
            context.get("routed_title") or "Search", kind="SearchResultsPage", indexable=False
        )
    return None


def page_nodes(seo: SEO, page, clinic, root: str, routed: Routed | None) -> list[dict]:
    """The WebPage node of a page that is not an article, and what it is about."""
    url, request = seo.url, seo.request
    kind = routed.kind if routed is not None else "WebPage"
    if routed is None and isinstance(page, BlogIndexPage | TeamIndexPage):
        kind = "CollectionPage"
    elif routed is None and isinstance(page, TeamMemberPage):
        kind = "ProfilePage"
    elif routed is None and isinstance(page, LocationPage):
        kind = "ContactPage"
    webpage = webpage_node(seo, root, kind)
    nodes = [webpage]
    if isinstance(page, ClinicHomePage) and routed is None:
        webpage["about"] = {"@id": f"{root}/#clinic"}
        if faq := faq_node(url, clinic):
            nodes.append(faq)
    elif isinstance(page, LocationPage):
        webpage["about"] = webpage["mainEntity"] = {"@id": f"{root}/#clinic"}
    elif isinstance(page, TeamMemberPage):
        person = _person(page, url, page.same_as_urls)
        person["worksFor"] = {"@id": f"{root}/#clinic"}
        if page.photo_id:
            image = _image(page.photo, request, root)
            if image:
                person["image"] = image["url"]
        nodes.append(_main_person(webpage, person))
    elif routed is not None and routed.person is not None:
        nodes.append(_main_person(webpage, _person(routed.person, url)))
    return nodes


def _main_person(webpage: dict, person: dict) -> dict:
    """A profile page's person: its own node, the page's main entity."""
    person["@id"] = f"{webpage['url']}#person"
    webpage["mainEntity"] = {"@id": person["@id"]}
    return person


def seo_for_context(context) -> SEO:
    """The page's SEO object, built once per request and template render."""
    request = context.get("request")
    page = context.get("page") or context.get("self")
    cache = getattr(request, "_seo_objects", None) if request is not None else None
    key = getattr(page, "pk", None)
    if cache is not None and key in cache:
        return cache[key]
    seo = build_seo(
        request,
        page if hasattr(page, "get_full_url") else None,
        context.get("clinic"),
        context.get("article"),
        not_found=bool(context.get("not_found")),
        routed=routed_from_context(context),
    )
    if request is not None:
        if cache is None:
            cache = request._seo_objects = {}
        cache[key] = seo
    return seo
