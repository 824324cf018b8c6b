"""Every public template of both demo clinics in Chromium at 390 and 1280 px, with the
demo's own images, saved as screenshots under test-artifacts/screenshots/ (not in git),
plus one image of the two home pages side by side.

Each page is checked as a visitor gets it: the logo and the page's hero or card images
loaded (AVIF chosen where the browser takes it), nothing wider than a phone's screen,
no console error, and the two brands set in different type and home layouts.
"""

from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Site

from blog.demo import load_demo
from blog.demo_pages import DEMO_PAGES as PAGES
from clinics.brand import OLD_STYLE_SERIF, ROUNDED_SANS
from tests.browser.conftest import BROWSER_TEST

pytestmark = BROWSER_TEST

SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
WIDTHS = (390, 1280)
CLINICS = {"nova": "#1d4f91", "threerivers": "#0f5c4c"}  # the demo's brand colours


def page_path(clinic: str, name: str) -> str:
    if PAGES[name] is not None:
        return PAGES[name]
    from clinics.models import TeamMemberPage

    home = Site.objects.get(hostname=f"{clinic}.localhost").root_page
    return TeamMemberPage.objects.live().descendant_of(home).first().get_url_parts()[2]


# The image that leads each page, where it has one.
LEAD_IMAGE = {
    "home": ".hero__image img",
    "blog": ".card__image img",
    "article": ".article__hero img",
}


@pytest.fixture
def demo(port):
    """The demo network (`manage.py load_demo`, images included) on the live server."""
    assert load_demo() is True
    Site.objects.update(port=port)


def loaded(page, selector: str) -> dict:
    """The image's natural size and the file the browser chose, once it has loaded."""
    image = page.locator(selector).first
    image.scroll_into_view_if_needed()
    image.evaluate("img => img.decode()")
    return image.evaluate(
        "img => ({width: img.naturalWidth, height: img.naturalHeight, src: img.currentSrc, "
        "attrWidth: img.getAttribute('width'), attrHeight: img.getAttribute('height')})"
    )


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def test_every_template_of_both_clinics_at_390_and_1280_px(demo, browser, url):
    from PIL import Image

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    fonts, home_shots = {}, {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        for clinic in CLINICS:
            for name in PAGES:
                path = page_path(clinic, name)
                where = f"{clinic} {name} at {width} px"
                errors.clear()
                response = page.goto(url(clinic, path), wait_until="load")
                assert response.status == (404 if name == "404" else 200), where

                logo = loaded(page, ".brand__logo")
                assert logo["width"] > 0 and logo["attrWidth"] == "48", where
                if name in LEAD_IMAGE:
                    lead = loaded(page, LEAD_IMAGE[name])
                    assert lead["width"] > 0, where
                    assert lead["src"].endswith(".avif"), (where, lead["src"])
                    assert lead["attrWidth"] and lead["attrHeight"], where
                if name in ("home", "article"):
                    # The hero is preloaded: the file shown is named in the head.
                    preloaded = page.eval_on_selector_all(
                        "link[rel=preload][as=image]",
                        "links => links.filter(l => matchMedia(l.media || 'all').matches)"
                        ".map(l => l.imageSrcset).join(' ')",
                    )
                    assert lead["src"].rsplit("/", 1)[1] in preloaded, where
                if name == "article":
                    # 4:3 on a phone, 16:9 wider.
                    ratio = 4 / 3 if width == 390 else 16 / 9
                    assert abs(lead["width"] / lead["height"] - ratio) < 0.01, where

                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow == 0, f"{where}: {overflow} px wider than the screen"
                # The 404 page's own status is the only failed request it may log.
                assert [e for e in errors if not (name == "404" and "404" in e)] == [], where

                header = page.locator(".site-header")
                background = header.evaluate("el => getComputedStyle(el).backgroundColor")
                assert background == "rgb({}, {}, {})".format(*rgb(CLINICS[clinic])), where
                fonts[clinic] = page.locator("h1").evaluate("el => getComputedStyle(el).fontFamily")

                shot = SCREENSHOTS / f"{clinic}-{name}-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                with Image.open(shot) as image:
                    assert image.width == width, where
                    # Not a blank page: the header's brand colour is in it.
                    assert image.convert("RGB").getpixel((2, 2)) == rgb(CLINICS[clinic]), where
                if name == "home" and width == 1280:
                    page.evaluate("window.scrollTo(0, 0)")
                    home_shots[clinic] = SCREENSHOTS / f"{clinic}-home-viewport.png"
                    page.screenshot(path=str(home_shots[clinic]))

            if width == 1280:
                # The home layouts: Nova's words beside its image, Three Rivers' below it.
                page.goto(url(clinic, "/"))
                image = page.locator(".hero__image img").bounding_box()
                heading = page.locator(".hero h1").bounding_box()
                if clinic == "nova":
                    assert image["x"] > heading["x"] + heading["width"] / 2
                else:
                    assert image["y"] + image["height"] <= heading["y"]
        context.close()

    # Two type pairings: Nova's rounded headings, Three Rivers' old-style serif.
    assert fonts["nova"] != fonts["threerivers"]
    assert fonts["nova"].startswith(ROUNDED_SANS.split(",")[0])
    assert fonts["threerivers"].startswith(OLD_STYLE_SERIF.split(",")[0])

    side_by_side(home_shots)


def side_by_side(shots: dict[str, Path]) -> None:
    """The two home pages next to each other on a grey ground: two brands at a glance."""
    from PIL import Image

    gap = 24
    images = [Image.open(shots[clinic]).convert("RGB") for clinic in CLINICS]
    width = sum(i.width for i in images) + gap * (len(images) + 1)
    height = max(i.height for i in images) + 2 * gap
    sheet = Image.new("RGB", (width, height), (200, 200, 200))
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    out = SCREENSHOTS / "home-side-by-side.png"
    sheet.save(out, optimize=True)
    with Image.open(out) as saved:
        assert saved.size == (width, height)
        # Each half shows its clinic's header colour.
        left = saved.getpixel((gap + 2, gap + 2))
        right = saved.getpixel((gap * 2 + images[0].width + 2, gap + 2))
    assert (left, right) == (rgb(CLINICS["nova"]), rgb(CLINICS["threerivers"]))
