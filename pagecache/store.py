"""Where cached pages live, and how they are dropped.

Keys (in the cache named by ``PAGECACHE_CACHE``, Redis in production):

- ``pc:g:<site>``: the site's generation. Bumping it drops every page of that site in
  O(1) (one INCR, whatever the number of pages): entries remember the generation they
  were rendered under and are ignored once it moved on. The dropped entries are not
  deleted; they are overwritten by the next render or expire (``PAGECACHE_TTL``).
- ``pc:v:<site>:<path>``: one path's version, the same for all its query strings
  (``/blog/`` and ``/blog/?page=2``). Bumping it drops that path.
- ``pc:e:<release>:<site>:<path?query>``: the live entry. ``<release>`` changes with
  each deploy's static files, so cached HTML never names static files a new release
  removed.
- ``pc:good:<site>:<path?query>``: the last good copy, written beside the live entry
  each time a render succeeds and never touched by invalidation, for serving while the
  database is away.
- ``pc:sites``: bumped when any Site changes, so each process rebuilds its host map.

A render reads the generation and version *before* it reads the database and stores
its entry under those numbers, and invalidation bumps them *after* the change commits:
a render racing an edit can store an old page, but only under numbers that are already
out of date, so it is never served.

Counters that are missing (never set, or evicted) start at the current time in
microseconds, never at 0, so an entry rendered under a counter that was later evicted
cannot match its new value.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import cache as memoize

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient
from redis import Redis

SITES_KEY = "pc:sites"
# Version keys outlive the entries they guard, so an expired version never resurrects one.
VERSION_TTL = 60 * 60 * 24 * 45


def cache():
    return caches[settings.PAGECACHE_CACHE]


_redis_clients: dict[int, tuple] = {}


def get_many(keys: list[str]) -> dict:
    """`cache().get_many`, in one round trip. On Django's Redis cache it goes through the
    cache's own connection pool and serializer with one long-lived client, where Django
    builds a new redis client for every call (a few hundred dict writes): the lookup
    of every request does this, so it matters for a cached page's CPU."""
    store = cache()
    client = getattr(store, "_cache", None)
    if not isinstance(client, RedisCacheClient):
        return store.get_many(keys)
    fast = _redis_clients.get(id(client))
    if fast is None or fast[0] is not client:
        pool = client._get_connection_pool(write=False)
        fast = _redis_clients[id(client)] = (client, Redis(connection_pool=pool))
    raw = fast[1].mget([store.make_key(key) for key in keys])
    loads = client._serializer.loads
    return {key: loads(value) for key, value in zip(keys, raw, strict=True) if value is not None}


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


@memoize
def release() -> str:
    """This deploy's static files (their manifest), so a deploy starts a fresh cache."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    text = ""
    if manifest:
        try:
            with staticfiles_storage.open(manifest) as handle:
                text = handle.read().decode()
        except (OSError, ValueError):
            text = ""
    return _digest(f"{settings.PAGECACHE_VERSION}:{text}")[:10]


def gen_key(site_id: int) -> str:
    return f"pc:g:{site_id}"


def ver_key(site_id: int, path: str) -> str:
    return f"pc:v:{site_id}:{_digest(path)}"


def entry_key(site_id: int, path: str, query: str) -> str:
    return f"pc:e:{release()}:{site_id}:{_digest(path + '?' + query)}"


def good_key(site_id: int, path: str, query: str) -> str:
    return f"pc:good:{site_id}:{_digest(path + '?' + query)}"


def fresh_counter() -> int:
    return time.time_ns() // 1000


@dataclass(frozen=True, slots=True)
class Entry:
    """A rendered page: what the visitor gets, and the numbers it was rendered under."""

    gen: int
    ver: int
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    last_modified: int | None


def init_counter(key: str, timeout=None) -> int:
    """The counter's value, starting it if it is missing."""
    store = cache()
    store.add(key, fresh_counter(), timeout=timeout)
    value = store.get(key)
    return value if value is not None else fresh_counter()


def bump(key: str, timeout=None) -> None:
    store = cache()
    try:
        store.incr(key)
    except ValueError:  # missing: start it anew, above anything it held before
        if not store.add(key, fresh_counter(), timeout=timeout):
            store.incr(key)
    else:
        if timeout is not None:
            store.touch(key, timeout)


def save(site_id: int, path: str, query: str, entry: Entry) -> None:
    cache().set_many(
        {
            entry_key(site_id, path, query): entry,
            good_key(site_id, path, query): entry,
        },
        timeout=settings.PAGECACHE_TTL,
    )
    # The last good copy outlives the live entry.
    cache().touch(good_key(site_id, path, query), settings.PAGECACHE_GOOD_COPY_TTL)


def last_good_copy(site_id: int, path: str, query: str) -> Entry | None:
    return cache().get(good_key(site_id, path, query))


def drop_paths(site_id: int, paths) -> None:
    for path in set(paths):
        bump(ver_key(site_id, path), timeout=VERSION_TTL)


def drop_site(site_id: int) -> None:
    bump(gen_key(site_id))


def sites_changed() -> None:
    bump(SITES_KEY)
