"""Structured logs: JSON lines with the request's id, carried into the jobs it queues and
the jobs those queue, with the pipeline's run id (a real RQ worker in this process, on
the test's own Redis database, TEST_REDIS_URL, flushed before and after)."""

import io
import json
import logging

import django_rq
import pytest
import redis
import structlog
from django.conf import settings
from django.test import override_settings
from django_tasks import task
from structlog.contextvars import bound_contextvars

from cms.logs import formatter
from cms.worker import DjangoWorker

RQ_TASKS = {"default": {"BACKEND": "cms.tasks.OnCommitRQBackend", "QUEUES": ["default"]}}
logger = logging.getLogger(__name__)


@pytest.fixture
def log_lines():
    """Every log line written while the test runs, parsed from the production format."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter(json=True))
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.INFO
    structlog.contextvars.clear_contextvars()
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.level = level
        structlog.contextvars.clear_contextvars()


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


@task()
def child_task() -> None:
    logger.info("child ran")


@task()
def parent_task() -> None:
    logger.info("parent ran")
    child_task.enqueue()


@pytest.mark.django_db
def test_a_request_logs_one_json_line_with_its_id_and_its_own_lines_share_it(
    client, nova, log_lines, settings
):
    settings.PAGECACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        # Nothing listens on port 1: the page cache logs its error inside the request.
        "away": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.PAGECACHE_CACHE = "away"
    assert client.get("/", HTTP_HOST="nova.localhost").status_code == 200
    lines = log_lines()
    finished = [line for line in lines if line["event"] == "request_finished"]
    assert len(finished) == 1
    assert finished[0]["request"] == "GET /" and finished[0]["code"] == 200
    assert finished[0]["level"] == "info" and "timestamp" in finished[0]
    request_id = finished[0]["request_id"]
    cache_error = next(line for line in lines if line["logger"] == "pagecache.middleware")
    assert cache_error["level"] == "error" and cache_error["request_id"] == request_id
    assert "exception" in cache_error  # the traceback, structured
    assert "ip" not in finished[0]  # visitors' addresses are not logged


# serialized_rollback, as every transactional test here: a plain flush would recreate
# the content types that the next serialized-rollback test restores.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jobs_log_the_context_they_were_queued_in(queue_redis, log_lines):
    with override_settings(TASKS=RQ_TASKS), bound_contextvars(request_id="req-1", run_id=42):
        parent_task.enqueue()
    queue = django_rq.get_queue("default")
    [job] = queue.get_jobs()
    assert job.meta["log_context"] == {"request_id": "req-1", "run_id": 42}

    with override_settings(TASKS=RQ_TASKS):
        worker = django_rq.get_worker("default")  # as `manage.py rqworker` builds it
        assert isinstance(worker, DjangoWorker)
        worker.work(burst=True)
    lines = [line for line in log_lines() if "job_id" in line]
    by_event = {line["event"]: line for line in lines}
    assert {"job_started", "parent ran", "child ran", "job_finished"} <= set(by_event)
    for line in lines:
        assert line["request_id"] == "req-1" and line["run_id"] == 42, line
    parent, child = by_event["parent ran"], by_event["child ran"]
    assert parent["task"].endswith("parent_task") and child["task"].endswith("child_task")
    assert child["parent_job_id"] == parent["job_id"] == job.id
    finished = [line for line in lines if line["event"] == "job_finished"]
    assert [line["ok"] for line in finished] == [True, True]
