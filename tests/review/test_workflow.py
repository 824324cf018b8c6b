"""Medical review: every library revision that goes live is approved by a medical
reviewer, whose approval (and nothing typed) is the reviewer of record; a clinic's own
words with error-level findings go to review instead of going live."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage, review_of_record
from blog.resolution import resolve_article
from clinics.provisioning import CENTRAL_TEAM, MEDICAL_REVIEWERS, provision_central_team
from review.approvals import library_approval
from review.models import ClaimsAnnotation, MedicalApproval, MedicalClaimsReviewTask
from review.wagtail_hooks import publish_refusal
from review.workflow import CLINIC_WORKFLOW_NAME, WORKFLOW_NAME, setup_medical_review
from tests.factories import (
    UserFactory,
    add_override,
    approve,
    committed,
    get_library,
    make_library_article,
    medical_reviewer,
    paragraph,
)

DISCLAIMER = (
    "This article is for informational purposes only and is not a substitute for "
    "medical advice; consult your doctor."
)
CLEAN = [
    paragraph("Ketamine may help reduce symptoms of PTSD in some patients (Feder 2021).", "b1"),
    paragraph(DISCLAIMER, "b2"),
]
CLAIMS = [paragraph("Ketamine therapy cures PTSD.", "c1"), paragraph(DISCLAIMER, "c2")]
CURE = "Ketamine cures PTSD. Most of our patients are symptom-free after one infusion."
OWN_CLEAN = "Our Portland team talks every option through with you before any treatment."


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
    return medical_reviewer("Dana Whitfield", "MD, psychiatrist")


@pytest.fixture
def nova_editor(library, nova):
    return UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])


def draft(body, title="Ketamine and PTSD"):
    return make_library_article(title, body=body, publish=False)


def submit(page, user):
    page = LibraryArticlePage.objects.get(pk=page.pk)
    workflow = page.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    return workflow.start(page, user)


def library_post(page, text="Ketamine may help some patients with PTSD (Feder 2021)."):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield(
                [("paragraph", rich_text(text)), ("paragraph", rich_text(DISCLAIMER))]
            ),
            "references": streamfield([]),
            "action-publish": "publish",
        }
    )


def approve_url(page, state):
    return reverse(
        "wagtailadmin_pages:workflow_action",
        args=(page.pk, "approve", state.current_task_state.pk),
    )


def test_setup_is_idempotent_and_covers_the_library_and_clinic_blogs(library, nova):
    workflow = setup_medical_review(library)
    assert MedicalClaimsReviewTask.objects.count() == 1
    assert list(workflow.tasks.specific()) == list(MedicalClaimsReviewTask.objects.all())
    assert library.get_workflow() == workflow
    task = MedicalClaimsReviewTask.objects.get()
    assert list(task.groups.values_list("name", flat=True)) == [MEDICAL_REVIEWERS]
    blog = nova.get_children().get()
    assert blog.get_workflow().name == CLINIC_WORKFLOW_NAME
    assert list(blog.get_workflow().tasks.specific()) == [task]
    # Reviewers approve (so publish) clinic copies.
    assert GroupPagePermission.objects.filter(
        group__name=MEDICAL_REVIEWERS, page=blog, permission__codename="publish_page"
    ).exists()


def test_a_new_clinics_blog_gets_the_clinic_workflow(library):
    from tests.factories import make_clinic

    clinic = make_clinic("Lakeside Clinic", slug="lakeside")
    assert clinic.get_children().get().get_workflow().name == CLINIC_WORKFLOW_NAME


def test_only_a_medical_reviewer_publishes_a_library_article_directly(
    library, central_editor, reviewer
):
    # Even a clean article: every revision that goes live has a reviewer's approval.
    refusal = publish_refusal(central_editor, draft(CLEAN))
    assert "approved by a medical reviewer" in refusal
    assert "Submit to Medical review" in refusal
    assert publish_refusal(reviewer, draft(CLAIMS, "Claims")) is None
    superuser = UserFactory(is_superuser=True)
    assert publish_refusal(superuser, draft(CLEAN, "Clean 2")) is not None


def test_publish_is_not_offered_to_a_central_editor_and_is_refused_if_posted(
    library, central_editor, reviewer, client
):
    page = draft(CLEAN)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.force_login(central_editor)
    html = client.get(edit).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html

    client.force_login(reviewer)
    assert 'name="action-publish"' in client.get(edit).content.decode()

    client.force_login(central_editor)
    response = client.post(edit, library_post(page), follow=True)
    page.refresh_from_db()
    assert not page.live
    text = response.content.decode()
    assert "approved by a medical reviewer" in text and "Submit to Medical review" in text


def test_nothing_passes_by_itself(library, central_editor):
    page = draft(CLEAN)
    with committed():
        state = submit(page, central_editor)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live
    annotation = ClaimsAnnotation.objects.get(task_state=state.current_task_state)
    assert annotation.error_count == 0
    assert MedicalApproval.objects.count() == 0


def test_a_reviewer_approves_and_becomes_the_reviewer_of_record(
    library, central_editor, reviewer, client, nova
):
    page = draft(CLAIMS)
    state = submit(page, central_editor)
    state.refresh_from_db()
    task = state.current_task_state.task.specific
    annotation = ClaimsAnnotation.objects.get(task_state=state.current_task_state)
    assert annotation.error_count == 1
    assert annotation.findings[0]["title"] == "Promises a cure"

    # Neither a central editor nor a superuser outside the group can approve.
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for user in (central_editor, superuser):
        assert task.get_actions(page, user) == []
        client.force_login(user)
        client.post(approve_url(page, state))
        state.refresh_from_db()
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live and library_approval(page) is None

    client.force_login(reviewer)
    with committed():
        response = client.post(approve_url(page, state))
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    page.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert state.current_task_state.finished_by == reviewer
    assert page.live
    approval = library_approval(LibraryArticlePage.objects.get(pk=page.pk))
    assert approval.revision_id == page.live_revision_id
    assert approval.approved_by == reviewer
    assert approval.reviewer_name == "Dana Whitfield, MD, psychiatrist"
    assert approval.reviewed_on == timezone.localdate()

    # Nova's copy (published through the workflow, syndicated) names the reviewer.
    copy = ClinicArticlePage.objects.get(source=page)
    assert review_of_record(resolve_article(copy)) == approval


def test_an_edit_after_approval_needs_a_new_approval(library, reviewer, nova):
    page = make_library_article("Approved", body=CLEAN)
    approval = approve(page, reviewer)
    copy = ClinicArticlePage.objects.get(source=page)
    assert review_of_record(resolve_article(copy)) == approval

    page = LibraryArticlePage.objects.get(pk=page.pk)
    page.body = [*CLEAN, paragraph("A new paragraph nobody reviewed.", "b3")]
    with committed():
        page.save_revision().publish()
    page = LibraryArticlePage.objects.get(pk=page.pk)
    assert library_approval(page) is None
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    assert review_of_record(resolve_article(copy)) is None


def test_a_reviewers_own_publish_is_their_approval(library, reviewer, client):
    page = draft(CLEAN)
    client.force_login(reviewer)
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    with committed():
        client.post(edit, library_post(page))
    page = LibraryArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert library_approval(page).approved_by == reviewer


# --- a clinic's own words ----------------------------------------------------------------


def copy_post(copy, overrides, **fields):
    data = {
        "source": copy.source_id,
        "title_override": "",
        "summary_override": "",
        "slug": copy.slug,
        "seo_title": "",
        "search_description": "",
        "canonical_policy": "auto",
        "cta_headline": "",
        "cta_text": "",
        "cta_button_label": "",
        "body_overrides": inline_formset(overrides, initial=len(copy.body_overrides.all())),
        "action-publish": "publish",
    }
    data.update(fields)
    return nested_form_data(data)


def insert_after(anchor, text):
    return {
        "id": "",
        "anchor": anchor,
        "action": BodyOverride.Action.INSERT_AFTER,
        "content": streamfield([("paragraph", rich_text(text))]),
        "ORDER": "1",
    }


@pytest.fixture
def carried(library, reviewer, nova):
    """An approved library article whose own text has a finding, and Nova's copy."""
    article = make_library_article("Carried", body=CLAIMS)
    approve(article, reviewer)
    return ClinicArticlePage.objects.descendant_of(nova).get(source=article)


