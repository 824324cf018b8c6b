"""The publishing pipeline: a library article's publish or unpublish reaches every clinic,
one recorded job per clinic, and a copy is never live while its library article is not."""

import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone
from modelsearch import signal_handlers as search_signal_handlers
from wagtail import signal_handlers as wagtail_signal_handlers
from wagtail.models import (
    GroupApprovalTask,
    Page,
    ReferenceIndex,
    TaskState,
    Workflow,
    WorkflowState,
    WorkflowTask,
)

from blog import signal_handlers as blog_signal_handlers
from blog import syndication
from blog.models import (
    BodyOverride,
    ClinicArticlePage,
    CopyFingerprint,
    CopyWithdrawal,
    LibraryArticlePage,
    SourceWithdrawn,
    SyndicationJob,
    SyndicationRun,
)
from blog.resolution import resolve_article
from clinics.models import ClinicHomePage
from clinics.provisioning import provision_clinic
from tests.factories import (
    TopicFactory,
    UserFactory,
    add_override,
    committed,
    make_clinic,
    make_library_article,
    paragraph,
)


def copies(article):
    return ClinicArticlePage.objects.filter(source=article)


def copy_in(clinic, article) -> ClinicArticlePage:
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=article)


def republish(article):
    with committed():
        LibraryArticlePage.objects.get(pk=article.pk).save_revision().publish()


def withdraw(article):
    with committed():
        LibraryArticlePage.objects.get(pk=article.pk).unpublish()


def test_publishing_creates_one_live_copy_per_subscribing_clinic(nova, three_rivers):
    article = make_library_article()
    assert copies(article).count() == 2
    assert all(copy.live for copy in copies(article))
    assert {copy.get_parent().get_parent().specific for copy in copies(article)} == {
        nova,
        three_rivers,
    }
    run = SyndicationRun.objects.get(article=article)
    assert run.kind == SyndicationRun.Kind.PUBLISH and run.finished_at is not None
    assert run.revision_id == article.live_revision_id
    assert sorted(run.jobs.values_list("clinic__title", "status", "outcome")) == [
        ("Nova Health Recovery", "done", "published"),
        ("Three Rivers Wellness", "done", "published"),
    ]
    # Each live copy's fingerprint is stored for everything that compares copies.
    assert CopyFingerprint.objects.filter(source=article).count() == 2


def test_publishing_twice_and_running_jobs_twice_creates_no_duplicates(nova, three_rivers):
    article = make_library_article()
    republish(article)
    for job in SyndicationJob.objects.all():
        SyndicationJob.objects.filter(pk=job.pk).update(status=SyndicationJob.Status.QUEUED)
        syndication.run_job(job.pk)
    assert copies(article).count() == 2
    assert set(SyndicationJob.objects.values_list("status", flat=True)) == {"done"}


def test_clinics_choose_drafts_topics_or_manual(db):
    ptsd, anxiety = TopicFactory(name="PTSD"), TopicFactory(name="Anxiety")
    drafts = make_clinic("Draft Clinic", publish_syndicated=False)
    by_topic = make_clinic("Topic Clinic", syndication_mode=ClinicHomePage.Syndication.TOPICS)
    by_topic.syndication_topics.set([anxiety])
    by_topic.save_revision().publish()
    manual = make_clinic("Manual Clinic", syndication_mode=ClinicHomePage.Syndication.MANUAL)

    article = make_library_article(publish=False)
    article.topics.set([ptsd])
    with committed():
        article.save_revision().publish()

    draft_copy = copy_in(drafts, article)
    assert not draft_copy.live and draft_copy.has_unpublished_changes
    assert not ClinicArticlePage.objects.descendant_of(by_topic).exists()
    assert not ClinicArticlePage.objects.descendant_of(manual).exists()

    article.topics.set([ptsd, anxiety])
    with committed():
        article.save_revision().publish()
    assert copy_in(by_topic, article).live


