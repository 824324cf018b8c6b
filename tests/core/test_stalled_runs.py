"""A worker that dies in the middle of a fan-out: its batch's RQ job is lost, and the run's
watch queues the unfinished jobs again once the run has stalled; the copies are then all
done, once each (`make bench-faults` kills a real worker)."""

from datetime import timedelta

import pytest
import redis
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend
from wagtail.models import ReferenceIndex

from blog import syndication
from blog.models import ClinicArticlePage, SyndicationJob, SyndicationRun
from tests.factories import PersonFactory, committed, make_library_article

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(minutes=2)


def live_article():
    """A live library article whose own run was never recorded (its publish did not
    commit: tests never commit), so the test makes the run."""
    article = make_library_article(title="Sleep and trauma", publish=False)
    article.save_revision().publish()
    return article


@pytest.fixture
def killed_mid_run(nova, three_rivers):
    """The state a SIGKILL leaves: Nova's job done two minutes ago, Three Rivers' job
    started then (its transaction rolled back with the worker), nothing since."""
    article = live_article()
    run = SyndicationRun.objects.create(article=article, kind=SyndicationRun.Kind.PUBLISH)
    [batch] = syndication.plan(run)
    nova_job, rivers_job = (SyndicationJob.objects.get(pk=pk) for pk in batch)
    syndication.run_job(nova_job.pk)
    then = timezone.now() - LONG_AGO
    SyndicationRun.objects.filter(pk=run.pk).update(planned_at=then)
    SyndicationJob.objects.filter(pk=nova_job.pk).update(started_at=then, finished_at=then)
    SyndicationJob.objects.filter(pk=rivers_job.pk).update(
        status=SyndicationJob.Status.RUNNING, started_at=then, attempts=1
    )
    return article, run, rivers_job


def test_a_stalled_run_is_resumed_and_each_copy_made_once(killed_mid_run, nova, three_rivers):
    article, run, rivers_job = killed_mid_run
    assert not ClinicArticlePage.objects.descendant_of(three_rivers).filter(source=article)

    assert syndication.resume_if_stalled(run.pk) == "resumed"  # the immediate backend runs it

    rivers_job.refresh_from_db()
    assert rivers_job.status == SyndicationJob.Status.DONE and rivers_job.attempts == 2
    for clinic in (nova, three_rivers):
        assert ClinicArticlePage.objects.descendant_of(clinic).filter(source=article).count() == 1
    run.refresh_from_db()
    assert run.finished_at is not None
    assert syndication.resume_if_stalled(run.pk) == "finished"


def test_a_run_that_is_progressing_is_left_alone(killed_mid_run, three_rivers):
    article, run, rivers_job = killed_mid_run
    SyndicationJob.objects.filter(pk=rivers_job.pk).update(started_at=timezone.now())
    assert syndication.resume_if_stalled(run.pk) == "progressing"
    rivers_job.refresh_from_db()
    assert rivers_job.status == SyndicationJob.Status.RUNNING and rivers_job.attempts == 1


def test_a_run_whose_planning_was_lost_is_planned_again(nova):
    article = live_article()
    run = SyndicationRun.objects.create(article=article, kind=SyndicationRun.Kind.PUBLISH)
    assert syndication.resume_if_stalled(run.pk) == "waiting"
    SyndicationRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - LONG_AGO)
    assert syndication.resume_if_stalled(run.pk) == "planned again"
    run.refresh_from_db()
    assert run.finished_at is not None
    assert run.jobs.get().status == SyndicationJob.Status.DONE


def test_the_watch_looks_again_later_where_the_backend_can_defer(killed_mid_run):
    from django_tasks import default_task_backend

    from blog import tasks

    _, run, _ = killed_mid_run
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        assert tasks.watch_run.call(run.pk) == "resumed"
        queued = {result.task.name: result for result in default_task_backend.results}
    assert queued["run_jobs"].args == [[run.jobs.get(status="running").pk]]
    later = queued["watch_run"]
    assert later.args == [run.pk]
    assert later.task.run_after - timezone.now() == pytest.approx(
        syndication.STALLED_AFTER, abs=timedelta(seconds=5)
    )


def refused():
    raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class RedisAwayBackend(ImmediateBackend):
    """cms.tasks.OnCommitRQBackend while Redis does not answer. Wagtail's tasks are queued
    inside the transaction: they fail on commit, robustly (logged). The pipeline queues its
    run after the commit, where the backend raises at once (the test's transaction never
    ends, so it is told apart by its module)."""

    def enqueue(self, task, args, kwargs):
        if task.module_path.startswith("blog.tasks."):
            refused()
        transaction.on_commit(refused, robust=True)


def test_a_publish_while_redis_is_away_is_saved_and_queued_once_it_answers(nova):
    # An author, so that the article has a reference for Wagtail's reference index.
    article = make_library_article(title="Sleep and trauma", publish=False, author=PersonFactory())
    away = {"default": {"BACKEND": "tests.core.test_stalled_runs.RedisAwayBackend"}}
    with override_settings(TASKS=away), committed():
        article.save_revision().publish()  # the editor's publish: no error reaches them
    article.refresh_from_db()
    assert article.live
    run = SyndicationRun.objects.get(article=article)
    assert run.planned_at is None and not run.jobs.exists()

    assert syndication.queue_unqueued_runs() == []  # too recent: it may still be queued
    SyndicationRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - LONG_AGO)
    ReferenceIndex.objects.all().delete()  # as if Wagtail's own jobs were lost with Redis
    assert syndication.queue_unqueued_runs() == [run.pk]  # Redis answers again
    # Wagtail's jobs for the article are derived again: its references are indexed.
    assert ReferenceIndex.objects.filter(object_id=str(article.pk)).exists()
    run.refresh_from_db()
    assert run.finished_at is not None
    assert ClinicArticlePage.objects.descendant_of(nova).get(source=article).live
    assert syndication.queue_unqueued_runs() == []


def test_workers_recover_stalled_runs_without_the_scheduler(killed_mid_run, three_rivers):
    """cms.worker's maintenance, every minute: what watch_run does, for every run."""
    article, run, _ = killed_mid_run
    assert syndication.recover_runs() == {run.pk: "resumed"}
    assert ClinicArticlePage.objects.descendant_of(three_rivers).filter(source=article).count() == 1
    assert syndication.recover_runs() == {}
