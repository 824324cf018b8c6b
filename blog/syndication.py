"""The publishing pipeline: a library article's publish or unpublish reaches every clinic.

The editor's request only records a run and enqueues its planning (on commit). The
worker plans the run (one job per clinic concerned) and runs the jobs in small batches,
each clinic in its own transaction, so one failing clinic never holds back the others.
Every job is recorded (queued, running, done or failed with its error and attempts),
retried with backoff where the task backend can defer, and retried on demand from
the admin.

A job never trusts the run that queued it: it reads whether the library article is
live *now*, under a shared row lock, and brings the clinic's copy to that state:

- live: the clinic gets its copy if it subscribes (published at once or as a draft, as
  it chose); a copy withdrawn with the library gets back exactly the revision it had
  live, never a newer draft; the copy's admin title and stored fingerprint follow the
  library's text.
- not live: a live copy is unpublished and the revision it had live is remembered
  (`CopyWithdrawal`), outside the page's revisions so no draft can overwrite it.

So concurrent publishes and unpublishes converge on the library's final state, and a
job run twice changes nothing the second time. Nothing a clinic overrode is touched.
"""

from __future__ import annotations

import logging
import traceback
from contextvars import ContextVar
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import default_task_backend
from structlog.contextvars import bound_contextvars
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.log_actions import get_active_log_context
from wagtail.models import COMMENTS_RELATION_NAME, ReferenceIndex
from wagtail.search import index
from wagtail.search.tasks import insert_or_update_object_task
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.signals import page_published, published
from wagtail.tasks import update_reference_index_task

from blog.models import (
    BlogIndexPage,
    BodyOverride,
    ClinicArticlePage,
    CopyFingerprint,
    CopyWithdrawal,
    LibraryArticlePage,
    SyndicationJob,
    SyndicationRun,
)
from blog.models.clinic_articles import source_is_live
from blog.resolution import effective_title, library_text_for, resolve_article, stale
from blog.stale_changes import TAKE, apply, block_text, merge_library_changes
from clinics.models import ClinicHomePage
from textreview.similarity import fingerprint

logger = logging.getLogger(__name__)

# Clinics per worker job: small enough to spread over workers, large enough that the
# queue's overhead does not dominate.
BATCH_SIZE = 10
MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 5  # then 10, 20, ...
# An unfinished run that has made no progress for this long (a worker died in the middle
# of its batch, whose RQ job is then lost) has its unfinished jobs queued again: longer
# than any retry's backoff, and jobs are idempotent, so a job queued twice does nothing
# the second time (and a clinic's jobs take its blog's row lock: never two copies).
STALLED_AFTER = timedelta(seconds=30)

# Sent once per run when its last job has finished (seo refreshes canonical decisions).
run_finished = Signal()
# Sent when one copy's stored fingerprint changed outside a run (a clinic's own edit).
copy_text_changed = Signal()

# Set while a job syncs a clinic: its own publishes need no separate fingerprint task.
_in_job: ContextVar[bool] = ContextVar("in_syndication_job", default=False)


def in_job() -> bool:
    return _in_job.get()


# --- the request: record and enqueue ---------------------------------------------------


def request_run(article: LibraryArticlePage, kind: str) -> None:
    """Record a run once the library's publish or unpublish commits, and enqueue it."""
    context = get_active_log_context()
    user = context.user if context is not None else None
    revision_id = article.live_revision_id if kind == SyndicationRun.Kind.PUBLISH else None

    def record_and_enqueue():
        # Runs after the commit, so the worker sees the library as the editor left it.
        run = SyndicationRun.objects.create(
            article_id=article.pk,
            kind=kind,
            revision_id=revision_id,
            requested_by=user if user is not None and user.is_authenticated else None,
        )
        enqueue_run(run)

    # robust: whatever else fails after the commit is logged, never the editor's error.
    transaction.on_commit(record_and_enqueue, robust=True)