def test_overrides_survive_library_edits_and_republishing(nova):
    article = make_library_article(body=[paragraph("Library.", "p1"), paragraph("Two.", "p2")])
    copy = ClinicArticlePage.objects.get(source=article)
    add_override(copy, "p1", BodyOverride.Action.REPLACE, [paragraph("Nova's own.")])
    add_override(copy, "p2", BodyOverride.Action.HIDE)
    copy.title_override = "Nova's title"
    with committed():
        copy.save_revision().publish()

    draft = article.get_latest_revision_as_object()
    draft.title = "A new library title"
    with committed():
        draft.save_revision().publish()

    copy = ClinicArticlePage.objects.get(source=article)
    assert copy.body_overrides.count() == 2
    effective = resolve_article(copy)
    assert effective.title == "Nova's title"
    assert [b.plain_text() for b in effective.body] == ["Nova's own."]


def test_a_new_library_title_reaches_copies_that_did_not_override_it(nova):
    article = make_library_article(title="Old title")
    draft = article.get_latest_revision_as_object()
    draft.title = "New title"
    with committed():
        draft.save_revision().publish()
    copy = ClinicArticlePage.objects.get(source=article)
    assert copy.title == "New title"  # the admin's title follows
    assert resolve_article(copy).title == "New title"


def searched(words) -> set[int]:
    return {page.pk for page in ClinicArticlePage.objects.search(words)}


@contextmanager
def wagtails_index_jobs(enqueued: list):
    """Records the jobs Wagtail's own save handlers queue (search, reference index)."""

    class Recorder:
        def __init__(self, task):
            self.task = task

        def enqueue(self, *args):
            enqueued.append((self.task.name, args))
            return self.task.enqueue(*args)

    with (
        mock.patch.object(
            wagtail_signal_handlers,
            "update_reference_index_task",
            Recorder(wagtail_signal_handlers.update_reference_index_task),
        ),
        mock.patch.object(
            search_signal_handlers,
            "insert_or_update_object_task",
            Recorder(search_signal_handlers.insert_or_update_object_task),
        ),
        mock.patch.object(
            blog_signal_handlers,
            "insert_or_update_object_task",
            Recorder(blog_signal_handlers.insert_or_update_object_task),
        ),
    ):
        yield


def test_a_job_indexes_its_copies_once_for_search_and_references(nova, three_rivers):
    """Copies' own saves queue no Wagtail index jobs in a publishing job; the job updates
    the search index and the reference index itself, so both are right when it is done."""
    enqueued = []
    with wagtails_index_jobs(enqueued):
        article = make_library_article(title="Ketamine and sleep")
    copy_jobs = [args for name, args in enqueued if args[:2] == ("blog", "clinicarticlepage")]
    assert copy_jobs == []  # none of the copies' six saves queued an index job
    assert enqueued  # (the library article's own saves still do)
    assert searched("sleep") == set(copies(article).values_list("pk", flat=True))
    for copy in copies(article):
        assert (
            ReferenceIndex.get_references_for_object(copy)
            .filter(to_object_id=str(article.pk))
            .exists()
        )

    draft = article.get_latest_revision_as_object()
    draft.title = "Ketamine and rest"
    with committed():
        draft.save_revision().publish()
    assert searched("rest") == set(copies(article).values_list("pk", flat=True))
    assert searched("sleep") == set()


def test_a_clinic_editors_save_queues_the_search_update(nova):
    article = make_library_article(title="Ketamine and sleep")
    copy = copy_in(nova, article)
    copy.title_override = "Sleep in Portland"
    enqueued = []
    with wagtails_index_jobs(enqueued), committed():
        copy.save_revision().publish()
    assert ("blog", "clinicarticlepage", str(copy.pk)) in [args for _, args in enqueued]
    assert searched("Portland") == {copy.pk}


def test_unpublishing_the_library_article_withdraws_every_copy(nova, three_rivers, client):
    article = make_library_article()
    nova_copy = copy_in(nova, article)
    add_override(
        nova_copy, BodyOverride.END, BodyOverride.Action.INSERT_AFTER, [paragraph("Kept.")]
    )
    live_revision = ClinicArticlePage.objects.get(pk=nova_copy.pk).live_revision_id

    withdraw(article)
    assert not any(copy.live for copy in copies(article))
    assert CopyWithdrawal.objects.get(page=nova_copy).revision_id == live_revision
    assert not CopyFingerprint.objects.filter(source=article).exists()
    run = SyndicationRun.objects.filter(article=article).first()
    assert run.kind == SyndicationRun.Kind.WITHDRAW
    assert set(run.jobs.values_list("outcome", flat=True)) == {"withdrawn"}
    response = client.get(nova_copy.url_path.removeprefix("/nova"), HTTP_HOST="nova.localhost")
    assert response.status_code == 404
    # The copy and the clinic's changes are kept as they were.
    assert ClinicArticlePage.objects.get(pk=nova_copy.pk).body_overrides.count() == 1


