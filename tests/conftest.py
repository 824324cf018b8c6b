import pytest
from django.db import transaction
from wagtail.models import Page, Site

from tests.factories import make_clinic


@pytest.fixture(autouse=True)
def _no_default_site(db):
    """Start from a bare tree: no Welcome page, no catch-all Site."""
    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()


@pytest.fixture(autouse=True)
def _on_commit_runs_at_once(monkeypatch):
    """Each test runs inside a transaction that never commits; run on_commit callbacks
    (syndication is enqueued on commit) at once, as autocommit would."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def nova(db):
    return make_clinic("Nova Health Recovery", slug="nova", city="Portland", phone="(503) 555-0140")


@pytest.fixture
def three_rivers(db):
    return make_clinic(
        "Three Rivers Wellness", slug="threerivers", city="Pittsburgh", phone="(412) 555-0175"
    )
