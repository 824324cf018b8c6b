"""Each brand its own: a clinic's type pairing, home layout, logo and images, from its
facts, through one base.html; the images in responsive renditions, the hero preloaded."""

import io

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from wagtail.models import Collection

from blog import demo_images
from blog.models import ClinicArticlePage
from clinics.brand import IMAGE_SLOTS, OLD_STYLE_SERIF, ROUNDED_SANS, TYPE_PAIRINGS
from tests.factories import ImageFactory, committed, make_library_article

pytestmark = pytest.mark.django_db
NOVA, THREE_RIVERS = "nova.localhost", "threerivers.localhost"


def soup(client, path, host):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    with committed():
        page.save_revision().publish()


def image_in(clinic, **kwargs):
    return ImageFactory(collection=Collection.objects.get(name=clinic.title), **kwargs)


@pytest.fixture
def branded(nova, three_rivers):
    publish(nova, type_pairing="friendly", home_layout="split", hero_image=image_in(nova))
    publish(
        three_rivers,
        type_pairing="classic",
        home_layout="banner",
        hero_image=image_in(three_rivers),
        logo=image_in(three_rivers),
    )
    return nova, three_rivers


def test_each_clinic_s_stylesheet_sets_its_type_pairing(client, branded):
    nova, three_rivers = branded
    for clinic, host, stack in ((nova, NOVA, ROUNDED_SANS), (three_rivers, THREE_RIVERS, None)):
        link = soup(client, "/", host).find("link", href=lambda h: h and "brand.css" in h)
        assert link["href"] == f"/brand.css?v={clinic.brand_version}"
        assert clinic.type_pairing in link["href"]  # a new pairing is a new URL
        css = client.get(link["href"], HTTP_HOST=host)
        assert "immutable" in css["Cache-Control"]
        pairing = TYPE_PAIRINGS[clinic.type_pairing]
        body = css.content.decode()
        assert f"--font-heading:{pairing.heading};" in body
        assert f"--font-body:{pairing.body};" in body
        if stack:
            assert stack in body
    assert OLD_STYLE_SERIF in client.get("/brand.css", HTTP_HOST=THREE_RIVERS).content.decode()
    # An older URL (other colours or pairing) is served, but not cached for a year.
    stale = client.get("/brand.css?v=1d4f918a3b12system", HTTP_HOST=THREE_RIVERS)
    assert "immutable" not in stale["Cache-Control"]


@pytest.mark.usefixtures("branded")
def test_the_home_page_takes_the_clinic_s_layout_and_preloads_its_hero(client):
    for host, layout in ((NOVA, "split"), (THREE_RIVERS, "banner")):
        page = soup(client, "/", host)
        hero = page.select_one("section.hero")
        assert f"hero--{layout}" in hero["class"] and "hero--with-image" in hero["class"]
        picture = hero.select_one(".hero__image picture")
        types = [source["type"] for source in picture.find_all("source")]
        assert types == ["image/avif", "image/webp"]
        img = picture.find("img")
        slot = IMAGE_SLOTS[f"home-{layout}"]
        assert img["width"] and img["height"] and img["alt"] == ""
        assert img["sizes"] == slot.sizes_attr and img["fetchpriority"] == "high"
        assert img["src"].endswith(".jpg") and len(img["srcset"].split(", ")) == 3
        # The preload names exactly the AVIF renditions the picture offers.
        preload = page.head.find("link", rel="preload")
        assert preload["as"] == "image" and preload["type"] == "image/avif"
        assert preload["imagesrcset"] == picture.find("source", type="image/avif")["srcset"]
        assert preload["imagesizes"] == slot.sizes_attr


def test_a_home_page_without_a_hero_image_has_no_picture_and_no_preload(client, nova):
    page = soup(client, "/", NOVA)
    assert page.select_one(".hero picture") is None
    assert page.head.find("link", rel="preload") is None
    assert "hero--with-image" not in page.select_one("section.hero")["class"]


def test_the_logo_is_in_the_header_beside_the_name(client, branded):
    nova, three_rivers = branded
    brand = soup(client, "/blog/", THREE_RIVERS).select_one(".site-header .brand")
    img = brand.select_one("picture img.brand__logo")
    # Decorative next to the clinic's name, which is the link's text.
    assert img["alt"] == "" and brand.get_text(strip=True) == "Three Rivers Wellness"
    assert (img["width"], img["height"]) == ("48", "48")
    assert img["src"].endswith(".png")  # transparency kept in the fallback
    assert soup(client, "/blog/", NOVA).select_one(".site-header .brand picture") is None


