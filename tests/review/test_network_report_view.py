"""The network content report in the admin: central team and reviewers, not clinics.

The report reads the copy reviews stored in the background (``review.tasks``): the
factories publish inside ``committed()``, so the pipeline and the review tasks run
in-process (the immediate task backend), as a worker would after the commit."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import BodyOverride, ClinicArticlePage
from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from review.audit import ReportRow
from review.models import CopyReview
from review.views import NetworkReportView
from review.workflow import setup_medical_review
from tests.factories import (
    UserFactory,
    add_override,
    approve,
    committed,
    get_library,
    make_clinic,
    make_library_article,
    paragraph,
)

TRAUMA = (
    "Trauma can come in many forms, such as physical, emotional, or sexual abuse, exposure "
    "to war, or experiencing a natural disaster, and each of them can leave lasting marks."
)
SLEEP = (
    "Sleep often changes after a frightening event; a regular routine, daylight in the "
    "morning and less caffeine late in the day help many people settle again over weeks."
)
OWN_WORDS = (
    "Our Pittsburgh team sees every patient in person first, talks through their history "
    "and goals, explains the options available locally, and sets up a plan that fits."
)


@pytest.fixture
def network(nova, three_rivers):
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    make_library_article(
        title="Ketamine and PTSD",
        body=[paragraph("Ketamine cures PTSD in every patient.", "k1")],
    )


@pytest.fixture
def central_client(client, db):
    # `db` here, not only through the conftest: pytest-django orders tests by the fixtures
    # they name, and a test it takes for one without the database runs after the
    # transactional ones.
    library = get_library()
    provision_central_team(library)
    setup_medical_review(library)
    client.force_login(UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)]))
    return client


def reviewed_article(title: str, *texts: str, **fields):
    """A library article with a medical reviewer, reviewed today: no whole-article
    findings, so a copy's findings come from its text alone."""
    publish = fields.pop("publish", True)
    body = [paragraph(text) for text in texts]
    page = make_library_article(title=title, body=body, publish=False, **fields)
    if publish:
        approve(page, publish=True)
    return page


def copy_of(article, clinic) -> ClinicArticlePage:
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=article)