def enqueue_run(run: SyndicationRun) -> None:
    """Enqueue a recorded run's planning; if the queue does not answer, the run stays
    recorded for a worker to queue later (recover_runs), and the request says so."""
    from blog.tasks import plan_run  # blog.tasks imports this module

    # The run's id goes with its jobs into every log line (cms.tasks, cms.worker).
    with bound_contextvars(run_id=run.pk):
        try:
            plan_run.enqueue(run.pk)
            watch_later(run.pk)
        except Exception:
            # The edit is saved and the run recorded: a worker queues it once the
            # queue answers again (recover_runs); the editor is told (wagtail_hooks).
            logger.exception("Publishing run %s recorded but not queued", run.pk)
            _delayed_runs.set((*_delayed_runs.get(), run.pk))
        else:
            logger.info("Publishing run %s (%s) queued", run.pk, run.kind)


def request_bulk_run(article: LibraryArticlePage, kind: str, user, clinic_ids=()) -> SyndicationRun:
    """The network matrix's bulk actions, as runs the central team follows like any other:
    CARRY creates the article's copy at the chosen clinics (their jobs recorded here, one
    row each), TAKE works at every clinic carrying it (planned by the worker). Enqueued
    once the request commits."""
    run = SyndicationRun.objects.create(
        article=article, kind=kind, revision_id=article.live_revision_id, requested_by=user
    )
    if kind == SyndicationRun.Kind.CARRY:
        SyndicationJob.objects.bulk_create(
            [SyndicationJob(run=run, clinic_id=pk) for pk in sorted(set(clinic_ids))]
        )
    transaction.on_commit(lambda: enqueue_run(run), robust=True)
    return run


# The runs this request recorded but could not queue (Redis away), for its message.
_delayed_runs: ContextVar[tuple[int, ...]] = ContextVar("delayed_runs", default=())


def take_delayed_runs() -> tuple[int, ...]:
    """The runs this request could not queue, once (the edit view's message)."""
    runs = _delayed_runs.get()
    _delayed_runs.set(())
    return runs


# --- the worker: plan, then one transaction per clinic ----------------------------------


def subscribing_clinics(article: LibraryArticlePage):
    """The clinics that take this article by their subscription (none while the article
    is not offered to the network: it stays at the clinics that carry it)."""
    if not article.offered_to_subscribers:
        return ClinicHomePage.objects.none()
    topic_ids = [topic.pk for topic in article.topics.all()]
    return (
        ClinicHomePage.objects.live()
        .filter(
            Q(syndication_mode=ClinicHomePage.Syndication.ALL)
            | Q(
                syndication_mode=ClinicHomePage.Syndication.TOPICS,
                syndication_topics__in=topic_ids,
            )
        )
        .distinct()
    )


def clinics_carrying(article: LibraryArticlePage) -> set[int]:
    copies = ClinicArticlePage.objects.filter(source=article).only("pk", "path")
    return {clinic.pk for clinic in ClinicHomePage.owning_each(copies).values()}


def plan(run: SyndicationRun) -> list[list[int]]:
    """Create the run's jobs (idempotent) and return their ids in batches."""
    Kind = SyndicationRun.Kind
    # A carry's jobs are the clinics its requester chose (recorded with it).
    clinic_ids = set() if run.kind == Kind.CARRY else clinics_carrying(run.article)
    if run.kind in (Kind.PUBLISH, Kind.RETRY):
        clinic_ids |= set(subscribing_clinics(run.article).values_list("pk", flat=True))
    SyndicationJob.objects.bulk_create(
        [SyndicationJob(run=run, clinic_id=pk) for pk in sorted(clinic_ids)],
        ignore_conflicts=True,
    )
    SyndicationRun.objects.filter(pk=run.pk).update(planned_at=timezone.now())
    job_ids = list(
        run.jobs.exclude(status__in=SyndicationJob.FINISHED).values_list("pk", flat=True)
    )
    if not job_ids:
        finish_run(run.pk)
    return [job_ids[i : i + BATCH_SIZE] for i in range(0, len(job_ids), BATCH_SIZE)]


