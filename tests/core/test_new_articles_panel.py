"""The clinic editor's dashboard lists the library articles new since their last visit:
their own clinic's copies only, and nothing for the central team (which has the
network's panels)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from blog.models import ClinicArticlePage, EditorVisit, LibraryArticlePage
from clinics.provisioning import provision_central_team
from tests.factories import UserFactory, get_library, make_library_article, paragraph


def panel_titles(client) -> list[str]:
    html = client.get("/admin/").content.decode()
    if 'id="new-library-articles' not in html:
        return []
    section = html.split('id="new-library-articles', 1)[1].split("</table>", 1)[0]
    return [t for t in ("Sleep after trauma", "What Causes PTSD?") if t in section]


@pytest.fixture
def nova_editor(nova, three_rivers):
    return UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])


def test_the_first_visit_lists_the_clinics_articles_and_later_visits_only_new_ones(
    client, nova, three_rivers, nova_editor
):
    make_library_article(body=[paragraph("Trauma matters.", "t1")])
    client.force_login(nova_editor)  # the first sign-in: everything is new
    assert panel_titles(client) == ["What Causes PTSD?"]

    # Signed in again later: the older article is no longer new; one published since is.
    LibraryArticlePage.objects.update(first_published_at=timezone.now() - timedelta(days=2))
    visit = EditorVisit.objects.get(user=nova_editor)
    EditorVisit.objects.filter(pk=visit.pk).update(last_sign_in=timezone.now() - timedelta(days=1))
    make_library_article("Sleep after trauma", body=[paragraph("Sleep matters.", "s1")])
    client.force_login(nova_editor)
    assert panel_titles(client) == ["Sleep after trauma"]

    copy = ClinicArticlePage.objects.descendant_of(nova).get(source__title="Sleep after trauma")
    assert f"/admin/pages/{copy.pk}/edit/" in client.get("/admin/").content.decode()


def test_another_clinics_copies_are_not_listed(client, nova, three_rivers):
    make_library_article(body=[paragraph("Trauma matters.", "t1")])
    theirs = ClinicArticlePage.objects.descendant_of(three_rivers).get()
    novas = ClinicArticlePage.objects.descendant_of(nova).get()
    client.force_login(
        UserFactory(groups=[Group.objects.get(name="Three Rivers Wellness editors")])
    )
    dashboard = client.get("/admin/").content.decode()
    assert f"/admin/pages/{theirs.pk}/edit/" in dashboard
    assert f"/admin/pages/{novas.pk}/edit/" not in dashboard


def test_the_central_team_does_not_get_the_clinic_panel(client, nova):
    make_library_article(body=[paragraph("Trauma matters.", "t1")])
    client.force_login(UserFactory(groups=[provision_central_team(get_library())]))
    assert panel_titles(client) == []
