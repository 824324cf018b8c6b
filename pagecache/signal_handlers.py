"""Drop the affected pages when something they are built from changes, once the change
has committed, and purge the same URLs from the CDN in a background task. The pages of
a shared snippet's edit (call-to-action, topic, person) are on every clinic: a worker
works them out and drops them (`pagecache.tasks.drop_snippet_pages`).

The publishing pipeline says when a library article's fan-out has finished
(`run_finished`) and when one copy's text changed (`copy_text_changed`); Wagtail says
when a page is published, unpublished, moved, renamed or deleted; model signals tell of
the shared snippets (call-to-action, topic, person), the clinics and the Sites. The
canonical decisions (`seo`, which this app does not import) are recomputed by a task
after those: its end drops the copies and sitemaps again.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django_tasks.signals import task_finished
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from blog.models import ClinicArticlePage, LibraryArticlePage
from blog.syndication import copy_text_changed, run_finished
from clinics.models import CallToAction, ClinicHomePage, Person, Topic
from pagecache import dependencies, store
from pagecache.tasks import cdn_configured, drop, drop_snippet_pages, purge_cdn

logger = logging.getLogger(__name__)

CANONICAL_TASK = "seo.tasks.refresh_canonical_decisions"


def invalidate(compute, *, eager: bool = False) -> None:
    """Once the transaction commits: work out what is affected (before, when `eager`:
    for a deletion, whose relations are gone after it), drop it from the page cache,
    and purge it from the CDN in the background."""
    known = compute() if eager else None

    def apply():
        drop(known if eager else compute())

    # robust: an unreachable cache is logged, never turned into the editor's error.
    transaction.on_commit(apply, robust=True)


def invalidate_in_worker(kind: str, object_id: int, slugs=()) -> None:
    """Once the transaction commits, a worker works out and drops the pages of a shared
    snippet's edit (`pagecache.tasks.drop_snippet_pages`): they are on every clinic, so
    not in the editor's request. A deletion is worked out before it, in the request
    (`invalidate(eager=True)`): the snippet's relations are gone after it."""
    slugs = sorted(slugs)
    transaction.on_commit(lambda: drop_snippet_pages.enqueue(kind, object_id, slugs), robust=True)


# --- the publishing pipeline -----------------------------------------------------------


def on_run_finished(sender, run, **kwargs):
    invalidate(lambda: dependencies.copies_of([run.article_id]))


def on_copy_text_changed(sender, page, **kwargs):
    invalidate(lambda: dependencies.for_copies([page]))


def on_canonical_decisions(sender, task_result, **kwargs):
    if task_result.task.module_path != CANONICAL_TASK or not task_result.args:
        return
    source_id = task_result.args[0]
    invalidate(
        lambda: dependencies.for_copies(
            ClinicArticlePage.objects.filter(source_id=source_id).only("pk", "path", "url_path"),
            listings=False,
        )
    )


# --- Wagtail's pages -------------------------------------------------------------------


def on_page_changed(sender, instance, **kwargs):
    if isinstance(instance, LibraryArticlePage):
        return  # its copies change with the fan-out (run_finished)
    page = instance
    invalidate(lambda: dependencies.for_pages_anywhere([page]))


def old_url(page, url_path: str | None, owner) -> dependencies.Affected:
    """A URL that stops answering: dropped with its site, and named for the CDN (a
    site's purge lists its live pages, which no longer include it)."""
    affected = dependencies.Affected()
    site = dependencies.sites_by_root({owner.pk}).get(owner.pk) if owner else None
    if site is not None and url_path and url_path.startswith(owner.url_path):
        affected.paths[site.pk].add(dependencies.relative(url_path, owner.url_path))
        affected.sites.add(site.pk)
    return affected


def on_page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    # A move changes URLs under both parents: drop both clinics' whole sites.
    owners = ClinicHomePage.owning_each([parent_page_before, parent_page_after])
    before = old_url(instance, kwargs.get("url_path_before"), owners.get(parent_page_before.pk))
    clinic_ids = {clinic.pk for clinic in owners.values()}
    invalidate(lambda: dependencies.for_clinics(clinic_ids).merge(before))


def on_slug_changed(sender, instance, instance_before, **kwargs):
    # The old URL must stop answering everywhere: drop the clinic's whole site.
    owner = ClinicHomePage.owning(instance)
    if owner is not None:
        before = old_url(instance_before, instance_before.url_path, owner)
        invalidate(lambda: dependencies.for_clinics({owner.pk}).merge(before))


