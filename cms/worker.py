"""The RQ worker class the project runs (`make worker`, RQ_WORKER_ARGS in the Makefile).

RQ's default worker forks a fresh process for every job, which then opens its own
database connection: a publish of one library article queues several small jobs per
clinic (the copy, Wagtail's search and reference-index updates), so at hundreds of
clinics the forks and connections cost more than the work. This worker runs jobs in
its own process and treats each job as Django treats a request: connections past
their CONN_MAX_AGE, or broken (CONN_HEALTH_CHECKS), are closed before and after it,
so a database restart costs one failed job (retried by the pipeline), not the worker.

Each job's log lines carry the context it was queued with (`cms.tasks.ContextQueue`: the
editor's ``request_id``, the pipeline's ``run_id``), its ``job_id`` and ``task``; the
worker logs ``job_started`` and ``job_finished`` (with ``ok`` and ``duration_ms``).

Its periodic maintenance (at start, then every minute rather than RQ's ten, waking an
idle worker for it) also recovers the publishing runs (`blog.syndication.recover_runs`):
it queues the runs whose queueing failed while Redis was away, and queues again what a
dead worker left of a stalled run.

A job that crashes the interpreter takes the worker with it; run workers under a
supervisor that restarts them (README, "Running it").
"""

import time

import structlog
from django.db import close_old_connections
from rq.worker import SimpleWorker

from blog import syndication

logger = structlog.get_logger("cms.worker")


class DjangoWorker(SimpleWorker):
    def __init__(self, *args, maintenance_interval: int = 60, **kwargs):
        super().__init__(*args, maintenance_interval=maintenance_interval, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker wakes at least once per maintenance interval to run it (RQ waits
        # for a job up to its worker TTL, seven minutes).
        return max(1, min(super().dequeue_timeout, self.maintenance_interval))

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        close_old_connections()
        try:
            syndication.recover_runs()
        except Exception:  # the database may be away too: next time
            logger.exception("recover_runs failed")
        finally:
            close_old_connections()

    def work(self, *args, **kwargs):
        # The log levels are settings.LOGGING's, not rqworker's default (INFO on rq.worker).
        kwargs["logging_level"] = None
        return super().work(*args, **kwargs)

    def perform_job(self, job, queue, *args, **kwargs):
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            **job.meta.get("log_context", {}), job_id=job.id, task=job.func_name
        )
        started, ok = time.monotonic(), False
        logger.info("job_started")
        close_old_connections()
        try:
            ok = super().perform_job(job, queue, *args, **kwargs)
            return ok
        finally:
            close_old_connections()
            duration_ms = round((time.monotonic() - started) * 1000)
            logger.info("job_finished", ok=ok, duration_ms=duration_ms)
            structlog.contextvars.clear_contextvars()
