"""Background tasks of the publishing pipeline (the `django_tasks` API: RQ workers on
Redis in production and CI's integration test, the immediate backend elsewhere)."""

from django_tasks import task
from structlog.contextvars import bound_contextvars

from blog import syndication
from blog.models import ClinicArticlePage, SyndicationRun
from clinics.models import ClinicHomePage


@task()
def plan_run(run_id: int) -> int:
    """Create a run's jobs, one per clinic, and enqueue them in small batches."""
    # Bound for this job's log lines and carried into the batches' (cms.tasks).
    with bound_contextvars(run_id=run_id):
        run = SyndicationRun.objects.select_related("article").get(pk=run_id)
        batches = syndication.plan(run)
        for batch in batches:
            run_jobs.enqueue(batch)
        return sum(len(batch) for batch in batches)


@task()
def watch_run(run_id: int) -> str:
    """While a run is unfinished, every STALLED_AFTER: queue again what a dead worker left
    of it (`syndication.resume_if_stalled`), then look again later."""
    with bound_contextvars(run_id=run_id):
        state = syndication.resume_if_stalled(run_id)
        if state != "finished":
            syndication.watch_later(run_id)
        return state


@task()
def run_jobs(job_ids: list[int]) -> dict[int, str]:
    """Run a batch of clinic jobs, each in its own transaction."""
    return {pk: syndication.run_job(pk).status for pk in job_ids}


@task()
def store_copy_fingerprint(page_id: int) -> None:
    """After a clinic's own publish or unpublish: its copy's stored fingerprint."""
    copy = ClinicArticlePage.objects.filter(pk=page_id).select_related("source").first()
    if copy is None or copy.source is None:
        return
    clinic = ClinicHomePage.owning(copy)
    if clinic is not None:
        syndication.store_fingerprint(copy, clinic)
        syndication.store_stale_marks(copy, copy.source)
        syndication.notify(syndication.copy_text_changed, sender=ClinicArticlePage, page=copy)
