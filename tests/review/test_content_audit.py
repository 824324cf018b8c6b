"""``content_audit`` on a small network built with the factories."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from blog.models import BodyOverride, ClinicArticlePage
from review.models import CopyReview
from tests.factories import (
    add_override,
    approve,
    make_clinic,
    make_library_article,
    paragraph,
)

SHARED = [
    paragraph(
        "Trauma can come in many forms, such as physical, emotional, or sexual abuse, "
        "exposure to war, or experiencing a natural disaster, and each of them can leave "
        "lasting marks on a person's mental health and daily life."
    ),
    paragraph(
        "Ketamine therapy cures PTSD. The treatment protocol is typically a series of "
        "infusions over a period of several weeks, and the number of infusions required "
        "may vary depending on the individual's needs and response to treatment."
    ),
    paragraph("This article is not a substitute for medical advice; consult your doctor."),
]
OWN_WORDS = (
    "Our Pittsburgh team sees every patient in person first, talks through their history "
    "and goals, explains the options available locally, answers questions about cost and "
    "insurance, and sets up a plan that fits their week and their family commitments."
)


@pytest.fixture
def network(nova, three_rivers):
    third = make_clinic("Lakeside Clinic", slug="lakeside")
    article = make_library_article("What Causes PTSD?", body=SHARED)
    approve(article, when=timezone.now() - timedelta(days=400))
    make_library_article("Unreviewed article", body=[paragraph("Plain words here.")])
    # Three Rivers rewrites the article in its own words: no longer a near-duplicate.
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    for block in article.body:
        add_override(copy, block.id, BodyOverride.Action.REPLACE, [paragraph(OWN_WORDS)])
        copy = ClinicArticlePage.objects.get(pk=copy.pk)
    return {"article": article, "nova": nova, "three_rivers": three_rivers, "third": third}


def run(*args) -> str:
    out = StringIO()
    call_command("content_audit", *args, stdout=out)
    return out.getvalue()


def test_json_report(network):
    report = json.loads(run("--json"))
    assert report["copies"] == 6  # two articles, three clinics

    pairs = [p for p in report["near_duplicates"] if p["first"]["title"] == "What Causes PTSD?"]
    assert len(pairs) == 1  # Nova and Lakeside carry the same text; Three Rivers does not
    [pair] = pairs
    assert {pair["first"]["clinic"], pair["second"]["clinic"]} == {
        "Nova Health Recovery",
        "Lakeside Clinic",
    }
    assert pair["same_article"] is True
    assert 0.9 <= pair["similarity"] <= 1.0

    overdue = {row["title"]: row for row in report["overdue_reviews"]}
    assert set(overdue) == {"What Causes PTSD?", "Unreviewed article"}
    assert overdue["What Causes PTSD?"]["days_overdue"] == 400 - 365
    assert overdue["Unreviewed article"]["reasons"] == ["no medical reviewer", "never reviewed"]

    clinics = {entry["clinic"]: entry for entry in report["findings_by_clinic"]}
    nova = clinics["Nova Health Recovery"]
    cure = [
        f for article in nova["articles"] for f in article["findings"] if f["rule"] == "claims.cure"
    ]
    assert [(f["sentence"], f["block"]) for f in cure] == [("Ketamine therapy cures PTSD.", 2)]
    three_rivers = clinics["Three Rivers Wellness"]
    rules = {f["rule"] for article in three_rivers["articles"] for f in article["findings"]}
    assert "claims.cure" not in rules  # its own words replaced the claim


def test_text_report_reads_like_a_report(network):
    text = run()
    assert "Near-duplicate copies (4)" in text  # 1 + the 3 pairs of "Unreviewed article"
    assert "Lakeside Clinic: “What Causes PTSD?”" in text
    assert "Library articles overdue for medical review (2)" in text
    assert "“Unreviewed article”: no medical reviewer; never reviewed" in text
    assert "[error] claims.cure (block 2): “Ketamine therapy cures PTSD.”" in text


def test_empty_network():
    text = run()
    assert "0 live clinic copies" in text
    assert json.loads(run("--json"))["near_duplicates"] == []


def test_the_report_reads_the_stored_reviews(network):
    # What the background tasks stored is what is printed: without rows, nothing is
    # reviewed in the command itself...
    CopyReview.objects.all().delete()
    report = json.loads(run("--json"))
    assert report["copies"] == 0 and report["pending"] == 6
    assert report["near_duplicates"] == [] and report["findings_by_clinic"] == []
    assert "6 live copies not reviewed yet" in run()
    # ...until an operator asks for it.
    refreshed = json.loads(run("--refresh", "--json"))
    assert refreshed["copies"] == 6 and refreshed["pending"] == 0
    assert refreshed["near_duplicate_pairs"] == 4
    assert len(refreshed["near_duplicates"]) == 4


def test_refresh_removes_rows_of_copies_no_longer_live(network):
    copy = ClinicArticlePage.objects.descendant_of(network["nova"]).get(source=network["article"])
    ClinicArticlePage.objects.filter(pk=copy.pk).update(live=False)  # no signal: a stale row
    assert CopyReview.objects.filter(page_id=copy.pk).exists()
    assert json.loads(run("--json"))["copies"] == 5  # a row of a copy not live is not read
    run("--refresh")
    assert not CopyReview.objects.filter(page_id=copy.pk).exists()


def test_threshold_filters_the_stored_pairs(network):
    assert len(json.loads(run("--json", "--threshold", "0.99"))["near_duplicates"]) == 4
    with pytest.raises(CommandError, match="stored from 50%"):
        run("--threshold", "0.3")
    with pytest.raises(CommandError, match=r"\(0, 1\]"):
        run("--threshold", "1.5")