def report(client, **params) -> str:
    response = client.get(reverse("content_review"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_central_team_reads_the_network_report(client, network):
    client.force_login(UserFactory(groups=[Group.objects.get(name=CENTRAL_TEAM)]))
    response = client.get(reverse("content_review"))
    assert response.status_code == 200
    page = response.content.decode()
    # Both clinics carry the same text: one near-duplicate pair, and each clinic's finding.
    assert "Near-duplicate copies (1)" in page
    # The cure claim and the missing medical reviewer are errors, for each clinic's copy.
    assert "Nova Health Recovery: 2 errors" in page
    assert "Three Rivers Wellness: 2 errors" in page
    assert "Ketamine cures PTSD in every patient." in page
    assert (
        "Content review"
        in client.get(reverse("wagtailadmin_reports:locked_pages")).content.decode()
    )


def test_a_clinic_editor_cannot_read_the_network_report(client, network):
    editor = UserFactory(groups=[Group.objects.get(name="Nova Health Recovery editors")])
    client.force_login(editor)
    response = client.get(reverse("content_review"))
    assert response.status_code in (302, 403)
    assert b"Ketamine cures PTSD" not in response.content


def test_the_page_header_reads_content_review(central_client, network):
    page = report(central_client)
    assert "<h1" in page and "Content review" in page.split("<h1", 1)[1].split("</h1>", 1)[0]


def test_an_error_planted_in_a_clinic_override_is_reported(central_client, nova, three_rivers):
    article = reviewed_article("Understanding trauma", TRAUMA, SLEEP)
    block_id = article.body[1].id
    add_override(
        copy_of(article, nova),
        block_id,
        BodyOverride.Action.REPLACE,
        [paragraph("Ketamine cures depression for good.")],
    )

    page = report(central_client)
    assert "Nova Health Recovery: 2 errors" in page  # a cure and a permanence claim
    assert "Three Rivers Wellness: 0 errors" in page
    assert "“Ketamine cures depression for good.”" in page
    assert "Block 2: “Ketamine cures depression for good.”" in page
    assert "<code>claims.cure</code>" in page and "<code>claims.permanence</code>" in page
    # Each copy links to its public page on its clinic's domain, never to its edit view
    # (the central team may not edit clinic pages).
    nova_copy = copy_of(article, nova)
    assert f'href="{nova_copy.get_full_url()}"' in page
    assert nova_copy.get_full_url().startswith("http://nova.localhost/")
    assert reverse("wagtailadmin_pages:edit", args=[nova_copy.pk]) not in page


def test_a_near_duplicate_pair_after_the_pipeline_ran(central_client, nova, three_rivers):
    article = reviewed_article("Understanding trauma", TRAUMA, SLEEP)
    page = report(central_client)
    assert "Near-duplicate copies (1)" in page
    # Each row names its near-duplicate (linked to its public page) and how similar it is.
    for clinic, name in ((three_rivers, "Three Rivers Wellness"), (nova, "Nova Health Recovery")):
        assert f'<a href="{copy_of(article, clinic).get_full_url()}">{name}</a> (100%)' in page

    # Three Rivers rewrites the article in its own words: the pair is gone once the
    # clinic's publish has been processed in the background.
    copy = copy_of(article, three_rivers)
    for block in article.body:
        add_override(copy, block.id, BodyOverride.Action.REPLACE, [paragraph(OWN_WORDS)])
        copy = ClinicArticlePage.objects.get(pk=copy.pk)
    page = report(central_client)
    assert "Near-duplicate copies (0)" in page
    assert "(100%)" not in page


# --- a network of 12 clinics: pagination, filters, the page's size and queries ---------------


def build_network(count: int, *, first: int = 1):
    """`count` clinics named "Report Clinic NN" (in tree order)."""
    return [
        make_clinic(f"Report Clinic {n:02d}", slug=f"report-{n:02d}")
        for n in range(first, first + count)
    ]


def carried_articles():
    """Three library articles carried by every clinic: 3 copies a clinic. Each copy's
    claim names its clinic, so every copy has text of its own."""
    return [
        reviewed_article(
            f"Article {letter}", TRAUMA, f"At {{clinic}}, ketamine cures PTSD {letter}."
        )
        for letter in "ABC"
    ]


def rows_of(page: str) -> int:
    return page.count("<tr data-copy=")


def test_the_report_is_paginated_by_25_copies_and_a_page_holds_only_its_own(central_client):
    clinics = build_network(12)
    articles = carried_articles()
    assert NetworkReportView.paginate_by == 25
    response = central_client.get(reverse("content_review"))
    first = response.content.decode()
    second = report(central_client, p=2)
    assert rows_of(first) == 25 and rows_of(second) == 11  # 12 clinics x 3 articles
    assert "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "36 copy reviews" in first

    # Tree order: clinics 01-08 fill 24 rows, clinic 09's first copy the 25th; the rest
    # is on the second page, and none of its text is on the first.
    on_second = ClinicArticlePage.objects.filter(
        source__in=articles, path__gt=copy_of(articles[0], clinics[8]).path
    )
    assert on_second.count() == 11
    for copy in on_second:
        assert f'<tr data-copy="{copy.pk}">' in second
        assert f'<tr data-copy="{copy.pk}">' not in first
    for n in range(10, 13):
        assert f"<h3>Report Clinic {n}:" in second and f"<h3>Report Clinic {n}:" not in first
        for letter in "ABC":
            sentence = f"At Report Clinic {n}, ketamine cures PTSD {letter}."
            assert sentence in second and sentence not in first
    assert "At Report Clinic 09, ketamine cures PTSD A." in first
    assert "At Report Clinic 09, ketamine cures PTSD B." in second
    assert "At Report Clinic 09, ketamine cures PTSD B." not in first
    assert "<h3>Report Clinic 09: 3 errors" in first  # its totals cover all its copies
    assert len(response.content) < 200_000

    # Past the last page: the last page.
    assert rows_of(report(central_client, p=99)) == 11


def test_filter_by_clinic(central_client, nova, three_rivers):
    article = reviewed_article("Understanding trauma", TRAUMA, "Ketamine cures PTSD.")
    page = report(central_client, clinic="RIVERS")  # part of the name, any case
    assert rows_of(page) == 1
    assert f'<tr data-copy="{copy_of(article, three_rivers).pk}">' in page
    assert "<h3>Three Rivers Wellness: 1 error," in page
    assert "<h3>Nova Health Recovery:" not in page
    assert "1 copy review" in page and "Clear filters" in page
    assert 'value="RIVERS"' in page  # the form shows the filter in use

    nothing = report(central_client, clinic="no such clinic")
    assert rows_of(nothing) == 0
    assert "No live clinic copy matches these filters." in nothing


def copies(page: str) -> str:
    """The report's copies, below its library articles."""
    return page.split('id="copies"', 1)[1]


def test_filter_by_severity(central_client, nova, three_rivers):
    clean = reviewed_article("Understanding trauma", TRAUMA, SLEEP)
    warned = reviewed_article("What research says", TRAUMA, "Studies show ketamine helps.")
    claimed = reviewed_article("Ketamine", TRAUMA, "Ketamine cures PTSD.")

    everything = copies(report(central_client))
    for article in (clean, warned, claimed):
        assert everything.count(f">{article.title}</a>") == 2

    errors_page = report(central_client, severity="error")
    # The library's own findings are filtered too.
    library = errors_page.split("data-library-findings", 1)[1].split("</table>", 1)[0]
    assert f">{claimed.title}</a>" in library and f">{warned.title}</a>" not in library
    errors = copies(errors_page)
    assert errors.count(f">{claimed.title}</a>") == 2
    assert f">{warned.title}</a>" not in errors and f">{clean.title}</a>" not in errors
    assert "claims.cure" in errors

    warnings = copies(report(central_client, severity="warning"))
    assert warnings.count(f">{claimed.title}</a>") == 2
    assert warnings.count(f">{warned.title}</a>") == 2
    assert f">{clean.title}</a>" not in warnings
    assert "claims.uncited-research" in warnings

    # Both filters at once, and they survive pagination links.
    both = copies(report(central_client, severity="warning", clinic="three rivers"))
    assert both.count(f">{warned.title}</a>") == 1
    assert "<h3>Nova Health Recovery:" not in both and "<h3>Three Rivers Wellness:" in both
    assert "severity=warning" in both and "clinic=three+rivers" in both

    # An unknown severity is ignored, not an error.
    assert copies(report(central_client, severity="bogus")).count(f">{clean.title}</a>") == 2


def queries_for(client) -> int:
    client.get(reverse("content_review"))  # warm-up: caches such as the Sites' root paths
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("content_review"))
    assert response.status_code == 200
    return len(captured)


def test_the_report_costs_the_same_queries_with_2_or_12_clinics(central_client):
    build_network(2)
    articles = carried_articles()
    with_two = queries_for(central_client)
    assert rows_of(report(central_client)) == 6

    build_network(10, first=3)
    for article in articles:  # the new clinics take the articles on the next publish
        with committed():
            article.save_revision().publish()
    assert rows_of(report(central_client)) == 25
    assert queries_for(central_client) == with_two


def test_a_row_lists_each_rules_advice_once_and_at_most_20_findings():
    findings = [
        {
            "rule": "claims.uncited-research" if n % 2 else "claims.cure",
            "title": "",
            "severity": "warning" if n % 2 else "error",
            "sentence": f"Sentence {n}.",
            "block": n,
            "where": f"block {n}",
            "advice": "Advice.",
        }
        for n in range(1, 26)
    ]
    row = ReportRow(CopyReview(), {}, findings)
    assert [rule.rule for rule in row.rules] == ["claims.uncited-research", "claims.cure"]
    assert sum(len(rule.places) for rule in row.rules) == 20
    assert row.rules[0].title == "claims.uncited-research"  # no title: the rule's id
    assert row.unlisted_findings == 5