def test_republishing_restores_the_revision_that_was_live_not_a_newer_draft(nova):
    drafts = make_clinic("Draft Clinic", publish_syndicated=False)
    article = make_library_article()
    draft_copy = copy_in(drafts, article)
    draft_copy.title_override = "Reviewed and published"
    with committed():
        draft_copy.save_revision().publish()  # that clinic reviewed and published it
    published = ClinicArticlePage.objects.get(pk=draft_copy.pk).live_revision_id
    nova_copy = copy_in(nova, article)
    nova_copy.title_override = "A draft nobody approved"
    nova_copy.save_revision()  # a draft before the withdrawal
    withdraw(article)

    # While withdrawn, a clinic editor saves another draft: the copy keeps its place.
    draft = ClinicArticlePage.objects.get(pk=draft_copy.pk).get_latest_revision_as_object()
    draft.title_override = "Written while withdrawn"
    draft.save_revision()

    republish(article)
    restored = ClinicArticlePage.objects.get(pk=draft_copy.pk)
    assert restored.live and restored.live_revision_id == published
    assert restored.title_override == "Reviewed and published"
    assert restored.has_unpublished_changes  # the newer draft stays a draft
    assert restored.get_latest_revision_as_object().title_override == "Written while withdrawn"
    nova_copy = ClinicArticlePage.objects.get(pk=nova_copy.pk)
    assert nova_copy.live and nova_copy.title_override == ""
    assert not CopyWithdrawal.objects.exists()


def test_a_restore_leaves_the_clinics_workflow_running(nova):
    article = make_library_article()
    copy = copy_in(nova, article)
    workflow = Workflow.objects.create(name="Clinic review")
    task = GroupApprovalTask.objects.create(name="Look it over")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    withdraw(article)
    draft = ClinicArticlePage.objects.get(pk=copy.pk)
    draft.title_override = "In review"
    revision = draft.save_revision()
    workflow.start(draft, UserFactory(is_superuser=True))
    republish(article)
    state = WorkflowState.objects.get(object_id=str(copy.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert ClinicArticlePage.objects.get(pk=copy.pk).live
    assert state.current_task_state.revision_id == revision.pk


def test_a_failing_clinic_does_not_hold_back_the_others_and_is_retried(
    nova, three_rivers, monkeypatch
):
    real_sync = syndication.sync_clinic

    def failing_for_three_rivers(article_id, clinic, user, **kwargs):
        if clinic.pk == three_rivers.pk:
            raise RuntimeError("disk full at Three Rivers")
        return real_sync(article_id, clinic, user, **kwargs)

    monkeypatch.setattr(syndication, "sync_clinic", failing_for_three_rivers)
    article = make_library_article()
    assert copy_in(nova, article).live
    assert not ClinicArticlePage.objects.descendant_of(three_rivers).exists()
    run = SyndicationRun.objects.get(article=article)
    failed = run.jobs.get(clinic=three_rivers)
    assert failed.status == "failed" and "disk full at Three Rivers" in failed.error
    assert failed.attempts == 1 and run.finished_at is not None

    monkeypatch.setattr(syndication, "sync_clinic", real_sync)
    with committed():
        assert syndication.retry_failed(run) == [failed.pk]
    failed.refresh_from_db()
    assert (failed.status, failed.outcome, failed.attempts) == ("done", "published", 1)
    assert copy_in(three_rivers, article).live
    assert SyndicationRun.objects.get(pk=run.pk).finished_at is not None


def test_a_library_article_carried_by_clinics_cannot_be_deleted(nova):
    from django.db.models import ProtectedError

    article = make_library_article()
    with pytest.raises(ProtectedError):
        article.delete()


# --- a withdrawn article's copies cannot be published, by any path ------------------------


@pytest.fixture
def withdrawn(nova):
    """A library article withdrawn after Nova's copy was live, and Nova's editor."""
    article = make_library_article()
    withdraw(article)
    editor = UserFactory(groups=[provision_clinic(nova)])
    return copy_in(nova, article), editor


def test_code_cannot_publish_a_withdrawn_copy(withdrawn):
    copy, _ = withdrawn
    with pytest.raises(SourceWithdrawn):
        copy.save_revision().publish()
    assert not ClinicArticlePage.objects.get(pk=copy.pk).live


def test_the_edit_view_refuses_and_keeps_the_edit_as_a_draft(withdrawn, client):
    copy, editor = withdrawn
    client.force_login(editor)
    edit = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    data = {
        "title_override": "Republished by hand",
        "slug": copy.slug,
        "summary_override": "",
        "canonical_policy": "auto",
        "body_overrides-TOTAL_FORMS": "0",
        "body_overrides-INITIAL_FORMS": "0",
        "body_overrides-MIN_NUM_FORMS": "0",
        "body_overrides-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "source": copy.source_id,
        "action-publish": "publish",
    }
    response = client.post(edit, data, follow=True)
    assert "The library article this page carries is withdrawn" in response.content.decode()
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    assert not copy.live
    assert copy.get_latest_revision_as_object().title_override == "Republished by hand"


def test_bulk_publishing_refuses(withdrawn, client):
    copy, editor = withdrawn
    client.force_login(editor)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={copy.pk}&next=/admin/"
    )
    client.post(url, {"include_descendants": ""})
    assert not ClinicArticlePage.objects.get(pk=copy.pk).live


def test_scheduled_publishing_drops_the_copy_and_goes_on(withdrawn, three_rivers):
    copy, _ = withdrawn
    revision = copy.save_revision()
    revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=1)
    revision.save()
    other = Page.objects.get(pk=three_rivers.pk).specific
    other.intro = "Scheduled news"
    other_revision = other.save_revision()
    other_revision.approved_go_live_at = timezone.now() - timezone.timedelta(minutes=1)
    other_revision.save()

    call_command("publish_scheduled")
    assert not ClinicArticlePage.objects.get(pk=copy.pk).live
    assert ClinicHomePage.objects.get(pk=three_rivers.pk).intro == "Scheduled news"


