"""Issue 9, finding 8: other clinics' editors' usernames in the reports' filter drop-downs."""

import pytest
from django.urls import reverse

from tests.security.conftest import M, leaks


@pytest.mark.parametrize(
    "view", ["workflow", "workflow_tasks", "site_history", "page_types_usage", "locked_pages"]
)
def test_report_filters_do_not_name_other_clinics_editors(as_nova, world, view):
    response = as_nova.get(reverse(f"wagtailadmin_reports:{view}"))
    assert response.status_code == 200
    assert M.other_editor not in response.content.decode().lower()
    assert leaks(response.content) == []


def test_the_site_history_lists_the_editors_own_entries(as_nova, world):
    from wagtail.log_actions import log

    log(instance=world.nova_copy, action="wagtail.edit", user=world.nova_editor)
    response = as_nova.get(reverse("wagtailadmin_reports:site_history"))
    assert "nova-editor" in response.content.decode()  # in the rows and the user filter
    assert leaks(response.content) == []


def test_image_log_entries_stay_with_the_images_collection(as_nova, world):
    """A model-wide image permission (granted by mistake, say) shows Wagtail's site
    history every collection's image entries; only the editor's own are listed."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.log_actions import log

    group = Group.objects.get(name="Nova Health Recovery editors")
    group.permissions.add(Permission.objects.get(codename="add_image"))
    log(instance=world.nova_image, action="wagtail.edit", user=world.nova_editor)
    response = as_nova.get(reverse("wagtailadmin_reports:site_history_results"))
    assert "Nova&#x27;s own image" in response.content.decode()
    assert leaks(response.content) == []
