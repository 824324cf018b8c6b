"""Override resolution: what each clinic's copy says, built without a request."""

import pytest
from django.core.exceptions import ValidationError

from blog.blocks import ArticleBodyBlock
from blog.models import BodyOverride, ClinicArticlePage
from blog.resolution import resolve_article
from tests.factories import (
    CallToActionFactory,
    add_override,
    committed,
    heading,
    make_clinic,
    make_library_article,
    paragraph,
)

BODY = [
    paragraph("First library paragraph.", "b1"),
    heading("A library heading", "b2"),
    paragraph("Second library paragraph in {city}.", "b3"),
]


@pytest.fixture
def article(nova, three_rivers):
    return make_library_article(body=BODY)


def copy_of(article, clinic) -> ClinicArticlePage:
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=article)


def texts(page) -> list[str]:
    return [
        block.plain_text()
        for block in resolve_article(page).body
        if block.block_type != "call_to_action"
    ]


def test_a_copy_inherits_every_block(article, nova):
    assert texts(copy_of(article, nova)) == [
        "First library paragraph.",
        "A library heading",
        "Second library paragraph in Portland.",
    ]


def test_overriding_one_block_changes_only_that_block_for_that_clinic(article, nova, three_rivers):
    add_override(
        copy_of(article, nova), "b1", BodyOverride.Action.REPLACE, [paragraph("Nova's own words.")]
    )
    assert texts(copy_of(article, nova))[0] == "Nova's own words."
    assert texts(copy_of(article, three_rivers))[0] == "First library paragraph."
    origins = [b.origin for b in resolve_article(copy_of(article, nova)).body]
    assert origins[:3] == ["override", "library", "library"]


def test_clinic_only_blocks_are_inserted_where_chosen(article, nova):
    copy = copy_of(article, nova)
    add_override(copy, "b2", BodyOverride.Action.INSERT_BEFORE, [paragraph("Before the heading.")])
    add_override(copy, "b3", BodyOverride.Action.INSERT_AFTER, [paragraph("Closing, {clinic}.")])
    add_override(
        copy, BodyOverride.START, BodyOverride.Action.INSERT_AFTER, [paragraph("Opening.")]
    )
    assert texts(copy) == [
        "Opening.",
        "First library paragraph.",
        "Before the heading.",
        "A library heading",
        "Second library paragraph in Portland.",
        "Closing, Nova Health Recovery.",
    ]


def test_a_hidden_block_is_not_shown(article, nova):
    add_override(copy_of(article, nova), "b2", BodyOverride.Action.HIDE)
    assert "A library heading" not in texts(copy_of(article, nova))


def test_reverting_an_override_brings_the_library_text_back(article, nova):
    copy = add_override(
        copy_of(article, nova), "b1", BodyOverride.Action.REPLACE, [paragraph("Ours.")]
    )
    copy.body_overrides.clear()
    with committed():
        copy.save_revision().publish()
    assert texts(copy_of(article, nova))[0] == "First library paragraph."


def test_a_library_edit_reaches_copies_except_where_overridden(article, nova, three_rivers):
    add_override(copy_of(article, nova), "b3", BodyOverride.Action.REPLACE, [paragraph("Nova's.")])
    draft = article.get_latest_revision_as_object()
    draft.body = [
        paragraph("First paragraph, corrected.", "b1"),
        heading("A library heading", "b2"),
        paragraph("Second paragraph, corrected.", "b3"),
    ]
    with committed():
        draft.save_revision().publish()
    assert texts(copy_of(article, nova)) == [
        "First paragraph, corrected.",
        "A library heading",
        "Nova's.",
    ]
    assert texts(copy_of(article, three_rivers))[2] == "Second paragraph, corrected."


def test_an_orphaned_override_never_breaks_the_page(article, nova, client):
    copy = copy_of(article, nova)
    add_override(copy, "b3", BodyOverride.Action.REPLACE, [paragraph("Replaced.")])
    add_override(copy, "b3", BodyOverride.Action.INSERT_AFTER, [paragraph("Nova's closing words.")])
    draft = article.get_latest_revision_as_object()
    draft.body = [paragraph("First library paragraph.", "b1")]  # b2 and b3 removed
    with committed():
        draft.save_revision().publish()

    effective = resolve_article(copy_of(article, nova))
    assert [o.anchor for o in effective.orphaned_overrides] == ["b3", "b3"]
    # The clinic's own words are kept, at the end, rather than silently lost.
    assert texts(copy_of(article, nova)) == ["First library paragraph.", "Nova's closing words."]
    response = client.get("/blog/what-causes-ptsd/", HTTP_HOST="nova.localhost")
    assert response.status_code == 200


