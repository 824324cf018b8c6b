"""Background work of the page cache (the `django_tasks` API, as blog.tasks)."""

from django.conf import settings
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from pagecache import dependencies, store
from pagecache.dependencies import Affected, cdn_urls

# What a shared snippet's edit affects, by kind: (id, slugs) -> Affected.
SNIPPET_PAGES = {
    "call_to_action": lambda pk, slugs: dependencies.for_call_to_action(pk),
    "topic": dependencies.for_topic,
    "person": dependencies.for_person,
}


def cdn_configured() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


@task()
def purge_cdn(affected: dict) -> list[str]:
    """Purge from the CDN every URL an edit affected (the page cache already dropped
    them): one PurgeBatch, which Wagtail sends per backend and hostname."""
    urls = cdn_urls(Affected.from_json(affected))
    if urls:
        PurgeBatch(urls).purge()
    return urls


@task()
def drop_snippet_pages(kind: str, object_id: int, slugs: list[str]) -> None:
    """After a call-to-action, topic or person was saved: drop the pages showing it on
    every clinic (its old slug's pages too), and purge them from the CDN."""
    drop(SNIPPET_PAGES[kind](object_id, slugs))


def drop(affected: Affected) -> None:
    """Drop the affected pages from the page cache, and have the CDN purge them."""
    if not affected:
        return
    for site_id in affected.sites:
        store.drop_site(site_id)
    for site_id, paths in affected.paths.items():
        if site_id not in affected.sites:
            store.drop_paths(site_id, paths)
    if cdn_configured():
        purge_cdn.enqueue(affected.as_json())
