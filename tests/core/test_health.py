"""The health endpoints in the test process: any host, plain HTTP, never cached, never a
clinic page; readiness fails with the check that failed. tests/integration/test_health.py
takes the database away from a running server."""

import json

import pytest
import redis
from django.conf import settings as django_settings

from cms.health import Migrations

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def production_like(settings):
    """Hosts, the HTTPS redirect and the page cache as production has them."""
    settings.ALLOWED_HOSTS = ["nova.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.PAGECACHE_ENABLED = True
    settings.REDIS_URL = ""
    Migrations.applied = False
    yield
    Migrations.applied = False


@pytest.fixture
def queue_redis(settings):
    client = redis.Redis.from_url(django_settings.TEST_REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {django_settings.TEST_REDIS_URL}")
    settings.REDIS_URL = django_settings.TEST_REDIS_URL


def assert_never_cached(response):
    assert "no-store" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]
    assert "X-Page-Cache" not in response  # the page cache never saw it


@pytest.mark.parametrize("host", ["10.0.3.7", "10.0.3.7:8000", "unknown.example", "[::1]"])
def test_liveness_answers_on_any_host_over_plain_http(client, host):
    response = client.get("/health/live/", HTTP_HOST=host, **JSON)
    assert response.status_code == 200
    assert response.json() == {}  # no check: the database is never asked
    assert_never_cached(response)
    # The same host and scheme on a page: refused by the host check, as it should be.
    assert client.get("/", HTTP_HOST=host).status_code == 400


def test_liveness_asks_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/", HTTP_HOST="10.0.3.7", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    # Plain text, never the library's HTML page (whose context processors read the clinic).
    assert response["Content-Type"].startswith("text/plain")


def test_health_on_a_clinic_domain_is_not_a_clinic_page(client, nova, settings):
    settings.ALLOWED_HOSTS = [".localhost"]
    response = client.get("/health/live/", HTTP_HOST="nova.localhost", **JSON)
    assert response.status_code == 200 and response.json() == {}
    assert_never_cached(response)


def test_readiness_checks_database_redis_and_migrations(client, queue_redis):
    response = client.get("/health/ready/", HTTP_HOST="10.0.3.7", **JSON)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Redis": "OK",
        "Migrations(alias='default')": "OK",
    }
    assert_never_cached(response)
    assert Migrations.applied  # asked once per process


def test_readiness_fails_while_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/ready/", HTTP_HOST="10.0.3.7", **JSON)
    assert response.status_code == 500
    results = response.json()
    assert results["Redis"].startswith("Unavailable")
    assert results["Database(alias='default')"] == "OK"
    assert "127.0.0.1" not in response.content.decode()  # no address on a public endpoint


def test_readiness_fails_while_a_migration_is_not_applied(client, settings):
    settings.MIGRATION_MODULES = {"pagecache": "tests.core.unapplied_migrations"}
    response = client.get("/health/ready/", HTTP_HOST="10.0.3.7", **JSON)
    assert response.status_code == 500
    assert json.loads(response.content)["Migrations(alias='default')"] == (
        "Unavailable: 1 migration(s) not applied"
    )
    assert not Migrations.applied


def test_a_post_to_a_health_path_is_not_answered_by_it(client):
    # Only GET and HEAD: anything else goes through the whole chain (here, the host check).
    assert client.post("/health/live/", HTTP_HOST="10.0.3.7").status_code == 400
