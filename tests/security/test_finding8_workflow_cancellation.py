"""Issue 9, finding 8: the workflow cancellation asked before publishing a page."""

from django.urls import reverse


def test_workflow_cancellation_of_another_clinics_page_is_refused(as_nova, world):
    url = reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[world.other_copy.pk])
    response = as_nova.get(url)
    assert response.status_code in (302, 403, 404)
    assert b"Clinic sign-off" not in response.content


def test_the_editor_is_still_asked_about_their_own_page_in_a_workflow(as_nova, world):
    workflow = world.workflow_state.workflow
    workflow.start(world.nova_copy, world.nova_editor)
    url = reverse("wagtailadmin_pages:confirm_workflow_cancellation", args=[world.nova_copy.pk])
    response = as_nova.get(url)
    assert response.status_code == 200
    assert b"Clinic sign-off" in response.content