def edit_copy(client, copy, data):
    with committed():
        return client.post(reverse("wagtailadmin_pages:edit", args=(copy.pk,)), data, follow=True)


def test_a_cure_claim_in_a_clinics_words_goes_to_review_not_live(
    client, carried, nova_editor, reviewer
):
    client.force_login(nova_editor)
    response = edit_copy(client, carried, copy_post(carried, [insert_after("c1", CURE)]))
    text = response.content.decode()
    assert "sent to medical review instead of being published" in text
    assert "Promises a cure" in text

    copy = ClinicArticlePage.objects.get(pk=carried.pk)
    assert copy.body_overrides.count() == 0  # the live page is unchanged
    state = copy.current_workflow_state
    assert state.workflow.name == CLINIC_WORKFLOW_NAME
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    annotation = ClaimsAnnotation.objects.get(task_state=state.current_task_state)
    # Only the clinic's words count: the library's own cure claim is not among them.
    assert annotation.error_count == 1
    assert "symptom-free" not in annotation.findings[0]["sentence"]
    assert annotation.findings[0]["sentence"] == "Ketamine cures PTSD."

    # The reviewer approves: live, and the byline names them.
    client.force_login(reviewer)
    with committed():
        client.post(approve_url(copy, state))
    copy = ClinicArticlePage.objects.get(pk=carried.pk)
    assert copy.live and copy.body_overrides.count() == 1
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    review = review_of_record(resolve_article(copy))
    assert review.approved_by == reviewer and review.page_id == copy.pk
    assert review.reviewed_on == timezone.localdate()


