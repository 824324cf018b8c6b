"""The page cache on, in a cache of its own that each test starts empty (the cache
would otherwise outlive each test's rolled-back database)."""

import pytest
from django.core.cache import caches

from pagecache import sites


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGECACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGECACHE_CACHE = "pagecache"
    caches["pagecache"].clear()
    sites.clear()
    yield caches["pagecache"]
    caches["pagecache"].clear()
    sites.clear()
