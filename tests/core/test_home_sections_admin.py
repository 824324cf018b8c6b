"""Editors arrange the home page's sections in the admin: previews of each block, a
saved draft, and validation messages rather than errors."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.blocks import Block

from clinics import blocks as home_blocks
from clinics.models import ClinicHomePage
from tests.factories import UserFactory
from tests.security.test_form_fuzz import page_post

pytestmark = pytest.mark.django_db

SECTION_BLOCKS = [
    home_blocks.HeroBlock,
    home_blocks.ServicesBlock,
    home_blocks.ArticlesBlock,
    home_blocks.TeamBlock,
    home_blocks.LocationBlock,
    home_blocks.FAQBlock,
]


def editor_of(clinic):
    return UserFactory(groups=[Group.objects.get(name=f"{clinic.title} editors")])


def definition_of(block_class):
    # The sections field's own block of that class (Wagtail's preview view finds it by id).
    stream = ClinicHomePage._meta.get_field("sections").stream_block
    block = next(b for b in stream.child_blocks.values() if type(b) is block_class)
    assert Block.definition_registry[block.definition_prefix] is block
    return block


@pytest.mark.parametrize("block_class", SECTION_BLOCKS, ids=lambda c: c.__name__)
def test_every_section_block_has_a_preview_an_icon_and_a_description(admin_client, block_class):
    block = definition_of(block_class)
    assert block.meta.icon != "placeholder" and block.meta.description and block.meta.template
    response = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    heading = block.get_preview_value().get("heading")
    if heading and block_class not in (home_blocks.ArticlesBlock, home_blocks.TeamBlock):
        # (articles and team show nothing without a clinic's articles or team pages)
        assert heading in response.content.decode()


def sections_post(clinic, user, sections):
    clinic = ClinicHomePage.objects.get(pk=clinic.pk)
    clinic.sections = sections
    return page_post(clinic, user)


FAQ = {
    "heading": "Questions",
    "questions": [
        {"question": "Do I need a referral?", "answer": "No."},
        {"question": "Is parking free?", "answer": "Yes."},
    ],
}


def test_an_editor_saves_sections_as_a_draft(client, nova):
    user = editor_of(nova)
    client.force_login(user)
    data = sections_post(nova, user, [{"type": "faq", "value": FAQ}])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data)
    assert response.status_code == 302
    draft = ClinicHomePage.objects.get(pk=nova.pk).get_latest_revision_as_object()
    assert [q["question"] for q in draft.sections[0].value["questions"]] == [
        "Do I need a referral?",
        "Is parking free?",
    ]
    # Not published yet: visitors still see no questions.
    assert not ClinicHomePage.objects.get(pk=nova.pk).sections


def test_a_question_asked_twice_is_a_message_and_nothing_is_saved(client, nova):
    user = editor_of(nova)
    client.force_login(user)
    twice = {
        **FAQ,
        "questions": FAQ["questions"] + [{"question": "Is parking FREE?", "answer": "."}],
    }
    revisions = nova.revisions.count()
    data = sections_post(nova, user, [{"type": "faq", "value": twice}])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data)
    assert response.status_code == 200
    assert "is asked twice" in response.content.decode()
    assert nova.revisions.count() == revisions


def test_a_second_hero_is_a_message(client, nova):
    user = editor_of(nova)
    client.force_login(user)
    revisions = nova.revisions.count()
    hero = {"type": "hero", "value": {"heading": "One"}}
    data = sections_post(nova, user, [hero, {"type": "hero", "value": {"heading": "Two"}}])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data)
    assert response.status_code == 200
    assert "The maximum number of items is 1" in response.content.decode()
    assert nova.revisions.count() == revisions


def test_another_clinics_image_is_refused_on_a_team_page_and_in_the_hero(
    client, nova, three_rivers
):
    from wagtail.models import Collection

    from clinics.admin_forms import REFUSED_IMAGE
    from clinics.models import TeamIndexPage, TeamMemberPage
    from tests.factories import ImageFactory

    theirs = ImageFactory(collection=Collection.objects.get(name="Three Rivers Wellness"))
    ours = ImageFactory(collection=Collection.objects.get(name="Nova Health Recovery"))
    team = nova.add_child(instance=TeamIndexPage(title="Team", slug="team"))
    member = team.add_child(instance=TeamMemberPage(title="Maya Chen"))
    user = editor_of(nova)
    client.force_login(user)
    edit = reverse("wagtailadmin_pages:edit", args=[member.pk])
    member.photo = theirs
    response = client.post(edit, page_post(member, user))
    assert response.status_code == 200 and REFUSED_IMAGE in response.content.decode()
    member.photo = ours
    assert client.post(edit, page_post(member, user)).status_code == 302

    data = sections_post(nova, user, [{"type": "hero", "value": {"image": theirs.pk}}])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data)
    assert response.status_code == 200 and REFUSED_IMAGE in response.content.decode()
    assert not ClinicHomePage.objects.get(pk=nova.pk).get_latest_revision_as_object().sections


def test_an_editor_views_the_draft_of_the_home_page_and_a_team_page(client, nova):
    from clinics.models import TeamIndexPage, TeamMemberPage

    user = editor_of(nova)
    client.force_login(user)
    data = sections_post(nova, user, [{"type": "faq", "value": FAQ}])
    assert client.post(reverse("wagtailadmin_pages:edit", args=[nova.pk]), data).status_code == 302
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[nova.pk]))
    assert response.status_code == 200 and "Is parking free?" in response.content.decode()
    team = nova.add_child(instance=TeamIndexPage(title="Team", slug="team"))
    member = team.add_child(instance=TeamMemberPage(title="Maya Chen", live=False))
    member.bio = "Draft biography."
    member.save_revision()
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[member.pk]))
    assert response.status_code == 200 and "Draft biography." in response.content.decode()