def test_a_clean_clinic_edit_publishes_at_once_though_the_library_has_a_finding(
    client, carried, nova_editor, reviewer
):
    assert review_of_record(resolve_article(carried)) is not None  # inherited: approved
    client.force_login(nova_editor)
    response = edit_copy(client, carried, copy_post(carried, [insert_after("c1", OWN_CLEAN)]))
    assert "has been published" in response.content.decode()
    copy = ClinicArticlePage.objects.get(pk=carried.pk)
    assert copy.body_overrides.count() == 1
    assert copy.current_workflow_state is None
    # Its own words are not approved yet: no byline until a reviewer approves them.
    assert review_of_record(resolve_article(copy)) is None
    approval = approve(copy, reviewer)
    assert review_of_record(resolve_article(ClinicArticlePage.objects.get(pk=copy.pk))) == approval


def test_a_cure_claim_in_a_clinics_title_summary_or_cta_goes_to_review(
    client, carried, nova_editor
):
    client.force_login(nova_editor)
    for field in ("title_override", "summary_override", "cta_text"):
        edit_copy(client, carried, copy_post(carried, [], **{field: "Ketamine cures PTSD."}))
        copy = ClinicArticlePage.objects.get(pk=carried.pk)
        assert getattr(copy, field) == "", field
        state = copy.current_workflow_state
        assert state is not None, field
        state.cancel(user=nova_editor)


def test_a_later_approval_of_the_library_is_named_on_a_copy(carried, reviewer):
    earlier = approve(
        ClinicArticlePage.objects.get(pk=carried.pk).source,
        reviewer,
        when=timezone.now() - timedelta(days=30),
    )
    copy = add_override(carried, "c1", BodyOverride.Action.INSERT_AFTER, [paragraph(OWN_CLEAN)])
    own = approve(copy, reviewer)
    assert review_of_record(resolve_article(copy)) == own
    assert own.approved_at > earlier.approved_at


