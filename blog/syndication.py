"""Syndication: library articles fan out to the clinics that carry them.

Publishing a library article gives every subscribing clinic its copy (published at
once or as a draft, as the clinic chose). It is idempotent: an existing copy is found
by its source and never rewritten, so nothing a clinic overrode is touched.

Unpublishing a library article takes every live copy down with it (a retracted medical
text must leave every domain) and marks those copies `withdrawn_with_source`; the
copies and their overrides stay as they were. Republishing the library article puts
withdrawn copies back live for clinics that publish library articles at once, and
leaves them as drafts for the others. Deleting a library article that clinics still
carry is refused (the source key is protected); moving it inside the library changes
nothing for visitors, since library pages have no URL.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from blog.models import BlogIndexPage, ClinicArticlePage, LibraryArticlePage
from blog.resolution import effective_title
from clinics.models import ClinicHomePage

logger = logging.getLogger(__name__)


@dataclass
class SyndicationReport:
    created: list[int] = field(default_factory=list)
    published: list[int] = field(default_factory=list)
    unpublished: list[int] = field(default_factory=list)
    skipped_clinics: list[str] = field(default_factory=list)


def subscribing_clinics(article: LibraryArticlePage):
    topic_ids = [topic.pk for topic in article.topics.all()]
    return (
        ClinicHomePage.objects.live()
        .filter(
            Q(syndication_mode=ClinicHomePage.Syndication.ALL)
            | Q(
                syndication_mode=ClinicHomePage.Syndication.TOPICS,
                syndication_topics__in=topic_ids,
            )
        )
        .distinct()
        .order_by("path")
    )


def _free_slug(blog: BlogIndexPage, wanted: str) -> str:
    taken = set(blog.get_children().values_list("slug", flat=True))
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


@transaction.atomic
def syndicate(article: LibraryArticlePage) -> SyndicationReport:
    report = SyndicationReport()
    for clinic in subscribing_clinics(article):
        blog = BlogIndexPage.objects.child_of(clinic).first()
        if blog is None:
            logger.warning("Clinic %s has no blog; skipped %s", clinic, article)
            report.skipped_clinics.append(clinic.title)
            continue
        copy = ClinicArticlePage.objects.descendant_of(clinic).filter(source=article).first()
        if copy is None:
            copy = ClinicArticlePage(
                source=article,
                title=effective_title(ClinicArticlePage(source=article), clinic),
                slug=_free_slug(blog, article.slug or slugify(article.title)),
                live=False,
            )
            blog.add_child(instance=copy)
            revision = copy.save_revision(log_action=True)
            report.created.append(copy.pk)
            if clinic.publish_syndicated:
                revision.publish()
                report.published.append(copy.pk)
        elif copy.withdrawn_with_source and clinic.publish_syndicated:
            copy.get_latest_revision().publish()
            report.published.append(copy.pk)
        if copy.withdrawn_with_source:
            ClinicArticlePage.objects.filter(pk=copy.pk).update(withdrawn_with_source=False)
    refresh_titles(article)
    return report


def refresh_titles(article: LibraryArticlePage) -> None:
    """Keep each copy's admin title equal to its effective title after a library edit."""
    for copy in article.clinic_copies.filter(title_override=""):
        title = effective_title(copy, copy.clinic)
        if copy.title != title:
            ClinicArticlePage.objects.filter(pk=copy.pk).update(title=title, draft_title=title)


@transaction.atomic
def withdraw(article: LibraryArticlePage) -> SyndicationReport:
    report = SyndicationReport()
    for copy in article.clinic_copies.live():
        copy.unpublish(log_action="wagtail.unpublish")
        ClinicArticlePage.objects.filter(pk=copy.pk).update(withdrawn_with_source=True)
        report.unpublished.append(copy.pk)
    return report
