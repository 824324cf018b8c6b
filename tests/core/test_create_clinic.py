import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import Collection, Site

from blog.models import BlogIndexPage
from clinics.models import ClinicHomePage
from tests.factories import make_library_article


def test_create_clinic_sets_up_a_site_blog_group_and_collection(db, client):
    call_command("create_clinic", "Lakeside Care", hostname="lakeside.localhost", port=80)
    clinic = ClinicHomePage.objects.get(title="Lakeside Care")
    assert Site.objects.get(hostname="lakeside.localhost").root_page_id == clinic.pk
    assert BlogIndexPage.objects.child_of(clinic).live().exists()
    assert Group.objects.filter(name="Lakeside Care editors").exists()
    assert Collection.objects.filter(name="Lakeside Care").exists()
    # A new clinic takes library articles by default.
    make_library_article(title="Sleep and anxiety")
    assert client.get("/blog/sleep-and-anxiety/", HTTP_HOST="lakeside.localhost").status_code == 200


def test_create_clinic_refuses_a_hostname_already_taken(nova):
    with pytest.raises(CommandError, match="already answers"):
        call_command("create_clinic", "Copycat", hostname="nova.localhost", port=80)
