"""The network content report in the admin: central team and reviewers, not clinics."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from review.workflow import setup_medical_review
from tests.factories import UserFactory, get_library, make_library_article, paragraph


@pytest.fixture
def network(nova, three_rivers):
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    make_library_article(
        title="Ketamine and PTSD",
        body=[paragraph("Ketamine cures PTSD in every patient.", "k1")],
    )


def test_the_central_team_reads_the_network_report(client, network):
    client.force_login(UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)]))
    response = client.get(reverse("content_review"))
    assert response.status_code == 200
    page = response.content.decode()
    # Both clinics carry the same text: one near-duplicate pair, and each clinic's finding.
    assert "Near-duplicate copies (1)" in page
    # The cure claim and the missing medical reviewer are errors, for each clinic's copy.
    assert "Nova Health Recovery: 2 error(s)" in page
    assert "Three Rivers Wellness: 2 error(s)" in page
    assert "Ketamine cures PTSD in every patient." in page
    assert (
        "Content review"
        in client.get(reverse("wagtailadmin_reports:locked_pages")).content.decode()
    )


def test_a_clinic_editor_cannot_read_the_network_report(client, network):
    editor = UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])
    client.force_login(editor)
    response = client.get(reverse("content_review"))
    assert response.status_code in (302, 403)
    assert b"Ketamine cures PTSD" not in response.content