def test_cards_show_the_copy_s_own_image_else_the_library_s(client, branded):
    nova, three_rivers = branded
    library_image = ImageFactory(title="Library hero")
    with committed():
        article = make_library_article(title="Sleep and Recovery", hero_image=library_image)
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    own = image_in(three_rivers, title="Rivers hero")
    publish(copy, hero_image_override=own)

    def card_image(host, path):
        img = soup(client, path, host).select_one(".card .card__image img")
        return img

    for path in ("/", "/blog/"):
        nova_img, rivers_img = card_image(NOVA, path), card_image(THREE_RIVERS, path)
        assert (
            f"/images/{library_image.file.name.split('/')[-1].split('.')[0]}" in (nova_img["src"])
        )
        assert f"/images/{own.file.name.split('/')[-1].split('.')[0]}" in rivers_img["src"]
        assert nova_img["alt"] == "" and nova_img["width"] and nova_img["height"]
        assert nova_img["sizes"] == IMAGE_SLOTS["card"].sizes_attr
    # Below the fold on the home page; the blog's first card may be its largest paint.
    assert card_image(NOVA, "/")["loading"] == "lazy"
    assert not card_image(NOVA, "/blog/").has_attr("loading")


def test_the_article_hero_is_preloaded_with_its_avif_renditions_per_crop(client, nova):
    large = ImageFactory(file__width=1920, file__height=1080)
    make_library_article(title="Pictured", hero_image=large)
    page = soup(client, "/blog/pictured/", NOVA)
    hero = page.select_one(".article__hero")
    assert hero.img["fetchpriority"] == "high" and hero.img["alt"]
    # Phones get a 4:3 crop (sources with their own media and size), wider screens 16:9.
    narrow = hero.select("source[media='(max-width: 35.99rem)']")
    assert [s["type"] for s in narrow] == ["image/avif", "image/webp", "image/jpeg"]
    assert (narrow[0]["width"], narrow[0]["height"]) == ("480", "360")
    assert (hero.img["width"], hero.img["height"]) == ("480", "270")
    wide_avif = hero.find("source", type="image/avif", media=None)["srcset"]
    preloads = {link.get("media"): link for link in page.head.find_all("link", rel="preload")}
    assert set(preloads) == {"(max-width: 35.99rem)", "(min-width: 36rem)"}
    assert preloads["(max-width: 35.99rem)"]["imagesrcset"] == narrow[0]["srcset"]
    assert preloads["(min-width: 36rem)"]["imagesrcset"] == wide_avif
    assert all(link["type"] == "image/avif" for link in preloads.values())


def test_a_clinic_editor_cannot_use_another_clinic_s_image_as_hero(client, branded):
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from tests.factories import UserFactory

    nova, three_rivers = branded
    editor = UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])
    client.force_login(editor)
    theirs = three_rivers.hero_image
    fields = {
        "title": nova.title,
        "slug": nova.slug,
        "brand_colour": nova.brand_colour,
        "accent_colour": nova.accent_colour,
        "type_pairing": "editorial",
        "home_layout": "banner",
        "country": nova.country,
        "syndication_mode": nova.syndication_mode,
        "medical_disclaimer": nova.medical_disclaimer,
        "opening_hours": streamfield([]),
        "social_links": streamfield([]),
        "sections": streamfield([]),
    }
    edit = reverse("wagtailadmin_pages:edit", args=[nova.pk])
    response = client.post(edit, nested_form_data({**fields, "hero_image": theirs.pk}))
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()
    nova.refresh_from_db()
    assert nova.hero_image_id != theirs.pk and nova.type_pairing == "friendly"
    # Their own image, with a new pairing and layout, saves (as a revision).
    ours = image_in(nova)
    response = client.post(edit, nested_form_data({**fields, "hero_image": ours.pk}))
    assert response.status_code == 302
    draft = type(nova).objects.get(pk=nova.pk).get_latest_revision_as_object()
    assert (draft.hero_image_id, draft.type_pairing, draft.home_layout) == (
        ours.pk,
        "editorial",
        "banner",
    )
    # And the brand tab is another clinic's to edit only: 403/404 on Three Rivers.
    other = client.get(reverse("wagtailadmin_pages:edit", args=[three_rivers.pk]))
    assert other.status_code in (302, 403, 404)


def test_the_demo_images_are_drawn_the_same_every_time():
    first = demo_images.circles_hero("#1d4f91", "#1d5e8c", "nova")
    assert first == demo_images.circles_hero("#1d4f91", "#1d5e8c", "nova")
    assert first != demo_images.circles_hero("#1d4f91", "#1d5e8c", "another seed")
    assert demo_images.waves_logo("#0f5c4c", "#8a3b12") == demo_images.waves_logo(
        "#0f5c4c", "#8a3b12"
    )
    with Image.open(io.BytesIO(first)) as hero:
        assert (hero.format, hero.size) == ("JPEG", demo_images.HERO)
    with Image.open(io.BytesIO(demo_images.star_logo("#1d4f91", "#1d5e8c"))) as logo:
        assert (logo.format, logo.size, logo.mode) == ("PNG", (512, 512), "RGBA")
        assert logo.getpixel((0, 0))[3] == 0  # transparent outside the disc
        assert logo.getpixel((256, 256))[:3] != (255, 255, 255)  # the mark at its heart