def test_tokens_render_with_each_clinics_values(nova, three_rivers):
    article = make_library_article(
        title="Care in {city}", body=[paragraph("Call {clinic} on {phone}.", "t1")]
    )
    nova_copy, tr_copy = copy_of(article, nova), copy_of(article, three_rivers)
    assert resolve_article(nova_copy).title == "Care in Portland"
    assert texts(nova_copy) == ["Call Nova Health Recovery on (503) 555-0140."]
    assert texts(tr_copy) == ["Call Three Rivers Wellness on (412) 555-0175."]
    # The admin title is the clinic's effective title too.
    assert nova_copy.title == "Care in Portland"


def test_token_values_are_escaped_in_html(nova):
    nova.title = "Nova <Health> & Co"
    with committed():
        nova.save_revision().publish()
    article = make_library_article(body=[paragraph("Welcome to {clinic}.", "t1")])
    block = resolve_article(copy_of(article, nova)).body[0]
    assert "Nova &lt;Health&gt; &amp; Co" in block.render_as_block()


def test_an_unknown_token_is_a_validation_error():
    body_block = ArticleBodyBlock()
    value = body_block.to_python([paragraph("Visit {clinc} today.")])
    with pytest.raises(ValidationError) as error:
        body_block.clean(value)
    assert "{clinc}" in str(error.value.block_errors[0])


def test_an_unknown_token_in_a_title_is_a_validation_error(nova):
    article = make_library_article(publish=False)
    article.title = "Care at {clinc}"
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "{clinc}" in str(error.value.message_dict["title"])


def test_the_call_to_action_is_rendered_with_each_clinics_facts(nova, three_rivers):
    cta = CallToActionFactory(headline="Talk to {clinic}", button_label="Book in {city}")
    for clinic in (nova, three_rivers):
        clinic.default_call_to_action = cta
        with committed():
            clinic.save_revision().publish()
    article = make_library_article(
        body=[
            paragraph("Text.", "c1"),
            {"type": "call_to_action", "value": {"call_to_action": None}, "id": "c2"},
        ]
    )
    nova_cta = resolve_article(copy_of(article, nova)).body[1].call_to_action
    tr_cta = resolve_article(copy_of(article, three_rivers)).body[1].call_to_action
    assert (nova_cta.headline, nova_cta.button_label, nova_cta.url) == (
        "Talk to Nova Health Recovery",
        "Book in Portland",
        "https://nova.example/book",
    )
    assert (tr_cta.headline, tr_cta.url) == (
        "Talk to Three Rivers Wellness",
        "https://threerivers.example/book",
    )


def test_a_clinic_rewords_the_shared_call_to_action_for_itself(nova, three_rivers):
    cta = CallToActionFactory(headline="Talk to {clinic}", link_type="phone")
    for clinic in (nova, three_rivers):
        clinic.default_call_to_action = cta
    nova.cta_headline = "Nova is here for you"
    with committed():
        nova.save_revision().publish()
    with committed():
        three_rivers.save_revision().publish()
    article = make_library_article(body=[paragraph("Text.", "c1")])
    nova_article = resolve_article(copy_of(article, nova))
    assert nova_article.call_to_action.headline == "Nova is here for you"
    assert nova_article.call_to_action.url == "tel:5035550140"
    assert resolve_article(copy_of(article, three_rivers)).call_to_action.headline == (
        "Talk to Three Rivers Wellness"
    )
    # The article page may reword it again, for that article only.
    copy = copy_of(article, nova)
    copy.cta_headline = "Questions about PTSD?"
    with committed():
        copy.save_revision().publish()
    assert (
        resolve_article(copy_of(article, nova)).call_to_action.headline == "Questions about PTSD?"
    )


def test_a_call_to_action_needing_a_missing_booking_url_is_refused(db):
    clinic = make_clinic("No Booking Clinic", booking_url="")
    clinic.default_call_to_action = CallToActionFactory(link_type="booking")
    with pytest.raises(ValidationError) as error:
        clinic.full_clean()
    assert "booking URL" in str(error.value.message_dict["default_call_to_action"])


def test_a_clinic_article_of_its_own_needs_no_source(nova):
    from blog.models import BlogIndexPage

    blog = BlogIndexPage.objects.child_of(nova).get()
    own = blog.add_child(instance=ClinicArticlePage(title_override="Our new team", slug="team"))
    add_override(own, BodyOverride.START, BodyOverride.Action.INSERT_AFTER, [paragraph("Meet us.")])
    effective = resolve_article(own)
    assert effective.title == "Our new team"
    assert texts(own) == ["Meet us."]


def test_own_article_without_a_title_is_refused(nova):
    with pytest.raises(ValidationError) as error:
        ClinicArticlePage(slug="x").clean()
    assert "title_override" in error.value.message_dict


def test_an_unknown_token_in_a_clinics_call_to_action_wording_is_refused(nova):
    nova.cta_headline = "Call {phoen} today"
    with pytest.raises(ValidationError) as error:
        nova.full_clean()
    assert "{phoen}" in str(error.value.message_dict["cta_headline"])
