"""The page cache on Redis, as production runs it (database 11, flushed before and after)."""

import pytest
import redis
from django.core.cache import caches

from pagecache import sites, store
from tests.factories import committed, make_clinic, make_library_article, paragraph

# Marked here, not only by tests/conftest.py: pytest-django orders marked tests before
# transactional ones, whose flush would leave later tests without Wagtail's root page.
pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/11"
ARTICLE = "/blog/what-causes-ptsd/"


@pytest.fixture
def redis_cache(settings):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    client.flushdb()
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
    settings.PAGECACHE_CACHE = "pagecache"
    sites.clear()
    yield caches["pagecache"]
    sites.clear()
    client.flushdb()


def test_pages_are_cached_and_dropped_on_redis(client, redis_cache):
    make_clinic("Nova", slug="nova")
    article = make_library_article(body=[paragraph("First version.", "p1")])
    first = client.get(ARTICLE, HTTP_HOST="nova.localhost")
    second = client.get(ARTICLE, HTTP_HOST="nova.localhost")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    article.body = [paragraph("Second version.", "p1")]
    with committed():
        article.save_revision().publish()
    third = client.get(ARTICLE, HTTP_HOST="nova.localhost")
    assert third["X-Page-Cache"] == "miss" and b"Second version." in third.content
    # The lookup's own Redis read returns what Django's cache wrote, and nothing missing.
    redis_cache.set("pc:test", 41)
    redis_cache.incr("pc:test")
    assert store.get_many(["pc:test", "pc:missing"]) == {"pc:test": 42}


def test_pages_are_served_uncached_while_the_cache_is_away(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "away": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/11",  # nothing listens there
        },
    }
    settings.PAGECACHE_CACHE = "away"
    sites.clear()
    make_clinic("Nova", slug="nova")
    make_library_article(body=[paragraph("Served anyway.", "p1")])
    response = client.get(ARTICLE, HTTP_HOST="nova.localhost")
    assert response.status_code == 200 and b"Served anyway." in response.content
    assert "X-Page-Cache" not in response


def test_pages_are_built_from_the_database_while_redis_is_away(client, settings):
    """Production's default cache is Redis too, and Wagtail reads it while rendering
    (the Sites' root paths): unreachable, it reads as empty (cms.cache)."""
    make_clinic("Nova", slug="nova")
    make_library_article(body=[paragraph("Built from the database.", "p1")])
    # Then Redis goes away.
    away = {"BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/11"}
    settings.CACHES = {**settings.CACHES, "default": away, "away": away}
    settings.PAGECACHE_CACHE = "away"
    sites.clear()
    for path in (ARTICLE, "/", "/blog/"):
        response = client.get(path, HTTP_HOST="nova.localhost")
        assert response.status_code == 200, path
    assert b"Built from the database." in client.get(ARTICLE, HTTP_HOST="nova.localhost").content
    # Django's own Redis cache raises instead: what the pages would have met.
    plain = {**away, "BACKEND": "django.core.cache.backends.redis.RedisCache"}
    settings.CACHES = {**settings.CACHES, "default": plain}
    with pytest.raises(redis.ConnectionError):
        client.get(ARTICLE, HTTP_HOST="nova.localhost")