def run_job(job_id: int) -> SyndicationJob:
    """Bring one clinic's copy to the library article's current state; record the outcome."""
    job = SyndicationJob.objects.select_related("run", "clinic").get(pk=job_id)
    with bound_contextvars(run_id=job.run_id, clinic_id=job.clinic_id):
        return _run_job(job)


def _run_job(job: SyndicationJob) -> SyndicationJob:
    if job.status == SyndicationJob.Status.DONE:
        return job
    job.status, job.started_at = SyndicationJob.Status.RUNNING, timezone.now()
    job.attempts += 1
    job.save(update_fields=["status", "started_at", "attempts"])
    token = _in_job.set(True)
    try:
        # The copy's own saves queue no reference-index job: sync_clinic updates it once.
        with transaction.atomic(), disable_reference_index_auto_update():
            outcome, copy = sync_clinic(
                job.run.article_id, job.clinic, job.run.requested_by, kind=job.run.kind
            )
    except Exception:
        logger.exception("Syndication of run %s failed for %s", job.run_id, job.clinic)
        _record_failure(job, traceback.format_exc(limit=5)[-4000:])
    else:
        job.status, job.outcome, job.copy = SyndicationJob.Status.DONE, outcome, copy
        job.error, job.finished_at = "", timezone.now()
        job.save(update_fields=["status", "outcome", "copy", "error", "finished_at"])
        logger.info("Publishing job %s for %s: %s", job.pk, job.clinic, outcome)
    finally:
        _in_job.reset(token)
    if job.status in SyndicationJob.FINISHED:
        finish_run(job.run_id)
    return job


def _record_failure(job: SyndicationJob, error: str) -> None:
    """Failed: queued again after a backoff where the backend can defer, else failed
    until someone retries it from the admin."""
    from blog.tasks import run_jobs  # blog.tasks imports this module

    retry = job.attempts < MAX_ATTEMPTS and default_task_backend.supports_defer
    job.error = error
    job.status = SyndicationJob.Status.QUEUED if retry else SyndicationJob.Status.FAILED
    job.finished_at = None if retry else timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    if retry:
        delay = timedelta(seconds=BACKOFF_SECONDS * 2 ** (job.attempts - 1))
        run_jobs.using(run_after=timezone.now() + delay).enqueue([job.pk])


def run_now(article: LibraryArticlePage, kind: str = SyndicationRun.Kind.PUBLISH) -> SyndicationRun:
    """Plan and run a run in this process (the demo, which builds on the copies at once)."""
    run = SyndicationRun.objects.create(article=article, kind=kind, revision=article.live_revision)
    for batch in plan(run):
        for job_id in batch:
            run_job(job_id)
    return run


def retry_failed(run: SyndicationRun) -> list[int]:
    """Queue a run's failed jobs again (the admin's retry action)."""
    from blog.tasks import run_jobs  # blog.tasks imports this module

    failed = list(run.jobs.filter(status=SyndicationJob.Status.FAILED).values_list("pk", flat=True))
    if not failed:
        return []
    SyndicationJob.objects.filter(pk__in=failed).update(
        status=SyndicationJob.Status.QUEUED, attempts=0, finished_at=None
    )
    SyndicationRun.objects.filter(pk=run.pk).update(finished_at=None)
    with bound_contextvars(run_id=run.pk):
        for start in range(0, len(failed), BATCH_SIZE):
            run_jobs.enqueue(failed[start : start + BATCH_SIZE])
        watch_later(run.pk)
    return failed


# --- a worker that died: the run's watch ------------------------------------------------


def watch_later(run_id: int) -> None:
    """Look at the run again in STALLED_AFTER (`blog.tasks.watch_run`), where the backend
    can defer (RQ: a worker runs the scheduler); in-process runs cannot stall."""
    from blog.tasks import watch_run  # blog.tasks imports this module

    if default_task_backend.supports_defer:
        watch_run.using(run_after=timezone.now() + STALLED_AFTER).enqueue(run_id)


