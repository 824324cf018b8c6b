"""Fixtures for the suite. Tests under tests/textreview/ exercise the Django-free text
engine: they get no database and run without Django (`make test-engine`). Every
other test runs with the database and starts from a bare page tree."""

from pathlib import Path

import pytest

ENGINE_TESTS = Path(__file__).parent / "textreview"


# Before pytest-django's own hook (registered earlier, so called later), which sorts the
# database tests before the transactional ones by these markers.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if ENGINE_TESTS not in Path(item.path).parents and not item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _bare_tree(request):
    """Start from a bare tree: no Welcome page, no catch-all Site."""
    if request.node.get_closest_marker("django_db") is None:
        return
    from wagtail.models import Page, Site

    Site.objects.all().delete()
    Page.objects.filter(depth__gt=1).delete()
    # An earlier test's rows are rolled back, and their ids are used again: what the
    # in-process caches kept of them must go with them (Wagtail caches renditions by image
    # id and file hash, which factory images leave empty; the page cache keeps pages).
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for cache in caches.all():
        if isinstance(cache, LocMemCache):
            cache.clear()


@pytest.fixture
def nova(db):
    from tests.factories import make_clinic

    return make_clinic("Nova Health Recovery", slug="nova", city="Portland", phone="(503) 555-0140")


@pytest.fixture
def three_rivers(db):
    from tests.factories import make_clinic

    return make_clinic(
        "Three Rivers Wellness", slug="threerivers", city="Pittsburgh", phone="(412) 555-0175"
    )
