"""Publishing a library article with error-level findings waits for a medical reviewer."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import GroupPagePermission, TaskState, WorkflowState

from blog.models import ClinicArticlePage, LibraryArticlePage
from clinics.provisioning import CENTRAL_TEAM, MEDICAL_REVIEWERS, provision_central_team
from review.models import MedicalClaimsReviewTask
from review.wagtail_hooks import publish_refusal, refuse_unreviewed_claims
from review.workflow import WORKFLOW_NAME, setup_medical_review
from tests.factories import (
    PersonFactory,
    UserFactory,
    committed,
    get_library,
    make_library_article,
    paragraph,
)

DISCLAIMER = (
    "This article is for informational purposes only and is not a substitute for "
    "medical advice; consult your doctor."
)
CLEAN = [
    paragraph("Ketamine may help reduce symptoms of PTSD in some patients (Feder 2021)."),
    paragraph(DISCLAIMER),
]
CLAIMS = [paragraph("Ketamine therapy cures PTSD."), paragraph(DISCLAIMER)]


@pytest.fixture
def library(nova):
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    return library


@pytest.fixture
def central_editor(library):
    return UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)])


@pytest.fixture
def reviewer(library):
    return UserFactory(groups=[Group.objects.get(name=MEDICAL_REVIEWERS)])


def draft(body):
    return make_library_article(
        "Ketamine and PTSD",
        body=body,
        publish=False,
        medical_reviewer=PersonFactory(),
        last_reviewed=date.today(),
    )


def submit(page, user):
    page = LibraryArticlePage.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    return workflow.start(page, user)


def approve_url(page, state):
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )


def test_setup_is_idempotent_and_covers_the_library(library):
    workflow = setup_medical_review(library)
    assert MedicalClaimsReviewTask.objects.count() == 1
    assert list(workflow.tasks.specific()) == list(MedicalClaimsReviewTask.objects.all())
    assert library.get_workflow() == workflow
    task = MedicalClaimsReviewTask.objects.get()
    assert list(task.groups.values_list("name", flat=True)) == [MEDICAL_REVIEWERS]


def test_only_a_medical_reviewer_publishes_claims_directly(library, central_editor, reviewer):
    assert publish_refusal(central_editor, draft(CLEAN)) is None
    claims = make_library_article("Claims", body=CLAIMS, publish=False)
    assert "error-level" in publish_refusal(central_editor, claims)
    assert publish_refusal(reviewer, claims) is None
    assert GroupPagePermission.objects.filter(
        group__name=MEDICAL_REVIEWERS, page=library, permission__codename="publish_page"
    ).exists()


def test_the_publish_button_refuses_claims_for_a_central_editor(library, central_editor, client):
    page = make_library_article("Claims", body=CLAIMS, publish=False)
    client.force_login(central_editor)
    request = RequestFactory().post("/")
    request.user = central_editor
    request.session = client.session
    request._messages = FallbackStorage(request)
    response = refuse_unreviewed_claims(request, page)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    request.user = UserFactory(is_superuser=True)
    assert refuse_unreviewed_claims(request, page) is None


def test_a_clean_article_passes_the_task_and_is_published(library, central_editor, nova):
    page = draft(CLEAN)
    with committed():
        state = submit(page, central_editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    task_state = TaskState.objects.get(workflow_state=state)
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by is None
    page.refresh_from_db()
    assert page.live
    # Published through the workflow, so it syndicates like any publish.
    assert ClinicArticlePage.objects.filter(source=page).exists()


def test_a_cure_claim_waits_for_a_medical_reviewer(library, central_editor, reviewer, client):
    page = draft(CLAIMS)
    state = submit(page, central_editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live
    task = state.current_task_state.task.specific
    [finding] = task.blocking_findings(state.current_task_state.revision)
    assert finding.finding.rule == "claims.cure" and finding.block_number == 1

    # A central editor (not a medical reviewer) cannot approve it.
    assert task.get_actions(page, central_editor) == []
    client.force_login(central_editor)
    client.post(approve_url(page, state))
    state.refresh_from_db()
    page.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS and not page.live

    # A medical reviewer approves it through the admin, and it goes live.
    actions = [name for name, _, _ in task.get_actions(page, reviewer)]
    assert actions == ["reject", "approve", "approve"]
    client.force_login(reviewer)
    response = client.post(approve_url(page, state))
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    page.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.current_task_state.finished_by == reviewer
    assert page.live


def test_missing_medical_reviewer_is_blocking(library, central_editor):
    page = make_library_article("No reviewer", body=CLEAN, publish=False)
    state = submit(page, central_editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live


def test_the_demo_has_the_workflow_and_a_medical_reviewer():
    from django.contrib.auth import get_user_model

    from blog.demo import load_demo

    load_demo()
    reviewer = get_user_model().objects.get(username="medical-reviewer")
    assert reviewer.groups.filter(name=MEDICAL_REVIEWERS).exists()
    assert get_library().get_workflow().name == WORKFLOW_NAME
    assert LibraryArticlePage.objects.get(slug="what-causes-ptsd").live