def queue_unqueued_runs() -> list[int]:
    """Runs recorded over STALLED_AFTER ago and never planned (their queueing failed:
    Redis was away when the editor published), queued now with their watch. A worker
    calls this at start and then every minute (cms.worker)."""
    from blog.tasks import plan_run  # blog.tasks imports this module

    waiting = list(
        SyndicationRun.objects.filter(
            planned_at__isnull=True,
            finished_at__isnull=True,
            created_at__lt=timezone.now() - STALLED_AFTER,
        ).values_list("pk", "article_id")
    )
    for run_id, article_id in waiting:
        with bound_contextvars(run_id=run_id):
            logger.warning("Run %s was never queued: queueing it now", run_id)
            plan_run.enqueue(run_id)
            watch_later(run_id)
            # Wagtail's own jobs for that publish (the article's search entry and its
            # references) were lost with the queue too: derived again from the article.
            for wagtail_task in (insert_or_update_object_task, update_reference_index_task):
                wagtail_task.enqueue("blog", "libraryarticlepage", str(article_id))
    return [run_id for run_id, _ in waiting]


def recover_runs() -> dict[int, str]:
    """What a worker does every minute (cms.worker), without the RQ scheduler that
    `watch_run` needs (a killed worker may hold its lock for a minute): queue the runs
    that were never queued, and resume every unfinished run that has stalled."""
    found = {run_id: "queued" for run_id in queue_unqueued_runs()}
    unfinished = SyndicationRun.objects.filter(planned_at__isnull=False, finished_at__isnull=True)
    for run_id in unfinished.values_list("pk", flat=True):
        with bound_contextvars(run_id=run_id):
            found[run_id] = resume_if_stalled(run_id)
    return found


def resume_if_stalled(run_id: int) -> str:
    """Queue again what a dead worker left of an unfinished run that has made no progress
    for STALLED_AFTER: its planning, or its unfinished jobs. Returns what it found."""
    from blog.tasks import plan_run, run_jobs  # blog.tasks imports this module

    run = SyndicationRun.objects.filter(pk=run_id).first()
    if run is None or run.finished_at is not None:
        return "finished"
    now = timezone.now()
    if run.planned_at is None:
        if now - run.created_at < STALLED_AFTER:
            return "waiting"
        logger.warning("Run %s was not planned after %s: planning it again", run.pk, STALLED_AFTER)
        plan_run.enqueue(run.pk)
        return "planned again"
    progress = run.jobs.aggregate(started=Max("started_at"), finished=Max("finished_at"))
    last = max(t for t in (run.planned_at, progress["started"], progress["finished"]) if t)
    if now - last < STALLED_AFTER:
        return "progressing"
    unfinished = list(
        run.jobs.exclude(status__in=SyndicationJob.FINISHED).values_list("pk", flat=True)
    )
    if not unfinished:
        finish_run(run.pk)
        return "finished"
    logger.warning(
        "Run %s made no progress since %s: %d unfinished jobs queued again",
        run.pk,
        last.isoformat(),
        len(unfinished),
    )
    for start in range(0, len(unfinished), BATCH_SIZE):
        run_jobs.enqueue(unfinished[start : start + BATCH_SIZE])
    return "resumed"


def finish_run(run_id: int) -> None:
    """Mark the run finished when its last job is; exactly one caller sends the signal."""
    if (
        SyndicationJob.objects.filter(run_id=run_id)
        .exclude(status__in=SyndicationJob.FINISHED)
        .exists()
    ):
        return
    if SyndicationRun.objects.filter(
        pk=run_id, planned_at__isnull=False, finished_at__isnull=True
    ).update(finished_at=timezone.now()):
        run = SyndicationRun.objects.get(pk=run_id)
        notify(run_finished, sender=SyndicationRun, run=run)


def notify(signal: Signal, **kwargs) -> None:
    """Send to every receiver (seo, review, the page cache): one failing receiver is
    logged and never keeps the others from hearing of the change."""
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            logger.error("%s failed on %s", receiver, kwargs, exc_info=result)


