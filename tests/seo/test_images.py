"""Article images: responsive modern formats, width and height, alt, lazy below the fold."""

from tests.factories import ImageFactory, make_library_article, paragraph
from tests.seo.conftest import soup_of


def image_block(image, alt="", decorative=False):
    return {
        "type": "image",
        "value": {"image": image.pk, "alt_text": alt, "decorative": decorative},
    }


def test_article_images_have_alt_size_and_modern_sources(nova, client):
    hero = ImageFactory(title="Hero", description="A quiet treatment room")
    body = [
        paragraph("Intro."),
        image_block(ImageFactory(), alt="A nurse talks with a patient"),
        image_block(ImageFactory(), decorative=True),
    ]
    make_library_article(title="Pictures", body=body, hero_image=hero)
    soup = soup_of(client.get("/blog/pictures/", HTTP_HOST="nova.localhost"))
    images = soup.find("main").find_all("img")
    assert len(images) == 3
    for img in images:
        assert img.has_attr("alt") and img["width"] and img["height"]
    hero_img, content_img, decorative_img = images
    assert hero_img["alt"] == "A quiet treatment room"
    assert hero_img.get("loading") != "lazy" and hero_img["fetchpriority"] == "high"
    assert content_img["alt"] == "A nurse talks with a patient"
    assert content_img["loading"] == "lazy" and decorative_img["alt"] == ""
    sources = soup.find("main").find_all("source")
    assert {s["type"] for s in sources if not s.get("media")} == {"image/avif", "image/webp"}
    # The hero's phone crop: in every format, the fallback's included.
    phone = [s["type"] for s in sources if s.get("media") == "(max-width: 35.99rem)"]
    assert phone == ["image/avif", "image/webp", "image/jpeg"]
