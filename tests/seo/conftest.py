import json

import pytest
from bs4 import BeautifulSoup

from blog.demo import load_demo
from blog.models import ClinicArticlePage
from clinics.models import ClinicHomePage
from tests.factories import committed

NOVA = "nova.localhost:8000"
THREE_RIVERS = "threerivers.localhost:8000"
ARTICLE = "/blog/what-causes-ptsd/"


@pytest.fixture
def demo(db):
    with committed():
        assert load_demo() is True
    return {
        "nova": ClinicHomePage.objects.get(slug="nova-health-recovery"),
        "three_rivers": ClinicHomePage.objects.get(slug="three-rivers-wellness"),
    }


def copy_of(clinic, source=None) -> ClinicArticlePage:
    copies = ClinicArticlePage.objects.descendant_of(clinic)
    return copies.get(source=source) if source is not None else copies.get()


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def head(response) -> dict:
    soup = soup_of(response)

    def meta(**attrs):
        tag = soup.find("meta", attrs=attrs)
        return tag["content"] if tag else None

    canonical = soup.find("link", rel="canonical")
    script = soup.find("script", type="application/ld+json")
    return {
        "title": soup.title.get_text(),
        "description": meta(name="description"),
        "robots": meta(name="robots"),
        "canonical": canonical["href"] if canonical else None,
        "og:image": meta(property="og:image"),
        "og:title": meta(property="og:title"),
        "twitter:card": meta(name="twitter:card"),
        "graph": json.loads(script.string)["@graph"] if script else [],
        "h1": len(soup.find_all("h1")),
        "soup": soup,
    }


def node(graph, kind):
    return next(n for n in graph if n["@type"] == kind)