def sync_clinic(
    article_id: int, clinic: ClinicHomePage, user, kind: str = SyndicationRun.Kind.PUBLISH
) -> tuple[str, ClinicArticlePage | None]:
    """One clinic, in the caller's transaction: returns (outcome, copy). A CARRY run
    creates the copy whether or not the clinic subscribes; a TAKE run also takes the
    library's text where the clinic's stale change kept the library's words."""
    blog = BlogIndexPage.objects.child_of(clinic).first()
    if blog is None:
        return "skipped: no blog", None
    # One job at a time per clinic (two runs must not both create its copy)...
    BlogIndexPage.objects.select_for_update().filter(pk=blog.pk).exists()
    # ...and the library article's state, read under a shared lock, decides.
    live = source_is_live(article_id)
    article = LibraryArticlePage.objects.get(pk=article_id)
    copy = ClinicArticlePage.objects.child_of(blog).filter(source_id=article_id).first()
    if not live:
        outcome = withdraw_copy(copy, user)
    elif copy is None:
        if kind == SyndicationRun.Kind.TAKE:
            return "skipped: not carried", None
        carry = kind == SyndicationRun.Kind.CARRY
        if not carry and not subscribing_clinics(article).filter(pk=clinic.pk).exists():
            return "skipped: not taken", None  # it no longer subscribes
        copy, outcome = create_copy(article, blog, clinic)
    else:
        outcome = restore_copy(copy, user)
        if refresh_title(copy, clinic) and outcome == "unchanged":
            outcome = "retitled"
    if copy is None:
        return outcome, None
    if outcome != "unchanged":
        # Once per copy, for all of this job's saves (see run_job).
        ReferenceIndex.create_or_update_for_object(copy)
    store_stale_marks(copy, article)
    if live:
        # The library's edit merged into the paragraphs the clinic reworded (a clinic
        # that applies them itself gets its conflicts marked only).
        publish = (
            article.medical_correction
            and clinic.library_corrections == ClinicHomePage.Corrections.PUBLISH
        )
        manual = clinic.library_corrections == ClinicHomePage.Corrections.MANUAL
        if merge_library_changes(copy, publish=publish, apply_clean=not manual):
            copy.refresh_from_db()
    if live and kind == SyndicationRun.Kind.TAKE:
        taken = take_kept_library_text(copy, user)
        outcome = f"text taken: {taken}" if taken else outcome  # (20 characters at most)
    # What compares copies and the copy's search entry read its text as visitors read it:
    # after the merges this job published, and changed by the library's edit even where
    # the copy itself was not (see the copy's search_auto_update).
    store_fingerprint(copy, clinic)
    index.insert_or_update_object(copy)
    return outcome, copy


def take_kept_library_text(copy: ClinicArticlePage, user) -> int:
    """Each stale change of the copy that still has, word for word, the library's text it
    was written against (the clinic changed nothing in it) takes the library's new text:
    a logged revision, published where the copy has nothing else unpublished. Returns
    how many were taken."""
    latest = copy.get_latest_revision_as_object()
    kept_words = [
        change.anchor
        for change in stale(list(copy.source.body.raw_data), list(latest.body_overrides.all()))
        if change.action == BodyOverride.Action.REPLACE
        and change.source_block
        and " ".join(block_text(raw) for raw in change.content.raw_data)
        == block_text(change.source_block)
    ]
    may_publish = user is not None and copy.permissions_for_user(user).can_publish()
    for anchor in kept_words:
        apply(ClinicArticlePage.objects.get(pk=copy.pk), anchor, TAKE, user, may_publish)
    return len(kept_words)


