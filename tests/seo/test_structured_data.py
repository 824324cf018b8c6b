"""One JSON-LD @graph per page, linked by @id."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateformat import format as date_format

from seo.metadata import LOGO_SPEC, OG_IMAGE_SPEC
from tests.factories import approve, committed
from tests.seo.conftest import ARTICLE, NOVA, THREE_RIVERS, copy_of, head, node


def demo_reviewer():
    return get_user_model().objects.get(username="medical-reviewer")


def test_the_demo_names_its_reviewer_on_both_clinics(demo, client):
    for host in (NOVA, THREE_RIVERS):
        response = client.get(ARTICLE, HTTP_HOST=host)
        page = node(head(response)["graph"], "MedicalWebPage")
        assert page["reviewedBy"]["name"] == "Dana Whitfield", host
        assert page["lastReviewed"] == timezone.localdate().isoformat(), host
        byline = head(response)["soup"].find(class_="article__byline").get_text(" ", strip=True)
        assert "Medically reviewed by Dana Whitfield, MD, psychiatrist on" in byline, host


def test_article_graph_has_every_field_google_and_medical_pages_need(demo, client):
    source = copy_of(demo["nova"]).source
    source.references = [
        (
            "reference",
            {
                "title": "PTSD review",
                "authors": "Yehuda R",
                "year": 2015,
                "publication": "Nat Rev Dis Primers",
                "url": "https://doi.org/10.1038/x",
            },
        )
    ]
    with committed():
        source.save_revision().publish()
    # The edit went live without a reviewer: the page no longer claims a review.
    graph = head(client.get(ARTICLE, HTTP_HOST=THREE_RIVERS))["graph"]
    assert "reviewedBy" not in node(graph, "MedicalWebPage")
    assert "lastReviewed" not in node(graph, "MedicalWebPage")
    approve(source, demo_reviewer())
    graph = head(client.get(ARTICLE, HTTP_HOST=THREE_RIVERS))["graph"]
    root = f"http://{THREE_RIVERS}"
    ids = {n["@id"] for n in graph}
    assert [n["@type"] for n in graph] == [
        "WebSite",
        "MedicalClinic",
        "MedicalWebPage",
        "BlogPosting",
        "BreadcrumbList",
    ]
    page = node(graph, "MedicalWebPage")
    assert page["@id"] == f"{root}{ARTICLE}#webpage"
    assert page["about"] == {"@type": "MedicalCondition", "name": "Post-traumatic stress disorder"}
    assert page["reviewedBy"]["name"] == "Dana Whitfield"
    assert page["reviewedBy"]["hasCredential"]["name"] == "MD, psychiatrist"
    assert page["lastReviewed"] == timezone.localdate().isoformat()
    assert page["author"]["name"] == "Clinical content team" and page["author"]["url"]
    assert page["datePublished"] and page["dateModified"] >= page["datePublished"]
    assert page["citation"] == [
        {
            "@type": "CreativeWork",
            "name": "PTSD review",
            "author": "Yehuda R",
            "publisher": "Nat Rev Dis Primers",
            "datePublished": "2015",
            "url": "https://doi.org/10.1038/x",
        }
    ]
    for link in ("mainEntity", "breadcrumb", "isPartOf", "publisher"):
        assert page[link]["@id"] in ids
    posting = node(graph, "BlogPosting")
    assert posting["headline"] == "What Causes PTSD?"
    # Three Rivers' own image for its copy (the demo's override), not the library's.
    override = copy_of(demo["three_rivers"]).hero_image_override
    assert override is not None and override != source.hero_image
    assert posting["image"] == [root + override.get_rendition(OG_IMAGE_SPEC).url]
    clinic = node(graph, "MedicalClinic")
    logo = demo["three_rivers"].logo.get_rendition(LOGO_SPEC)
    assert clinic["logo"] == {
        "@type": "ImageObject",
        "url": root + logo.url,
        "width": 512,
        "height": 512,
    }
    assert clinic["logo"]["url"].endswith(".png")
    assert posting["author"][0]["url"] and posting["datePublished"] and posting["dateModified"]
    assert posting["mainEntityOfPage"] == {"@id": page["@id"]}
    # dateModified counts the library edit just made
    source.refresh_from_db()
    assert posting["dateModified"] >= source.last_published_at.isoformat()


def test_clinic_node_carries_the_clinic_facts(demo, client):
    clinic = demo["nova"]
    clinic.latitude, clinic.longitude = Decimal("45.5231"), Decimal("-122.6765")
    clinic.social_links = [("link", "https://social.example/nova")]
    clinic.logo = None  # without a logo image, the favicon is the logo
    with committed():
        clinic.save_revision().publish()
    graph = head(client.get("/", HTTP_HOST=NOVA))["graph"]
    data = node(graph, "MedicalClinic")
    assert data["@id"] == f"http://{NOVA}/#clinic"
    assert data["name"] == "Nova Health Recovery" and data["telephone"] == "(503) 555-0140"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "US",
        "streetAddress": "100 Harbor Way",
        "addressLocality": "Portland",
        "addressRegion": "OR",
        "postalCode": "97201",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 45.5231, "longitude": -122.6765}
    assert data["openingHoursSpecification"][0]["opens"] == "08:00"
    assert "https://schema.org/Friday" in data["openingHoursSpecification"][0]["dayOfWeek"]
    assert data["sameAs"] == ["https://social.example/nova"]
    assert data["logo"]["url"] == f"http://{NOVA}/favicon.svg"
    assert node(graph, "WebPage")["about"] == {"@id": data["@id"]}


def test_breadcrumb_list_matches_the_visible_breadcrumbs(demo, client):
    graph = head(client.get(ARTICLE, HTTP_HOST=NOVA))["graph"]
    items = node(graph, "BreadcrumbList")["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in items] == [
        (1, "Home", f"http://{NOVA}/"),
        (2, "Blog", f"http://{NOVA}/blog/"),
        (3, "What Causes PTSD?", f"http://{NOVA}{ARTICLE}"),
    ]
    blog = head(client.get("/blog/", HTTP_HOST=NOVA))["graph"]
    assert node(blog, "CollectionPage")["breadcrumb"]["@id"] == f"http://{NOVA}/blog/#breadcrumb"


def test_jsonld_cannot_break_out_of_its_script(nova, client):
    from tests.factories import make_library_article

    make_library_article(title="A </script><b>bold</b> title", slug="escape")
    html = client.get("/blog/escape/", HTTP_HOST="nova.localhost").content.decode()
    script = html.split('<script type="application/ld+json"', 1)[1].split("</script>", 1)[0]
    assert "<b>" not in script and "\\u003c/script\\u003e" in script


def test_reviewer_last_review_and_references_are_visible_too(demo, client):
    source = copy_of(demo["nova"]).source
    source.references = [("reference", {"title": "PTSD review", "year": 2015})]
    with committed():
        source.save_revision().publish()
    soup = head(client.get(ARTICLE, HTTP_HOST=NOVA))["soup"]
    assert "Medically reviewed" not in soup.find(class_="article__byline").get_text()
    approve(source, demo_reviewer())
    soup = head(client.get(ARTICLE, HTTP_HOST=NOVA))["soup"]
    byline = soup.find(class_="article__byline").get_text(" ", strip=True)
    today = date_format(timezone.localdate(), "F j, Y")
    assert f"Medically reviewed by Dana Whitfield, MD, psychiatrist on {today}" in byline
    references = soup.find("section", class_="references")
    assert references.find("h2").get_text() == "References"
    assert "PTSD review" in references.find("ol").get_text()
