"""Reports → Network matrix: each clinic's copy of each library article, its state,
changes, stale changes, similarity and canonical choice, read from stored rows in the
same number of queries at any network size; the central team's only."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import BodyOverride, ClinicArticlePage
from clinics.provisioning import provision_central_team
from tests.factories import (
    UserFactory,
    add_override,
    committed,
    get_library,
    make_clinic,
    make_library_article,
    paragraph,
)

URL = "/admin/reports/network-matrix/"


@pytest.fixture
def central(client, db):
    client.force_login(UserFactory(groups=[provision_central_team(get_library())]))
    return client


@pytest.fixture
def network(nova, three_rivers):
    article = make_library_article(body=[paragraph("Trauma matters.", "b1")])
    tr_copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    add_override(tr_copy, "b1", BodyOverride.Action.REPLACE, [paragraph("Our own words.")])
    library = article.get_latest_revision_as_object()
    library.body = [paragraph("Trauma matters a great deal.", "b1")]
    with committed():
        library.save_revision().publish()
    nova_copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    draft = nova_copy.get_latest_revision_as_object()
    draft.title_override = "Nova's draft"
    draft.save_revision()
    manual = make_clinic("Manual Clinic", slug="manual", syndication_mode="manual")
    return article, nova_copy, tr_copy, manual


def cell(soup, copy):
    return soup.select_one(f'td[data-copy="{copy.pk}"]')


def test_each_cell_shows_the_copys_state_from_the_stored_rows(central, network):
    article, nova_copy, tr_copy, manual = network
    response = central.get(URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert cell(soup, nova_copy)["data-cell-state"] == "draft"
    tr = cell(soup, tr_copy)
    assert tr["data-cell-state"] == "live"
    text = " ".join(tr.get_text().split())
    assert "1 change, 1 stale" in text
    # The library's edit conflicts with Three Rivers' words: stored by the job, counted.
    merges = " ".join(tr.select_one("[data-cell-merges]").get_text().split())
    assert merges == "Library corrections: 0 merged, 0 waiting in a draft, 1 in conflict"
    assert cell(soup, nova_copy).select_one("[data-cell-merges]") is None
    assert "% like the library" in text and "Canonical:" in text
    row = next(th for th in soup.select("th[scope=row]") if th.get_text() == "Manual Clinic")
    assert row.find_next_sibling("td")["data-cell-state"] == "absent"


def test_filters_narrow_the_clinics(central, network):
    soup = BeautifulSoup(central.get(URL, {"clinic": "three"}).content, "html.parser")
    assert [th.get_text() for th in soup.select("th[scope=row]")] == ["Three Rivers Wellness"]
    soup = BeautifulSoup(central.get(URL, {"state": "draft"}).content, "html.parser")
    assert [th.get_text() for th in soup.select("th[scope=row]")] == ["Nova Health Recovery"]


def queries(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_the_matrix_costs_the_same_queries_with_3_or_13_clinics(central, network):
    few = queries(central)
    article = network[0]
    for n in range(10):
        make_clinic(f"Clinic {n}", slug=f"clinic-{n}")
    with committed():
        article.save_revision().publish()
    assert ClinicArticlePage.objects.filter(source=article).count() == 12
    assert queries(central) == few


def test_a_clinic_editor_gets_403(client, network):
    client.force_login(UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")]))
    response = client.get(URL)
    assert response.status_code == 403
    assert b"Three Rivers" not in response.content
