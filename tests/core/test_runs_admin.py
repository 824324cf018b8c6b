"""Reports → Publishing runs: the central team sees every run of the publishing pipeline,
each clinic's job in it (with its error), retries the failed ones, and is told about
failures on the dashboard. Clinic editors see none of it: the runs cover every clinic."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog import syndication
from blog.models import ClinicArticlePage, SyndicationJob, SyndicationRun
from clinics.provisioning import permission, provision_central_team, provision_clinic
from tests.factories import UserFactory, committed, get_library, make_library_article

FAILURE = "disk full at Three Rivers"


@pytest.fixture
def failing_run(nova, three_rivers, monkeypatch):
    """A publish whose Three Rivers job failed (Nova's is done); the failure is gone after."""
    real_sync = syndication.sync_clinic

    def failing_for_three_rivers(article_id, clinic, user, **kwargs):
        if clinic.pk == three_rivers.pk:
            raise RuntimeError(FAILURE)
        return real_sync(article_id, clinic, user, **kwargs)

    monkeypatch.setattr(syndication, "sync_clinic", failing_for_three_rivers)
    article = make_library_article()
    monkeypatch.setattr(syndication, "sync_clinic", real_sync)
    run = SyndicationRun.objects.get(article=article)
    assert run.jobs.get(clinic=three_rivers).status == SyndicationJob.Status.FAILED
    return run


@pytest.fixture
def central_user(db):
    return UserFactory(groups=[provision_central_team(get_library())])


@pytest.fixture
def nova_editor(nova):
    return UserFactory(groups=[provision_clinic(nova)])


def index_url(**params):
    url = reverse("blog_runs:index")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def detail_url(run):
    return reverse("blog_runs:detail", args=[run.pk])


def retry_url(run):
    return reverse("blog_runs:retry", args=[run.pk])


def table_rows(response) -> list[dict[str, str]]:
    """The listing's rows as {column label: cell text}."""
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    table = soup.select_one("table.listing")
    if table is None:
        return []
    labels = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    return [
        dict(zip(labels, (td.get_text(" ", strip=True) for td in tr.find_all("td")), strict=True))
        for tr in table.select("tbody tr")
    ]


def menu_item_names(response) -> set[str]:
    """The names of every item in the admin sidebar's menus."""
    soup = BeautifulSoup(response.content, "html.parser")
    props = json.loads(soup.find("script", id="wagtail-sidebar-props").string)
    names = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("name"), str) and "url" in node:
                names.add(node["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return names


def failed_runs_panel(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.find(id="failed-publishing-runs-section")


# --- what the central team sees ---------------------------------------------------------


def test_the_list_shows_each_run_with_its_job_counts_newest_first(
    client, failing_run, central_user
):
    later = make_library_article(title="Ketamine basics")  # both clinics succeed
    client.force_login(central_user)
    rows = table_rows(client.get(index_url()))
    assert [row["Library article"] for row in rows] == ["Ketamine basics", "What Causes PTSD?"]
    clean, failing = rows
    assert (clean["Queued"], clean["Running"], clean["Done"], clean["Failed"]) == (
        "0",
        "0",
        "2",
        "0",
    )
    assert (failing["Queued"], failing["Running"], failing["Done"], failing["Failed"]) == (
        "0",
        "0",
        "1",
        "1",
    )
    assert failing["Kind"] == "Publish"
    assert failing["Library revision"] == f"#{failing_run.revision_id}"
    assert failing["Requested by"] == "—"  # published from code, not by an editor
    assert clean["Library revision"] == f"#{later.live_revision_id}"

    page = client.get(index_url()).content.decode()
    assert f'href="{detail_url(failing_run)}"' in page
    revision = reverse(
        "wagtailadmin_pages:revisions_view", args=[failing_run.article_id, failing_run.revision_id]
    )
    assert f'href="{revision}"' in page


def test_the_failures_filter_lists_only_runs_with_failed_jobs(client, failing_run, central_user):
    make_library_article(title="Ketamine basics")
    client.force_login(central_user)
    for url in (index_url(failed="true"), reverse("blog_runs:index_results") + "?failed=true"):
        rows = table_rows(client.get(url))
        assert [row["Library article"] for row in rows] == ["What Causes PTSD?"]
    assert len(table_rows(client.get(index_url()))) == 2


def test_the_list_reads_every_runs_job_counts_in_one_query(client, failing_run, central_user):
    client.force_login(central_user)
    client.get(index_url())  # warm up

    def job_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(index_url()).status_code == 200
        return len(queries), [q for q in queries if "blog_syndicationjob" in q["sql"]]

    before, job_sql = job_queries()
    assert len(job_sql) == 1
    clinic_ids = list(failing_run.jobs.values_list("clinic_id", flat=True))
    for n in range(3):  # more runs, each with its own requester and jobs
        run = SyndicationRun.objects.create(
            article=failing_run.article,
            kind="publish",
            requested_by=UserFactory(first_name=f"Editor {n}"),
        )
        for clinic_id in clinic_ids:
            SyndicationJob.objects.create(run=run, clinic_id=clinic_id, status="running")
    after, job_sql = job_queries()
    assert len(job_sql) == 1
    assert after == before
    assert len(table_rows(client.get(index_url()))) == 4


def test_the_run_detail_lists_each_clinic_job_with_its_error(client, failing_run, central_user):
    client.force_login(central_user)
    response = client.get(detail_url(failing_run))
    rows = {row["Clinic"]: row for row in table_rows(response)}
    assert set(rows) == {"Nova Health Recovery", "Three Rivers Wellness"}
    nova, three_rivers = rows["Nova Health Recovery"], rows["Three Rivers Wellness"]
    assert (nova["Status"], nova["Outcome"], nova["Attempts"], nova["Error"]) == (
        "Done",
        "published",
        "1",
        "",
    )
    assert (three_rivers["Status"], three_rivers["Attempts"]) == ("Failed", "1")
    assert three_rivers["Error"].startswith(f"RuntimeError: {FAILURE}")  # summary line first
    assert "Traceback" in three_rivers["Error"]

    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("[data-job-counts]").get_text(strip=True) == (
        "0 queued, 0 running, 1 done, 1 failed"
    )
    form = soup.find("form", action=retry_url(failing_run))
    assert form is not None and form["method"] == "post"
    assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None
    assert "Retry failed jobs (1)" in form.get_text()
    # Nova's copy is linked from its row; Three Rivers has none yet.
    nova_copy = ClinicArticlePage.objects.get(source=failing_run.article)
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[nova_copy.pk])}"' in str(soup)


def test_the_run_detail_is_paginated(client, failing_run, central_user, monkeypatch):
    from blog.admin_views import RunDetailView

    monkeypatch.setattr(RunDetailView, "paginate_by", 1)
    client.force_login(central_user)
    first = table_rows(client.get(detail_url(failing_run)))
    second = table_rows(client.get(detail_url(failing_run) + "?p=2"))
    assert [row["Clinic"] for row in first + second] == [
        "Nova Health Recovery",
        "Three Rivers Wellness",
    ]


def test_retrying_requeues_the_failed_job_and_the_run_finishes(
    failing_run, central_user, three_rivers
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(central_user)
    failed = failing_run.jobs.get(clinic=three_rivers)

    # Without the form's CSRF token the POST is refused and nothing is queued.
    assert client.post(retry_url(failing_run)).status_code == 403
    assert SyndicationJob.objects.get(pk=failed.pk).status == SyndicationJob.Status.FAILED

    soup = BeautifulSoup(client.get(detail_url(failing_run)).content, "html.parser")
    form = soup.find("form", action=retry_url(failing_run))
    data = {field["name"]: field["value"] for field in form.find_all("input")}
    with committed():
        response = client.post(retry_url(failing_run), data)
    assert response.status_code == 302 and response["Location"] == detail_url(failing_run)

    failed.refresh_from_db()
    assert (failed.status, failed.outcome, failed.attempts, failed.error) == (
        "done",
        "published",
        1,
        "",
    )
    assert SyndicationRun.objects.get(pk=failing_run.pk).finished_at is not None
    assert ClinicArticlePage.objects.descendant_of(three_rivers).get().live

    page = client.get(detail_url(failing_run))
    text = page.content.decode()
    assert "1 failed job queued again for “What Causes PTSD?”." in text
    assert "Retry failed jobs" not in text  # nothing left to retry
    rows = {row["Clinic"]: row for row in table_rows(page)}
    assert rows["Three Rivers Wellness"]["Status"] == "Done"
    assert table_rows(client.get(index_url(failed="true"))) == []


def test_retrying_a_run_without_failures_queues_nothing_and_keeps_it_finished(
    client, failing_run, central_user
):
    client.force_login(central_user)
    with committed():
        client.post(retry_url(failing_run))  # the failed job is done now
    with committed():
        response = client.post(retry_url(failing_run), follow=True)
    assert "This run has no failed jobs to retry." in response.content.decode()
    assert SyndicationRun.objects.get(pk=failing_run.pk).finished_at is not None


def test_the_dashboard_lists_runs_with_failed_jobs(client, failing_run, central_user):
    make_library_article(title="Ketamine basics")  # no failures: not on the panel
    client.force_login(central_user)
    response = client.get(reverse("wagtailadmin_home"))
    panel = failed_runs_panel(response)
    assert panel is not None
    links = [(a.get_text(strip=True), a["href"]) for a in panel.select("tbody a")]
    assert links == [("What Causes PTSD?", detail_url(failing_run))]
    assert "publishing-runs" in menu_item_names(response)


def test_the_dashboard_panel_is_hidden_without_failures(client, nova, central_user):
    make_library_article()
    client.force_login(central_user)
    assert failed_runs_panel(client.get(reverse("wagtailadmin_home"))) is None


def test_the_dashboard_panel_costs_the_same_queries_for_one_or_many_failed_runs(
    client, failing_run, central_user
):
    client.force_login(central_user)
    home = reverse("wagtailadmin_home")
    client.get(home)  # warm up
    with CaptureQueriesContext(connection) as one:
        client.get(home)
    for _ in range(3):
        run = SyndicationRun.objects.create(article=failing_run.article, kind="publish")
        for job in failing_run.jobs.all():
            SyndicationJob.objects.create(run=run, clinic_id=job.clinic_id, status="failed")
    with CaptureQueriesContext(connection) as four:
        response = client.get(home)
    assert len(four) == len(one)
    panel = failed_runs_panel(response)
    assert [td.get_text(strip=True) for td in panel.select("tbody tr td:nth-of-type(3)")] == [
        "2",
        "2",
        "2",
        "1",
    ]


def test_a_superuser_sees_and_may_retry(client, failing_run):
    client.force_login(UserFactory(is_superuser=True))
    assert len(table_rows(client.get(index_url()))) == 1
    assert "Retry failed jobs (1)" in client.get(detail_url(failing_run)).content.decode()


# --- who may not ------------------------------------------------------------------------


def test_a_clinic_editor_gets_403_on_every_runs_url(client, failing_run, nova_editor, three_rivers):
    client.force_login(nova_editor)
    for url in (
        index_url(),
        index_url(failed="true"),
        reverse("blog_runs:index_results"),
        detail_url(failing_run),
        reverse("blog_runs:detail", args=[failing_run.pk + 1000]),  # no such run: still 403
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert FAILURE.encode() not in response.content
    with committed():
        assert client.post(retry_url(failing_run)).status_code == 403
    job = failing_run.jobs.get(clinic=three_rivers)
    assert (job.status, job.attempts) == ("failed", 1)


def test_a_clinic_editor_sees_neither_the_menu_item_nor_the_dashboard_panel(
    client, failing_run, nova_editor, central_user
):
    client.force_login(central_user)
    central_home = client.get(reverse("wagtailadmin_home"))
    assert "publishing-runs" in menu_item_names(central_home)
    assert failed_runs_panel(central_home) is not None

    client.force_login(nova_editor)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "publishing-runs" not in menu_item_names(response)
    assert failed_runs_panel(response) is None
    assert reverse("blog_runs:index").encode() not in response.content


def test_reading_does_not_grant_retrying(client, failing_run, three_rivers):
    readers = Group.objects.create(name="Pipeline readers")
    readers.permissions.add(
        permission("wagtailadmin", "access_admin"), permission("blog", "view_syndicationrun")
    )
    client.force_login(UserFactory(groups=[readers]))
    response = client.get(detail_url(failing_run))
    assert response.status_code == 200
    assert "Retry failed jobs" not in response.content.decode()
    with committed():
        assert client.post(retry_url(failing_run)).status_code == 403
    assert failing_run.jobs.get(clinic=three_rivers).status == "failed"
