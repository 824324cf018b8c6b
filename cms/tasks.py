"""The task backend production and CI run: django-tasks-rq, queued when the transaction
commits.

django-tasks-rq puts a job on Redis the moment it is enqueued. Wagtail enqueues its
search and reference-index updates from `post_save`, inside the editor's transaction, so
a worker could run them before the commit: on a new page it finds nothing (the job
fails), on an edit it indexes the old text. Enqueued inside a transaction, a task here
reaches Redis when the transaction commits, and never if it rolls back.

Such a task's result is not tracked: the `TaskResult` returned at once is not the job's
(nothing in the project or in Wagtail reads it). Outside a transaction, enqueueing is
django-tasks-rq's own.

Every job carries the log context of the code that queued it (`ContextQueue`, the queue
class of settings.RQ): the worker binds it around the job (`cms.worker`), so the jobs an
editor's request queued log that request's ``request_id``, and the jobs they queue in
turn log it too, with the publishing pipeline's ``run_id`` where one is bound.
"""

from functools import partial

import structlog
from django.db import connection, transaction
from django_rq.queues import DjangoRQ
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_rq import RQBackend

# What a job takes from the context that queued it; the queuing job's id becomes its parent.
CARRIED = ("request_id", "user_id", "run_id")


class ContextQueue(DjangoRQ):
    def create_job(self, *args, meta=None, **kwargs):
        context = structlog.contextvars.get_contextvars()
        carried = {key: context[key] for key in CARRIED if key in context}
        if "job_id" in context:
            carried["parent_job_id"] = context["job_id"]
        meta = {**(meta or {}), "log_context": carried}
        return super().create_job(*args, meta=meta, **kwargs)


class OnCommitRQBackend(RQBackend):
    def enqueue(self, task, args, kwargs):
        if not connection.in_atomic_block:
            return super().enqueue(task, args, kwargs)
        # robust: the commit has happened; a Redis outage is logged, not the editor's error.
        transaction.on_commit(partial(super().enqueue, task, args, kwargs), robust=True)
        return TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
