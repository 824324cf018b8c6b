"""Background work of the page cache (the `django_tasks` API, as blog.tasks)."""

from django.conf import settings
from django_tasks import task
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from pagecache.dependencies import Affected, cdn_urls


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
