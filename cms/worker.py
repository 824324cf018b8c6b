"""The RQ worker class the project runs (`make worker`, RQ_WORKER_ARGS in the Makefile).

RQ's default worker forks a fresh process for every job, which then opens its own
database connection: a publish of one library article queues several small jobs per
clinic (the copy, Wagtail's search and reference-index updates), so at hundreds of
clinics the forks and connections cost more than the work. This worker runs jobs in
its own process and treats each job as Django treats a request: connections past
their CONN_MAX_AGE, or broken (CONN_HEALTH_CHECKS), are closed before and after it,
so a database restart costs one failed job (retried by the pipeline), not the worker.

A job that crashes the interpreter takes the worker with it; run workers under a
supervisor that restarts them (README, "Background work").
"""

from django.db import close_old_connections
from rq.worker import SimpleWorker


class DjangoWorker(SimpleWorker):
    def perform_job(self, job, queue, *args, **kwargs):
        close_old_connections()
        try:
            return super().perform_job(job, queue, *args, **kwargs)
        finally:
            close_old_connections()