def on_page_deleted(sender, instance, **kwargs):
    if not isinstance(instance, Page) or isinstance(instance, LibraryArticlePage):
        return
    owner = ClinicHomePage.owning(instance)
    if owner is not None:
        affected = dependencies.for_clinics({owner.pk}).merge(
            old_url(instance, instance.url_path, owner)
        )
        invalidate(lambda: affected)


def on_clinic_saved(sender, instance, update_fields=None, **kwargs):
    # A full save changes the live facts (code, provisioning); saving a revision or a
    # draft passes update_fields and changes nothing visitors see until it is published.
    if update_fields is None:
        clinic_id = instance.pk
        invalidate(lambda: dependencies.for_clinics({clinic_id}))


# --- the shared snippets and the Sites ---------------------------------------------------


def on_call_to_action(sender, instance, signal=None, **kwargs):
    cta_id = instance.pk
    if signal is pre_delete:
        invalidate(lambda: dependencies.for_call_to_action(cta_id), eager=True)
    else:
        invalidate_in_worker("call_to_action", cta_id)


def remember_slug(sender, instance, **kwargs):
    """Before a topic or person is saved: its slug until now, whose page must go too."""
    if instance.pk:
        instance._slug_before = (
            sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


def _slugs(instance) -> set:
    return {instance.slug, getattr(instance, "_slug_before", None)} - {None, ""}


def on_topic(sender, instance, signal=None, **kwargs):
    topic_id, slugs = instance.pk, _slugs(instance)
    if signal is pre_delete:
        invalidate(lambda: dependencies.for_topic(topic_id, slugs), eager=True)
    else:
        invalidate_in_worker("topic", topic_id, slugs)


def on_person(sender, instance, signal=None, **kwargs):
    person_id, slugs = instance.pk, _slugs(instance)
    if signal is pre_delete:
        invalidate(lambda: dependencies.for_person(person_id, slugs), eager=True)
    else:
        invalidate_in_worker("person", person_id, slugs)


def on_view_restriction(sender, instance, **kwargs):
    # Rare: whether any restriction exists is part of every site's memo (pagecache.sites),
    # and a newly restricted page must stop being served from the cache.
    def apply():
        for site_id in Site.objects.values_list("pk", flat=True):
            store.drop_site(site_id)
        if cdn_configured():
            affected = dependencies.for_pages_anywhere([instance.page])
            purge_cdn.enqueue(affected.as_json())

    transaction.on_commit(apply)


def on_site(sender, instance, **kwargs):
    site_id = instance.pk

    def apply():
        store.sites_changed()
        store.drop_site(site_id)

    transaction.on_commit(apply)


def connect() -> None:
    uid = "pagecache"
    run_finished.connect(on_run_finished, dispatch_uid=f"{uid}-run-finished")
    copy_text_changed.connect(on_copy_text_changed, dispatch_uid=f"{uid}-copy-text")
    task_finished.connect(on_canonical_decisions, dispatch_uid=f"{uid}-canonical")
    page_published.connect(on_page_changed, dispatch_uid=f"{uid}-published")
    page_unpublished.connect(on_page_changed, dispatch_uid=f"{uid}-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid=f"{uid}-moved")
    page_slug_changed.connect(on_slug_changed, dispatch_uid=f"{uid}-slug")
    post_delete.connect(on_page_deleted, dispatch_uid=f"{uid}-page-deleted")
    post_save.connect(on_clinic_saved, sender=ClinicHomePage, dispatch_uid=f"{uid}-clinic")
    for model, handler in (
        (CallToAction, on_call_to_action),
        (Topic, on_topic),
        (Person, on_person),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-{model.__name__}-save")
        pre_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-{model.__name__}-delete")
    for model in (Topic, Person):
        pre_save.connect(remember_slug, sender=model, dispatch_uid=f"{uid}-{model.__name__}-slug")
    post_save.connect(on_view_restriction, sender=PageViewRestriction, dispatch_uid=f"{uid}-pvr")
    post_delete.connect(on_view_restriction, sender=PageViewRestriction, dispatch_uid=f"{uid}-pvr-")
    post_save.connect(on_site, sender=Site, dispatch_uid=f"{uid}-site-save")
    post_delete.connect(on_site, sender=Site, dispatch_uid=f"{uid}-site-delete")
