"""Issue 9, finding 2: the page types usage report"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.security.conftest import M, leaks, response_text


@pytest.mark.parametrize("view", ["page_types_usage", "page_types_usage_results"])
def test_the_page_types_usage_report_shows_only_the_editors_pages(as_nova, world, view):
    response = as_nova.get(reverse(f"wagtailadmin_reports:{view}"))
    assert response.status_code == 200
    assert leaks(response_text(response)) == []


def page_type_counts(response) -> dict[str, str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return {
        row.select_one("[data-listing-page-type]").get_text(strip=True): row.select_one(
            "td.count"
        ).get_text(strip=True)
        for row in soup.select("tbody tr")
    }


def test_the_report_counts_the_editors_own_pages_and_the_live_library(as_nova, world):
    counts = page_type_counts(as_nova.get(reverse("wagtailadmin_reports:page_types_usage")))
    assert counts["Clinic Article"] == "2"  # Nova's two copies, not the other clinic's
    assert counts["Clinic"] == "1"
    assert counts["Library Article"] == "2"  # the live ones, not the draft


def test_a_superuser_still_sees_the_whole_network(client, world):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("wagtailadmin_reports:page_types_usage"))
    counts = page_type_counts(response)
    assert counts["Clinic Article"] == "5" and counts["Library Article"] == "3"
    assert M.library_draft_title in response.content.decode()
    workflow = client.get(reverse("wagtailadmin_reports:workflow"))
    assert M.other_editor in workflow.content.decode()


def test_the_site_filter_lists_only_the_editors_site(as_nova, world):
    response = as_nova.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert "lakeside.localhost" not in response.content.decode()
    response = as_nova.get(
        reverse("wagtailadmin_reports:page_types_usage"), {"site": world.other.path}
    )
    assert leaks(response.content) == []
