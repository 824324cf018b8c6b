"""A real RQ worker on Redis runs the publishing pipeline that an admin publish queues.

The test publishes through the admin (a real request with the RQ backend), checks that
the request only queued the work, then starts `manage.py rqworker --burst` as its own
process against the same PostgreSQL test database and its own Redis database
(TEST_REDIS_URL, flushed before and after: never the shared database 0).
"""

import io
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from blog.models import ClinicArticlePage, LibraryArticlePage, SyndicationJob, SyndicationRun
from cms.logs import formatter
from seo.models import CanonicalDecision
from tests.factories import make_clinic, make_library_article, medical_reviewer, paragraph

ROOT = Path(__file__).resolve().parents[2]
RQ_TASKS = {"default": {"BACKEND": "cms.tasks.OnCommitRQBackend", "QUEUES": ["default"]}}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def queue_redis():
    client = redis.Redis.from_url(settings.TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {settings.TEST_REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()


def run_worker(timeout: float = 50) -> subprocess.CompletedProcess:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": settings.TEST_REDIS_URL,
        "TEST_REDIS_URL": settings.TEST_REDIS_URL,
    }
    # The worker and job classes are the project's (settings.RQ), as in production.
    command = [sys.executable, "manage.py", "rqworker", "--burst", "default"]
    return subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_an_admin_publish_is_done_by_a_real_worker(queue_redis, client):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on PostgreSQL")
    from wagtail.models import Page

    Page.objects.filter(depth__gt=1).delete()
    nova = make_clinic("Nova Health Recovery", slug="nova")
    three_rivers = make_clinic("Three Rivers Wellness", slug="threerivers")
    article = make_library_article(
        title="Sleep and trauma",
        body=[paragraph("Sleep problems are common after trauma.", "p1")],
        publish=False,
    )
    # Only a medical reviewer's publish of a library article goes through (review app).
    reviewer = medical_reviewer()
    reviewer.is_superuser = True
    reviewer.save(update_fields=["is_superuser"])
    client.force_login(reviewer)

    request_log = io.StringIO()
    handler = logging.StreamHandler(request_log)
    handler.setFormatter(formatter(json=True))
    logging.getLogger("django_structlog").addHandler(handler)
    with override_settings(TASKS=RQ_TASKS):
        started = time.monotonic()
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]),
            {
                "title": article.title,
                "slug": article.slug,
                "summary": article.summary,
                "body-count": "1",
                "body-0-type": "paragraph",
                "body-0-id": "p1",
                "body-0-deleted": "",
                "body-0-order": "0",
                "body-0-value": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
                '"Sleep problems are common after trauma.", "depth": 0, '
                '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
                "offered_to_subscribers": "on",  # as the edit form shows it, ticked
                "references-count": "0",
                "comments-TOTAL_FORMS": "0",
                "comments-INITIAL_FORMS": "0",
                "comments-MIN_NUM_FORMS": "0",
                "comments-MAX_NUM_FORMS": "1000",
                "action-publish": "publish",
            },
        )
        request_seconds = time.monotonic() - started
    logging.getLogger("django_structlog").removeHandler(handler)
    [request_id] = [
        line["request_id"]
        for line in map(json.loads, request_log.getvalue().splitlines())
        if line["event"] == "request_finished" and line["request"].startswith("POST")
    ]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LibraryArticlePage.objects.get(pk=article.pk).live
    # The request queued the work and did none of it.
    assert not ClinicArticlePage.objects.filter(source=article).exists()
    assert queue_redis.llen("rq:queue:default") >= 1

    result = run_worker()
    assert result.returncode == 0, result.stderr[-3000:]

    run = SyndicationRun.objects.get(article=article)
    assert run.finished_at is not None
    assert set(run.jobs.values_list("status", flat=True)) == {SyndicationJob.Status.DONE}
    for clinic in (nova, three_rivers):
        assert ClinicArticlePage.objects.descendant_of(clinic).get(source=article).live
    # seo's refresh ran on the worker too, once the run finished.
    assert CanonicalDecision.objects.filter(page__source=article).count() == 2
    # Every job's log lines name the editor's request; the pipeline's name its run too.
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    job_lines = [line for line in logged if "job_id" in line]
    tasks = {line["task"] for line in job_lines}
    # (The worker's settings run the jobs a job queues in that job: cms.settings.test.)
    assert "blog.tasks.plan_run" in tasks and len(tasks) > 1
    assert all(line["request_id"] == request_id for line in job_lines)
    pipeline = [line for line in job_lines if line["task"].startswith("blog.tasks.")]
    assert all(line["run_id"] == run.pk for line in pipeline)
    assert any(line["event"].startswith("Publishing job") for line in pipeline)
    print(f"admin publish request: {request_seconds * 1000:.0f} ms (work queued, not done)")


def test_a_task_queued_in_a_transaction_reaches_redis_when_it_commits(queue_redis):
    """Wagtail queues its index updates from post_save, inside the transaction: a worker
    must not see them before the commit, and never after a rollback."""
    from seo.tasks import refresh_canonical_decisions

    class Rollback(Exception):
        pass

    with override_settings(TASKS=RQ_TASKS):
        with transaction.atomic():
            refresh_canonical_decisions.enqueue(1)
            assert queue_redis.llen("rq:queue:default") == 0
        assert queue_redis.llen("rq:queue:default") == 1

        with pytest.raises(Rollback), transaction.atomic():
            refresh_canonical_decisions.enqueue(2)
            raise Rollback
        assert queue_redis.llen("rq:queue:default") == 1

        refresh_canonical_decisions.enqueue(3)  # outside a transaction: at once
        assert queue_redis.llen("rq:queue:default") == 2
