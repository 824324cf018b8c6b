"""How production and `make demo` serve: settings read in a fresh interpreter, as
gunicorn would read them from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Marked here, not only by tests/conftest.py: pytest-django orders marked tests before
# transactional ones, whose flush would leave later tests without Wagtail's root page.
pytestmark = pytest.mark.django_db

READ = """
import json, importlib

s = importlib.import_module({module!r})
db = s.DATABASES["default"]
print(json.dumps({{
    "DEBUG": s.DEBUG,
    "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
    "CONN_HEALTH_CHECKS": db.get("CONN_HEALTH_CHECKS"),
    "MIDDLEWARE": s.MIDDLEWARE,
    "STATICFILES": s.STORAGES["staticfiles"]["BACKEND"],
    "SSL_REDIRECT": getattr(s, "SECURE_SSL_REDIRECT", False),
    "HSTS": getattr(s, "SECURE_HSTS_SECONDS", 0),
    "CACHE": s.CACHES["default"]["BACKEND"],
    "ADMIN_URL": s.WAGTAILADMIN_BASE_URL,
    "CSP": {{k: [str(v) for v in vs] for k, vs in s.SECURE_CSP.items()}},
    "PAGECACHE_ENABLED": s.PAGECACHE_ENABLED,
}}))
"""


def read_settings(module: str, **env) -> dict:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "REDIS", "WAGTAILADMIN_"))
    }
    environment.update(env)
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ.format(module=module)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def test_production_keeps_database_connections_and_serves_static_files():
    settings = read_settings(
        "cms.settings.production",
        DJANGO_SECRET_KEY="x" * 50,
        REDIS_URL="redis://127.0.0.1:6379/11",
        WAGTAILADMIN_BASE_URL="https://admin.example",
    )
    assert settings["DEBUG"] is False
    assert settings["CONN_MAX_AGE"] == 600 and settings["CONN_HEALTH_CHECKS"] is True
    middleware = settings["MIDDLEWARE"]
    assert middleware[:5] == [
        "cms.health.HealthMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django_structlog.middlewares.RequestMiddleware",
        "pagecache.middleware.PageCacheMiddleware",
    ]
    assert settings["STATICFILES"].startswith("whitenoise.")
    assert settings["CACHE"].endswith("ResilientRedisCache") and settings["PAGECACHE_ENABLED"]
    assert settings["SSL_REDIRECT"] is True and settings["HSTS"] > 0


def test_the_demo_serves_like_production_on_plain_http():
    settings = read_settings("cms.settings.demo", PORT="8123")
    assert settings["DEBUG"] is False and settings["PAGECACHE_ENABLED"]
    assert settings["CONN_MAX_AGE"] == 600 and settings["CONN_HEALTH_CHECKS"] is True
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings["MIDDLEWARE"]
    assert settings["SSL_REDIRECT"] is False and settings["HSTS"] == 0
    assert settings["ADMIN_URL"] == "http://localhost:8123"
    assert settings["CACHE"].endswith("LocMemCache")
    with_redis = read_settings("cms.settings.demo", REDIS_URL="redis://127.0.0.1:6379/11")
    assert with_redis["CACHE"].endswith("ResilientRedisCache")


@pytest.mark.parametrize("module", ["cms.settings.production", "cms.settings.demo"])
def test_the_public_csp_has_no_nonce_and_no_inline(module):
    settings = read_settings(
        module,
        DJANGO_SECRET_KEY="x" * 50,
        REDIS_URL="redis://h:6379/11",
        WAGTAILADMIN_BASE_URL="https://admin.example",
    )
    for directive in ("script-src", "style-src"):
        assert settings["CSP"][directive] == ["'self'"]


def test_the_demo_sites_follow_port():
    script = "import django; django.setup(); from blog.demo import PORT; print(PORT)"
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PORT": "8123", "DJANGO_SETTINGS_MODULE": "cms.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert output.stdout.strip() == "8123"


def test_the_branded_404_with_debug_off(client, settings):
    from tests.factories import make_clinic

    settings.DEBUG = False
    make_clinic("Nova Health Recovery", slug="nova")
    response = client.get("/no-such-page/", HTTP_HOST="nova.localhost")
    assert response.status_code == 404
    assert b"Nova Health Recovery" in response.content
    assert b"URLconf" not in response.content
