"""A visitor finds their way round a clinic's pages in Chromium: the home page's
questions, the search from the main navigation, and the author's page from the byline."""

from clinics.models import ClinicHomePage
from tests.browser.conftest import BROWSER_TEST
from tests.factories import PersonFactory, committed

pytestmark = BROWSER_TEST


def test_a_visitor_searches_reads_the_faq_and_meets_the_author(network, page, url):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    article = network["article"]
    article.author = PersonFactory(name="Ana Ruiz", credentials="PhD", bio="Writes on trauma.")
    with committed():
        article.save_revision().publish()
    nova = ClinicHomePage.objects.get(pk=network["nova"].pk)
    nova.sections = [
        {
            "type": "faq",
            "value": {
                "heading": "Questions",
                "questions": [{"question": "Is parking free?", "answer": "Yes, behind us."}],
            },
        }
    ]
    with committed():
        nova.save_revision().publish()

    page.goto(url("nova", "/"))
    answer = page.get_by_text("Yes, behind us.")
    assert not answer.is_visible()
    page.get_by_text("Is parking free?").click()
    assert answer.is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Search this site").fill("genetics")
    page.get_by_role("button", name="Search").click()
    assert "genetics" in page.url
    page.locator(".search__results").get_by_role("link", name="What Causes PTSD?").click()
    assert page.locator("h1").inner_text() == "What Causes PTSD?"

    page.locator(".article__byline").get_by_role("link", name="Ana Ruiz").click()
    assert page.url == url("nova", "/people/ana-ruiz/")
    assert page.locator("h1").inner_text().startswith("Ana Ruiz")
    assert "Writes on trauma." in page.locator("main").inner_text()
    assert errors == []
