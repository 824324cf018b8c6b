"""A new clinic needs no deploy: its Site's hostname is an allowed host and a CDN hostname
as soon as it is saved, in a process that has already read the list; a Site's old
hostname stops being allowed once the change is seen."""

import pytest
from django.core.cache import caches
from django.test import Client
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Site

from blog.provisioning import create_clinic
from cms.hosts import SiteHostnames
from pagecache import sites
from tests.factories import committed

pytestmark = pytest.mark.django_db

ADMIN_HOST = "admin.clinics.example"


@pytest.fixture(autouse=True)
def hosts_from_sites(settings):
    """Production's settings: the admin's host named, every other from the Sites; the
    page cache on (its lookup notices Site changes), in a cache of its own."""
    settings.ALLOWED_HOSTS = SiteHostnames([ADMIN_HOST])
    settings.PAGECACHE_ENABLED = True
    settings.CACHES = {
        **settings.CACHES,
        "pagecache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGECACHE_CACHE = "pagecache"
    caches["pagecache"].clear()
    sites.clear()
    yield
    caches["pagecache"].clear()
    sites.clear()


def new_clinic(hostname: str):
    with committed():  # a Site saved in the admin: its change is announced on commit
        return create_clinic(title=hostname, slug=hostname.split(".")[0], hostname=hostname)


def test_a_new_clinics_domain_is_served_without_a_settings_change(client):
    new_clinic("first.example")
    assert client.get("/", HTTP_HOST="first.example").status_code == 200
    assert client.get("/", HTTP_HOST="unknown.example").status_code == 400
    # This process has read the list; a clinic added now is served at its first request.
    new_clinic("second.example")
    response = client.get("/", HTTP_HOST="second.example")
    assert response.status_code == 200 and b"second.example" in response.content
    # Hosts named in the environment stay allowed (the admin's own domain).
    assert client.get("/admin/login/", HTTP_HOST=ADMIN_HOST).status_code == 200


def test_a_sites_old_hostname_stops_being_allowed(client):
    clinic = new_clinic("old.example")
    assert client.get("/", HTTP_HOST="old.example").status_code == 200
    site = Site.objects.get(root_page=clinic)
    site.hostname = "renamed.example"
    with committed():
        site.save()
    assert client.get("/", HTTP_HOST="renamed.example").status_code == 200
    assert client.get("/", HTTP_HOST="old.example").status_code == 400


def test_a_new_clinic_posts_to_its_own_origin_and_not_to_anothers():
    new_clinic("first.example")
    new_clinic("second.example")
    client = Client(enforce_csrf_checks=True)
    host = {"HTTP_HOST": "second.example", "secure": True}
    client.get("/admin/login/", **host)
    token = client.cookies["csrftoken"].value
    form = {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token}
    own = client.post("/admin/login/", form, HTTP_ORIGIN="https://second.example", **host)
    assert own.status_code == 200  # the login form again, with its error: CSRF passed
    other = client.post("/admin/login/", form, HTTP_ORIGIN="https://first.example", **host)
    assert other.status_code == 403


class RecordingBackend(BaseBackend):
    purged: list[str] = []

    def purge(self, url):
        RecordingBackend.purged.append(url)


def test_the_cdn_purges_every_sites_hostname_and_no_other(settings):
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "tests.core.test_hosts.RecordingBackend",
            "HOSTNAMES": SiteHostnames([]),
        }
    }
    new_clinic("first.example")
    RecordingBackend.purged = []  # (the new Site's own pages were purged as it was saved)
    PurgeBatch(["https://first.example/a/", "https://elsewhere.example/b/"]).purge()
    assert RecordingBackend.purged == ["https://first.example/a/"]
    new_clinic("second.example")
    RecordingBackend.purged = []
    PurgeBatch(["https://second.example/c/"]).purge()
    assert RecordingBackend.purged == ["https://second.example/c/"]


def test_the_edge_may_get_certificates_for_clinics_domains_only(client, settings):
    settings.ALLOWED_HOSTS = SiteHostnames([ADMIN_HOST, ".pattern.example"])
    new_clinic("first.example")

    def ask(domain):
        # The edge asks by address, over plain HTTP, before it has any certificate.
        return client.get("/health/certificate/", {"domain": domain}, HTTP_HOST="10.0.3.7")

    assert ask("first.example").status_code == 200
    assert "no-store" in ask("first.example")["Cache-Control"]
    assert ask("FIRST.example.").status_code == 200  # as a TLS client may send it
    assert ask(ADMIN_HOST).status_code == 200
    assert ask("unknown.example").status_code == 404
    assert ask("any.pattern.example").status_code == 404  # a pattern is not a domain
    assert ask("").status_code == 404
    new_clinic("second.example")
    assert ask("second.example").status_code == 200