def create_copy(article, blog, clinic) -> tuple[ClinicArticlePage, str]:
    copy = ClinicArticlePage(
        source=article,
        title=effective_title(ClinicArticlePage(source=article), clinic),
        slug=_free_slug(blog, article.slug or slugify(article.title)),
        live=False,
    )
    blog.add_child(instance=copy)
    revision = copy.save_revision(log_action=True)
    if not clinic.publish_syndicated:
        return copy, "draft"
    revision.publish()
    copy.refresh_from_db()
    return copy, "published"


def withdraw_copy(copy: ClinicArticlePage | None, user) -> str:
    if copy is None or not copy.live:
        return "unchanged"
    CopyWithdrawal.objects.update_or_create(
        page=copy, defaults={"revision_id": copy.live_revision_id}
    )
    copy.unpublish(user=user)
    CopyFingerprint.objects.filter(page=copy).delete()
    return "withdrawn"


def restore_copy(copy: ClinicArticlePage, user) -> str:
    withdrawal = CopyWithdrawal.objects.filter(page=copy).select_related("revision").first()
    if withdrawal is None:
        return "unchanged"
    withdrawal.delete()
    if withdrawal.revision is None or copy.live:
        return "unchanged"
    RestoreCopyAction(withdrawal.revision, user=user).execute(skip_permission_checks=True)
    copy.refresh_from_db()
    return "restored"


class RestoreCopyAction(PublishPageRevisionAction):
    """Publishes the revision a copy had live when its library article was withdrawn.

    Unlike an editor's publish, it leaves any workflow the clinic's newer draft is in
    running (Wagtail cancels it on publish): the draft is the clinic's to finish.
    """

    def _after_publish(self):
        for comment in getattr(self.object, COMMENTS_RELATION_NAME).all().only("position"):
            comment.save(update_fields=["position"])
        published.send(sender=type(self.object), instance=self.object, revision=self.revision)
        page_published.send(
            sender=self.object.specific_class, instance=self.object.specific, revision=self.revision
        )


def refresh_title(copy: ClinicArticlePage, clinic: ClinicHomePage) -> bool:
    """Keep a copy's admin title equal to its effective title after a library edit;
    True if it changed."""
    if copy.title_override:
        return False
    title = effective_title(copy, clinic)
    if copy.title == title:
        return False
    ClinicArticlePage.objects.filter(pk=copy.pk).update(title=title, draft_title=title)
    copy.title = copy.draft_title = title
    return True


def store_fingerprint(copy: ClinicArticlePage, clinic: ClinicHomePage) -> None:
    """Store what the text engine compares of a live public copy (nothing for a draft,
    nor for a copy behind a password or login: no copy may defer to a page that search
    engines cannot read)."""
    if not copy.live or copy.get_view_restrictions().exists():
        CopyFingerprint.objects.filter(page=copy).delete()
        return
    article = copy.source
    mine = fingerprint(resolve_article(copy, clinic=clinic).plain_text())
    library = fingerprint(library_text_for(article, clinic))
    hashes, signature = mine.to_bytes()
    CopyFingerprint.objects.update_or_create(
        page=copy,
        defaults={
            "source": article,
            "hashes": hashes,
            "signature": signature,
            "library_similarity": round(mine.similarity(library), 3),
        },
    )


def store_stale_marks(copy: ClinicArticlePage, article: LibraryArticlePage) -> None:
    """Flag the copy's changes whose library block changed since they were written (and
    clear the flag of the others), for dashboards and listings to read."""
    overrides = list(BodyOverride.objects.filter(page=copy))
    now_stale = {o.pk for o in stale(list(article.body.raw_data), overrides)}
    changed = [o for o in overrides if o.is_stale != (o.pk in now_stale)]
    for override in changed:
        override.is_stale = override.pk in now_stale
        if not override.is_stale and override.merge_state == BodyOverride.MergeState.CONFLICT:
            override.merge_state = BodyOverride.MergeState.NONE  # the library went back
    if changed:
        BodyOverride.objects.bulk_update(changed, ["is_stale", "merge_state"])


def _free_slug(blog: BlogIndexPage, wanted: str) -> str:
    taken = set(blog.get_children().values_list("slug", flat=True))
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug
