"""The "Content review" panel on the library and clinic article edit views."""

import pytest
from django.urls import reverse

from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from review.panels import ContentReviewPanel
from tests.factories import (
    UserFactory,
    add_override,
    approve,
    make_library_article,
    paragraph,
)

BODY = [
    paragraph("Trauma can come in many forms, such as abuse, war or a natural disaster."),
    paragraph("Ketamine therapy cures PTSD. It is usually given as a series of infusions."),
    paragraph("Studies have shown that ketamine can rapidly reduce symptoms."),
]


@pytest.fixture
def article(nova, three_rivers):
    page = make_library_article(body=BODY)
    approve(page)
    return page


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def edit(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    return response.content.decode()


def bound_context(page):
    panel = ContentReviewPanel().bind_to_model(type(page))
    bound = panel.get_bound_panel(instance=page, request=None, form=None)
    return bound.get_context_data()


def test_both_article_types_carry_the_panel():
    for model in (LibraryArticlePage, ClinicArticlePage):
        assert any(isinstance(panel, ContentReviewPanel) for panel in model.content_panels)


def test_library_panel_groups_findings_by_severity(article):
    context = bound_context(article)
    severities = [str(severity) for severity, _ in context["groups"]]
    assert severities == ["error", "warning"]
    errors = dict(context["groups"])[severities[0]]
    cure = next(f for f in errors if f.finding.rule == "claims.cure")
    assert (cure.finding.sentence, cure.block_number) == ("Ketamine therapy cures PTSD.", 2)


def test_library_edit_view_shows_the_findings(admin_client, article):
    html = edit(admin_client, article)
    assert 'data-severity="error"' in html
    assert "Block 2" in html and "“Ketamine therapy cures PTSD.”" in html
    assert "Promises a cure" in html  # the rule's title, not only its code
    assert "claims.uncited-research" in html


def test_clinic_copy_panel_reviews_its_own_text(admin_client, article, three_rivers):
    copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    block_id = article.body[1].id
    add_override(
        copy, block_id, BodyOverride.Action.REPLACE, [paragraph("Ketamine may help some.")]
    )
    copy = ClinicArticlePage.objects.get(pk=copy.pk)
    context = bound_context(copy)
    rules = {f.finding.rule for _, group in context["groups"] for f in group}
    assert "claims.cure" not in rules  # the clinic replaced that block
    # The similarity figures are search visibility's panel (seo), on the same edit view.
    html = edit(admin_client, copy)
    assert "the library article:" in html and "Nova Health Recovery:" in html
    assert "claims.uncited-research" in html


def test_a_copys_panel_separates_its_own_words_from_the_librarys(admin_client, article, nova):
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    copy = add_override(
        copy,
        article.body[0].id,
        BodyOverride.Action.INSERT_AFTER,
        [paragraph("Ketamine cures depression for everyone.")],
    )
    context = bound_context(ClinicArticlePage.objects.get(pk=copy.pk))
    sections = {key: groups for key, _, _, groups in context["sections"]}
    own = [f.finding.sentence for _, group in sections["own"] for f in group]
    library = [f.finding.sentence for _, group in sections["library"] for f in group]
    assert "Ketamine cures depression for everyone." in own
    assert "Ketamine therapy cures PTSD." in library
    assert "Ketamine therapy cures PTSD." not in own
    html = edit(admin_client, copy)
    assert 'data-findings-in="own"' in html and "send the page to medical review" in html
