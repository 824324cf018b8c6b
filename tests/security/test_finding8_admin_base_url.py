"""Issue 9, finding 8: production's WAGTAILADMIN_BASE_URL."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured


def import_production(monkeypatch):
    """cms.settings.production as a fresh process would import it (the base settings
    read the environment when imported); the modules already loaded are put back."""
    for name in ("cms.settings.production", "cms.settings.base"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    try:
        return importlib.import_module("cms.settings.production")
    finally:
        for name in ("cms.settings.production", "cms.settings.base"):
            sys.modules.pop(name, None)


def test_production_requires_the_admin_base_url(monkeypatch):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.delenv("WAGTAILADMIN_BASE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="WAGTAILADMIN_BASE_URL"):
        import_production(monkeypatch)
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "admin.clinics.example")
    with pytest.raises(ImproperlyConfigured, match="absolute URL"):
        import_production(monkeypatch)
    monkeypatch.setenv("WAGTAILADMIN_BASE_URL", "https://admin.clinics.example/")
    production = import_production(monkeypatch)
    assert production.WAGTAILADMIN_BASE_URL == "https://admin.clinics.example"
