"""What a visitor sees: the same library article, branded by the clinic whose hostname serves it."""

from pathlib import Path

from tests.browser.conftest import BROWSER_TEST, NOVA_BRAND, THREE_RIVERS_BRAND

pytestmark = BROWSER_TEST

ARTICLE = "/blog/what-causes-ptsd/"


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_a_visitor_sees_the_article_branded_by_the_clinic(network, page, url, tmp_path):
    # Anything the browser refuses (a style or script without the CSP nonce, a missing
    # file) shows as a console error.
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(url("nova", ARTICLE))
    assert page.locator("h1").inner_text() == "What Causes PTSD?"
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == rgb(NOVA_BRAND)
    assert "Nova Health Recovery" in header.inner_text()
    button = page.locator(".cta .cta__button")
    assert button.get_attribute("href") == "https://nova.example/book"
    assert "Nova Health Recovery" in page.locator(".cta").inner_text()

    shot = Path(tmp_path) / "nova-article.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0

    page.goto(url("threerivers", ARTICLE))
    assert page.locator("h1").inner_text() == "What Causes PTSD?"
    header = page.locator(".site-header")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") == rgb(THREE_RIVERS_BRAND)
    cta = page.locator(".cta")
    assert "Three Rivers Wellness" in cta.inner_text()
    assert "Nova" not in cta.inner_text()
    assert cta.locator(".cta__button").get_attribute("href") == "https://threerivers.example/book"
    shot = Path(tmp_path) / "threerivers-article.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0
    assert errors == []


def test_a_missing_page_is_branded_by_the_clinic(network, page, url):
    response = page.goto(url("threerivers", "/no-such-page/"))
    assert response.status == 404
    assert "find that page" in page.locator("h1").inner_text()
    assert "Three Rivers Wellness" in page.locator("main").inner_text()
    assert "Nova" not in page.content()


def test_breadcrumbs_share_the_text_s_left_edge_and_phone_numbers_never_wrap(
    network, page, url, tmp_path
):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url("nova", ARTICLE))
        crumbs = page.locator(".breadcrumbs li").first.bounding_box()
        heading = page.locator("h1").bounding_box()
        paragraph = page.locator(".article__body p").first.bounding_box()
        assert round(crumbs["x"]) == round(heading["x"]) == round(paragraph["x"]), width
        phone = page.locator(".cta__text a[href='tel:5035550140']")
        assert phone.inner_text() == "(503) 555-0140"
        assert phone.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
        # One line box: the number is not broken across lines.
        assert phone.evaluate("el => el.getClientRects().length") == 1
        page.screenshot(path=str(Path(tmp_path) / f"nova-article-{width}.png"), full_page=True)
