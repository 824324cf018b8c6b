"""The canonical policy: measured, stored on publish, read in one query per render."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from blog.models import BodyOverride, ClinicArticlePage
from seo.canonical import SIMILARITY_THRESHOLD, measure_copies
from seo.models import CanonicalDecision
from tests.factories import add_override, committed, make_clinic, make_library_article, paragraph
from tests.seo.conftest import ARTICLE, THREE_RIVERS, copy_of, head

LONG = (
    "Trauma is the most significant risk factor for post-traumatic stress disorder and it "
    "can take many forms including abuse combat disasters and accidents which all shape "
    "how a person copes with the aftermath of a frightening event in daily life."
)
OWN_WORDS = (
    "Our Pittsburgh team sees veterans, first responders and survivors of accidents every "
    "week; each of them tells a different story, and each story changes what recovery "
    "looks like, which is why we start every treatment plan with a long conversation."
)


def decision(copy) -> CanonicalDecision:
    return CanonicalDecision.objects.get(page=copy)


def test_demo_copies_differ_enough_to_both_be_canonical(demo, client):
    nova, three_rivers = copy_of(demo["nova"]), copy_of(demo["three_rivers"])
    assert decision(nova).outcome == "self"  # the primary clinic's copy
    assert decision(three_rivers).outcome == "self"
    assert decision(three_rivers).max_similarity < SIMILARITY_THRESHOLD
    assert decision(nova).library_similarity == 1.0  # Nova's copy is the library text
    assert decision(three_rivers).library_similarity < 0.5
    assert head(client.get(ARTICLE, HTTP_HOST=THREE_RIVERS))["canonical"] == (
        f"http://{THREE_RIVERS}{ARTICLE}"
    )


def test_identical_copies_point_to_the_primary_clinic(nova, three_rivers, client):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    nova_copy, tr_copy = copy_of(nova, article), copy_of(three_rivers, article)
    assert decision(nova_copy).outcome == "self"
    assert decision(tr_copy).outcome == "other" and decision(tr_copy).target_id == nova_copy.pk
    assert decision(tr_copy).similarities == {str(nova_copy.pk): 1.0}
    info = head(client.get("/blog/causes/", HTTP_HOST="threerivers.localhost"))
    assert info["canonical"] == "http://nova.localhost/blog/causes/"
    assert info["robots"].startswith("index")


def test_without_a_primary_clinic_near_duplicates_point_to_the_oldest_copy(nova, three_rivers):
    article = make_library_article(title="Causes", body=[paragraph(LONG)])
    nova_copy, tr_copy = copy_of(nova, article), copy_of(three_rivers, article)
    oldest, newest = sorted((nova_copy, tr_copy), key=lambda c: (c.first_published_at, c.pk))
    assert decision(oldest).outcome == "self"
    assert decision(newest).target_id == oldest.pk


def test_a_copy_rewritten_in_its_own_words_becomes_its_own_canonical(nova, three_rivers):
    block = paragraph(LONG)
    article = make_library_article(title="Causes", body=[block], primary_clinic=nova)
    tr_copy = copy_of(three_rivers, article)
    assert decision(tr_copy).outcome == "other"
    add_override(tr_copy, block["id"], BodyOverride.Action.REPLACE, [paragraph(OWN_WORDS)])
    assert decision(tr_copy).outcome == "self"
    assert decision(tr_copy).max_similarity < SIMILARITY_THRESHOLD
    # and the primary's stored figures followed
    assert decision(copy_of(nova, article)).max_similarity == decision(tr_copy).max_similarity


def test_editors_override_the_automatic_choice(nova, three_rivers, client):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    tr_copy = copy_of(three_rivers, article)
    tr_copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.SELF
    with committed():
        tr_copy.save_revision().publish()
    assert decision(tr_copy).outcome == "self"
    info = head(client.get("/blog/causes/", HTTP_HOST="threerivers.localhost"))
    assert info["canonical"] == "http://threerivers.localhost/blog/causes/"

    tr_copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.NOINDEX
    with committed():
        tr_copy.save_revision().publish()
    assert decision(tr_copy).outcome == "noindex"

    nova_copy = copy_of(nova, article)
    nova_copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.PRIMARY
    with committed():
        nova_copy.save_revision().publish()
    assert decision(nova_copy).outcome == "self"  # it is the primary's copy already


def test_a_noindex_copy_is_never_a_canonical_target(nova, three_rivers):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    nova_copy = copy_of(nova, article)
    nova_copy.canonical_policy = ClinicArticlePage.CanonicalPolicy.NOINDEX
    with committed():
        nova_copy.save_revision().publish()
    assert decision(copy_of(three_rivers, article)).outcome == "self"


def test_unpublishing_a_copy_removes_it_from_the_others_figures(nova, three_rivers):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    nova_copy, tr_copy = copy_of(nova, article), copy_of(three_rivers, article)
    with committed():
        nova_copy.unpublish()
    assert not CanonicalDecision.objects.filter(page=nova_copy).exists()
    assert decision(tr_copy).outcome == "self" and decision(tr_copy).similarities == {}


def test_measure_copies_gives_editors_every_figure(nova, three_rivers):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    figures = measure_copies(article)
    assert len(figures) == 2
    for figure in figures.values():
        assert figure.library_similarity == 1.0 and list(figure.similarities.values()) == [1.0]


def test_the_admin_edit_view_shows_the_similarity_panel(demo, admin_client):
    copy = copy_of(demo["three_rivers"])
    response = admin_client.get(f"/admin/pages/{copy.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "How different is this copy?" in html
    assert (
        "the library article: <strong>" in html and "Nova Health Recovery (primary clinic)" in html
    )
    assert "this page is its own canonical URL" in html


def queries_for(client, host) -> int:
    client.get("/blog/causes/", HTTP_HOST=host)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/blog/causes/", HTTP_HOST=host)
    assert response.status_code == 200
    return len(captured)


def test_an_article_render_costs_the_same_whatever_the_number_of_clinics(db, client):
    first = make_clinic("Canon Clinic 0")
    second = make_clinic("Canon Clinic 1")
    make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=first)
    few = queries_for(client, second.get_site().hostname)
    for n in range(2, 7):
        make_clinic(f"Canon Clinic {n}")
    article = ClinicArticlePage.objects.first().source
    with committed():
        article.save_revision().publish()  # fans out to the new clinics
    assert ClinicArticlePage.objects.filter(source=article).count() == 7
    assert decision(copy_of(second, article)).outcome == "other"
    assert queries_for(client, second.get_site().hostname) == few


def test_a_rolled_back_publish_does_not_stop_later_refreshes(nova, three_rivers):
    block = paragraph(LONG)
    article = make_library_article(title="Causes", body=[block], primary_clinic=nova)
    tr_copy = copy_of(three_rivers, article)
    with pytest.raises(RuntimeError), transaction.atomic():
        tr_copy.save_revision().publish()  # schedules a refresh of the article's decisions
        raise RuntimeError("the publishing request failed")
    tr_copy = copy_of(three_rivers, article)
    assert decision(tr_copy).outcome == "other"
    # A later, committed change must still refresh the article's decisions.
    add_override(tr_copy, block["id"], BodyOverride.Action.REPLACE, [paragraph(OWN_WORDS)])
    assert decision(tr_copy).outcome == "self"