def test_workflow_approval_refuses(withdrawn):
    copy, editor = withdrawn
    workflow = Workflow.objects.create(name="Clinic review")
    task = GroupApprovalTask.objects.create(name="Approve")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    draft = ClinicArticlePage.objects.get(pk=copy.pk)
    draft.save_revision()
    state = workflow.start(draft, editor)
    task_state = TaskState.objects.get(workflow_state=state)
    with pytest.raises(SourceWithdrawn):
        task_state.specific.approve(user=UserFactory(is_superuser=True))
    assert not ClinicArticlePage.objects.get(pk=copy.pk).live


def test_the_admin_api_publish_action_refuses(withdrawn, client):
    copy, editor = withdrawn
    client.force_login(editor)
    response = client.post(f"/admin/api/main/pages/{copy.pk}/action/publish/")
    assert response.status_code in (400, 403)
    assert not ClinicArticlePage.objects.get(pk=copy.pk).live


# --- concurrency: publish and unpublish at the same moment ----------------------------


def _race(article_id: int, first: str, repeat: int) -> list[tuple[bool, list[bool]]]:
    results = []
    for _ in range(repeat):
        barrier = threading.Barrier(2)
        errors = []

        def act(action, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                article = LibraryArticlePage.objects.get(pk=article_id)
                if action == "publish":
                    article.save_revision().publish()
                else:
                    article.unpublish()
            except Exception as error:  # recorded and asserted below
                errors.append(error)
            finally:
                close_old_connections()
                connection.close()

        second = "unpublish" if first == "publish" else "publish"
        threads = [threading.Thread(target=act, args=(a,)) for a in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        library_live = LibraryArticlePage.objects.get(pk=article_id).live
        copies_live = list(
            ClinicArticlePage.objects.filter(source_id=article_id).values_list("live", flat=True)
        )
        results.append((library_live, copies_live))
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("first", ["publish", "unpublish"])
def test_concurrent_publish_and_unpublish_converge(first):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and concurrent connections")
    from wagtail.models import Page as WagtailPage

    WagtailPage.objects.filter(depth__gt=1).delete()
    for n in range(3):
        make_clinic(f"Race clinic {n}", slug=f"race-{n}")
    article = make_library_article(title="Racing")
    for library_live, copies_live in _race(article.pk, first, repeat=6):
        assert len(copies_live) == 3
        assert all(live == library_live for live in copies_live)
