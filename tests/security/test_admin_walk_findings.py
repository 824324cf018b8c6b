"""What the admin walk (test_admin_routes) found beyond the issue's list, one test each:
bulk actions' confirmation pages, workflow views' messages, the move confirmation's slug
check, the page listings' user filters and the call-to-action search."""

from django.urls import reverse

from blog.models import ClinicArticlePage
from tests.security.conftest import M, leaks, response_text


def messages_text(response) -> str:
    """The messages the request queued (for the next page it redirects to)."""
    return " ".join(str(message) for message in response.wsgi_request._messages)


def test_bulk_page_actions_name_no_page_the_editor_may_not_see(as_nova, world):
    ids = [*world.other_ids()["page"], world.library_revised.pk, world.nova_copy.pk]
    query = "&".join(f"id={pk}" for pk in ids)
    for action in ("delete", "move", "publish", "unpublish"):
        response = as_nova.get(f"/admin/bulk/wagtailcore/page/{action}/?{query}")
        assert response.status_code == 200, action
        body = response_text(response)
        assert leaks(body) == [], action
        # The editor's own page is still offered; the live library article is named by
        # its live title.
        assert world.nova_copy.title in body, action
    all_in_other_blog = f"/admin/bulk/wagtailcore/page/delete/?id=all&childOf={world.other_blog.pk}"
    assert leaks(response_text(as_nova.get(all_in_other_blog))) == []


def test_bulk_image_and_document_actions_name_no_other_collections_files(as_nova, world):
    for model, pk in (
        ("wagtailimages/image", world.other_image.pk),
        ("wagtaildocs/document", world.other_document.pk),
    ):
        for action in ("delete", "add_tags", "add_to_collection"):
            response = as_nova.get(f"/admin/bulk/{model}/{action}/?id={pk}")
            assert leaks(response_text(response)) == [], (model, action)


def test_workflow_views_do_not_name_a_page_the_editor_may_not_edit(as_nova, world):
    state = world.workflow_state
    task_state = state.current_task_state
    for page in (world.other_blog, world.other_own, world.library_draft):
        for name in ("workflow_action", "collect_workflow_action_data"):
            url = reverse(f"wagtailadmin_pages:{name}", args=[page.pk, "approve", task_state.pk])
            response = as_nova.get(url)
            assert leaks(messages_text(response)) == [], (name, page)
        url = reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id])
        response = as_nova.get(url)
        assert leaks(messages_text(response)) == [], ("preview", page)


def test_the_move_confirmation_checks_the_move_before_the_slug(as_nova, world):
    # The other clinic's copy has the slug of Nova's copy under Nova's blog: Wagtail
    # checked the slug first and answered with a message naming the page's slug (for
    # any page, a draft's too) before the before_move_page hooks refused the move.
    url = reverse("wagtailadmin_pages:move_confirm", args=[world.other_copy.pk, world.nova_blog.pk])
    response = as_nova.get(url)
    # Refused: Wagtail answers a PermissionDenied with the dashboard and its message.
    assert response.status_code in (302, 403)
    assert response.get("Location", "") in ("", reverse("wagtailadmin_home"))
    assert "slug" not in messages_text(response)


def test_page_listing_filters_list_only_editors_of_visible_pages(as_nova, world):
    for url in (
        reverse("wagtailadmin_pages:type_use", args=["blog", "clinicarticlepage"]),
        reverse("wagtailadmin_explore", args=[world.nova_blog.pk]),
    ):
        response = as_nova.get(url)
        assert response.status_code == 200, url
        assert M.other_editor not in response_text(response).lower(), url


def test_page_listing_filters_still_list_the_clinics_own_editors(as_nova, world):
    copy = ClinicArticlePage.objects.get(pk=world.nova_copy.pk)
    copy.save_revision(user=world.nova_editor, log_action=True)
    url = reverse("wagtailadmin_pages:type_use", args=["blog", "clinicarticlepage"])
    response = as_nova.get(url)
    assert world.nova_editor.get_username() in response_text(response)


def test_the_call_to_action_listing_can_be_searched(as_nova, world):
    for path in ("", "results/"):
        response = as_nova.get(f"/admin/snippets/clinics/calltoaction/{path}?q=book")
        assert response.status_code == 200, path
