"""Browser tests: Debian's chromium driven through Playwright against pytest-django's live server.

The live server needs a transactional database: what a test creates must be committed
for the server's thread to see it. A transactional test ends with a flush, which also
removes what Wagtail's migrations created (the root page, the root collection, the
default locale, the default workflow); `serialized_rollback` restores that state before
each test, so every browser test starts from the migrated database, like the others.
"""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.db import connections

from tests.factories import CallToActionFactory, UserFactory, make_clinic, make_library_article

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's; never a downloaded one
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Every clinic hostname (nova.localhost, threerivers.localhost…) reaches the live server.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]
NOVA_BRAND = "#1d4f91"
THREE_RIVERS_BRAND = "#0b5e3c"

# Every browser test module starts with `pytestmark = BROWSER_TEST`.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(
        shutil.which("chromium") is None,
        reason="chromium is not installed (apt-get install -y chromium): browser tests skipped",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(db):
    """Chromium, launched for one test (about a second).

    Not shared across tests on purpose: while Playwright's sync API runs, this thread
    has an event loop and its own context, in which Django hands out fresh database
    connections. Started after the database fixtures and stopped before their teardown,
    Playwright leaves the connection that carries the serialized migrated state alone,
    so `serialized_rollback` restores it before every test.
    """
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with pytest.MonkeyPatch.context() as patch, sync_api.sync_playwright() as playwright:
        # The tests' own ORM calls are synchronous; the event loop is Playwright's.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
        # Close the connections opened in Playwright's context, or PostgreSQL refuses to
        # drop the test database at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def port(live_server):
    return live_server.thread.port


@pytest.fixture
def network(port):
    """Two clinics on `<slug>.localhost:<live server port>` carrying one library article."""
    cta = CallToActionFactory(name="Book a visit", button_label="Book with {clinic}")
    nova = make_clinic(
        "Nova Health Recovery",
        slug="nova",
        city="Portland",
        phone="(503) 555-0140",
        brand_colour=NOVA_BRAND,
        default_call_to_action=cta,
        port=port,
    )
    three_rivers = make_clinic(
        "Three Rivers Wellness",
        slug="threerivers",
        city="Pittsburgh",
        phone="(412) 555-0175",
        brand_colour=THREE_RIVERS_BRAND,
        default_call_to_action=cta,
        port=port,
    )
    article = make_library_article(
        "What Causes PTSD?",
        body=[
            {"type": "heading", "value": "Trauma", "id": "b-heading"},
            {
                "type": "paragraph",
                "value": "<p>Trauma is the most significant risk factor for PTSD.</p>",
                "id": "b-trauma",
            },
            {
                "type": "paragraph",
                "value": "<p>Genetics may play a role too.</p>",
                "id": "b-genetics",
            },
        ],
    )
    return {"nova": nova, "three_rivers": three_rivers, "article": article}


@pytest.fixture
def url(port):
    def build(slug: str, path: str = "/") -> str:
        return f"http://{slug}.localhost:{port}{path}"

    return build


@pytest.fixture
def editor_of():
    def make(clinic):
        return UserFactory(groups=[Group.objects.get(name=f"{clinic.title} editors")])

    return make


@pytest.fixture
def login(url):
    def log_in(page, user, slug="nova"):
        page.goto(url(slug, "/admin/login/"))
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/admin/")

    return log_in