def test_the_demo_has_the_workflows_a_reviewer_and_the_approvals():
    from django.contrib.auth import get_user_model

    from blog.demo import load_demo

    load_demo()
    reviewer = get_user_model().objects.get(username="medical-reviewer")
    assert reviewer.groups.filter(name=MEDICAL_REVIEWERS).exists()
    assert str(reviewer.reviewer_profile.person) == "Dana Whitfield, MD, psychiatrist"
    assert get_library().get_workflow().name == WORKFLOW_NAME
    article = LibraryArticlePage.objects.get(slug="what-causes-ptsd")
    assert article.live and library_approval(article).approved_by == reviewer
    for copy in ClinicArticlePage.objects.filter(source=article):
        review = review_of_record(resolve_article(copy))
        assert review is not None and review.approved_by == reviewer, copy.get_url_parts()
    assert TaskState.objects.count() == 0  # approved by the demo, not a pending task


def test_the_reviewers_queue_puts_the_most_errors_first(library, central_editor, reviewer, client):
    clean = draft(CLEAN, "A clean article")
    claims = draft(CLAIMS, "An article with a cure claim")
    submit(clean, central_editor)  # submitted first, but it has no error
    submit(claims, central_editor)

    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    queue = html.split("data-medical-review-queue", 1)[1].split("</table>", 1)[0]
    assert queue.index(claims.title) < queue.index(clean.title)
    assert "Promises a cure" in queue

    client.force_login(central_editor)
    assert (
        "data-medical-review-queue" not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_profiles_link_a_reviewer_to_the_person_named(library, reviewer, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(reverse("reviewer_profiles:index")).content.decode()
    assert "Dana Whitfield" in html
    client.force_login(reviewer)
    assert client.get(reverse("reviewer_profiles:index")).status_code in (302, 403)


def hook_request(user, client):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    client.force_login(user)
    request = RequestFactory().post("/")
    request.user = user
    request.session = client.session
    request._messages = FallbackStorage(request)
    return request


def test_bulk_publishing_refuses_claims_in_a_clinics_words_and_library_articles(
    client, carried, nova_editor, central_editor, reviewer
):
    from review.wagtail_hooks import refuse_bulk_publishing_unreviewed_claims as bulk

    carried.summary_override = "Ketamine cures PTSD."
    carried.save_revision()
    request = hook_request(nova_editor, client)
    response = bulk(request, "publish", [carried], None)
    assert response.status_code == 302
    assert "goes to medical review" in str(list(request._messages)[0])
    assert bulk(hook_request(reviewer, client), "publish", [carried], None) is None
    assert bulk(request, "unpublish", [carried], None) is None

    library_page = draft(CLEAN)
    request = hook_request(central_editor, client)
    assert bulk(request, "publish", [library_page], None).status_code == 302
    assert "medical reviewer's approval" in str(list(request._messages)[0])


def test_changes_requested_then_fixed_words_publish_at_once(client, carried, nova_editor, reviewer):
    client.force_login(nova_editor)
    edit_copy(client, carried, copy_post(carried, [insert_after("c1", CURE)]))
    state = ClinicArticlePage.objects.get(pk=carried.pk).current_workflow_state
    client.force_login(reviewer)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(carried.pk, "reject", state.current_task_state.pk),
        )
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not MedicalApproval.objects.filter(page_id=carried.pk).exists()

    # The editor takes the claim out: clean words publish at once, the review is over.
    client.force_login(nova_editor)
    copy = ClinicArticlePage.objects.get(pk=carried.pk)
    response = edit_copy(client, copy, copy_post(copy, [insert_after("c1", OWN_CLEAN)]))
    assert "has been published" in response.content.decode()
    copy = ClinicArticlePage.objects.get(pk=carried.pk)
    [override] = copy.body_overrides.all()
    assert OWN_CLEAN in override.content[0].value.source
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_CANCELLED


def test_publish_is_not_offered_on_a_copy_of_a_withdrawn_article(client, carried, nova_editor):
    edit = reverse("wagtailadmin_pages:edit", args=(carried.pk,))
    client.force_login(nova_editor)
    assert 'name="action-publish"' in client.get(edit).content.decode()
    source = LibraryArticlePage.objects.get(pk=carried.source_id)
    with committed():
        source.unpublish()
    assert 'name="action-publish"' not in client.get(edit).content.decode()
