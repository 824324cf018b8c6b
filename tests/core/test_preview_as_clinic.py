"""A library article previews as it will read on any clinic's domain: Wagtail's preview
modes, one per clinic, with the clinic's name, phone, theme and call-to-action, and the
draft's text (not the live article's)."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from blog.models import ClinicArticlePage
from tests.factories import UserFactory, make_clinic, make_library_article, paragraph


@pytest.fixture
def draft(nova, three_rivers):
    article = make_library_article(body=[paragraph("Call {clinic} in {city} on {phone}.", "p1")])
    draft = article.get_latest_revision_as_object()
    draft.body = [paragraph("Draft words: call {clinic} in {city} on {phone}.", "p1")]
    draft.save_revision()
    return draft


def preview(page, mode):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True)
    response = page.make_preview_request(request, mode)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_each_clinic_is_a_preview_mode(draft, nova, three_rivers):
    modes = dict(draft.preview_modes)
    assert modes[f"clinic-{nova.pk}"] == "On Nova Health Recovery"
    assert modes[f"clinic-{three_rivers.pk}"] == "On Three Rivers Wellness"
    assert draft.default_preview_mode == ""


@pytest.mark.parametrize("clinic_fixture", ["nova", "three_rivers"])
def test_the_draft_previews_with_each_clinics_facts(draft, clinic_fixture, request):
    clinic = request.getfixturevalue(clinic_fixture)
    text = preview(draft, f"clinic-{clinic.pk}")
    assert f"Draft words: call {clinic.title} in {clinic.city} on {clinic.phone}." in text
    other = "Three Rivers Wellness" if clinic_fixture == "nova" else "Nova Health Recovery"
    assert other not in text
    # The draft is previewed, not the live article the clinic's page shows today.
    live_copy = ClinicArticlePage.objects.descendant_of(clinic).get(source=draft)
    assert "Draft words" not in " ".join(b.plain_text() for b in live_copy.effective().body)


def test_a_clinic_that_carries_no_copy_yet_previews_a_new_copy(draft):
    newcomer = make_clinic("Newcomer Clinic", slug="newcomer", syndication_mode="manual")
    assert not ClinicArticlePage.objects.descendant_of(newcomer).exists()
    text = preview(draft, f"clinic-{newcomer.pk}")
    assert f"Draft words: call Newcomer Clinic in {newcomer.city} on {newcomer.phone}." in text


def test_an_unknown_mode_previews_the_library_article(draft):
    text = preview(draft, "clinic-999999")
    assert "Draft words: call {clinic}" in text
