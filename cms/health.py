"""Health endpoints for load balancers and orchestrators (django-health-check).

- ``/health/live/``: the process answers. No check at all, so no database or Redis:
  a process is restarted for being stuck, never for an outage elsewhere.
- ``/health/ready/``: the database answers ``SELECT 1``, Redis (the queue and the
  production cache) answers ``PING`` when ``REDIS_URL`` is set, and every migration is
  applied. 200 when all pass, 500 naming the failed check otherwise.

A load balancer asks by the server's address, not a clinic's domain, and over plain
HTTP, so `HealthMiddleware` answers these two paths first in the middleware chain:
before the ``ALLOWED_HOSTS`` check (which runs when a middleware first reads the host),
the HTTPS redirect, the page cache and Wagtail's routing. Both answer with
``Cache-Control: no-cache, no-store, must-revalidate, private`` (the library's
never-cache headers), so neither the page cache nor a CDN keeps them. The edge's
question before it obtains a certificate (`cms.hosts.certificate_allowed`) is answered
the same way.
"""

from __future__ import annotations

import dataclasses

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check import Database, HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis.asyncio import Redis as AsyncRedis

from cms.hosts import certificate_allowed

LIVE_PATH = "/health/live/"
READY_PATH = "/health/ready/"
CERTIFICATE_PATH = "/health/certificate/"  # the edge's on-demand TLS question (cms/hosts.py)


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration on disk is recorded as applied in the database.

    Once it has passed, a process does not ask again: migrations on disk change only
    with a deploy, which starts new processes."""

    alias: str = DEFAULT_DB_ALIAS
    applied = False  # per process, shared by every instance

    def run(self):
        if Migrations.applied:
            return
        connection = connections[self.alias]
        try:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise ServiceUnavailable("Database unreachable") from exc
        finally:
            # The check runs in a thread of its own: close its connection, not leak it.
            connection.close()
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migration(s) not applied")
        Migrations.applied = True


class QueueRedis(Redis):
    """The library's Redis check, reported without the server's address (the endpoint
    answers on every public domain)."""

    def __repr__(self):
        return "Redis"

    @property
    def labels(self):
        return {"check": "Redis"}


def redis_client() -> AsyncRedis:
    # Short timeouts: a probe must answer before the load balancer gives up on it.
    return AsyncRedis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


class HealthView(HealthCheckView):
    """The library's view, answering plain text where it would render its HTML page: a
    template brings the project's context processors, which look up the clinic (the
    database, and the host this endpoint must not check)."""

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_text(response_kwargs.get("status", 200))


class ReadyView(HealthView):
    def get_checks(self):
        yield Database(alias=DEFAULT_DB_ALIAS)
        if settings.REDIS_URL:
            yield QueueRedis(client_factory=redis_client)
        yield Migrations()


live_view = HealthView.as_view(checks=())
ready_view = ReadyView.as_view()
VIEWS = {LIVE_PATH: live_view, READY_PATH: ready_view, CERTIFICATE_PATH: certificate_allowed}


class HealthMiddleware:
    """Answers its paths before any other middleware (first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = VIEWS.get(request.path_info)
        if view is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if iscoroutinefunction(view):
            # The library's views are async; Django's handler would adapt them the same way.
            return async_to_sync(view)(request)
        return view(request)
