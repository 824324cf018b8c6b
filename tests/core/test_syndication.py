"""Syndication: publishing a library article gives every subscribing clinic its copy."""

import pytest

from blog.models import BodyOverride, ClinicArticlePage, LibraryArticlePage
from blog.resolution import resolve_article
from blog.tasks import syndicate_library_article
from clinics.models import ClinicHomePage
from tests.factories import (
    TopicFactory,
    add_override,
    committed,
    make_clinic,
    make_library_article,
    paragraph,
)


def copies(article):
    return ClinicArticlePage.objects.filter(source=article)


def test_publishing_creates_one_live_copy_per_subscribing_clinic(nova, three_rivers):
    article = make_library_article()
    assert copies(article).count() == 2
    assert all(copy.live for copy in copies(article))
    assert {copy.get_parent().get_parent().specific for copy in copies(article)} == {
        nova,
        three_rivers,
    }


def test_publishing_twice_creates_no_duplicates(nova, three_rivers):
    article = make_library_article()
    with committed():
        article.save_revision().publish()
    syndicate_library_article.enqueue(article.pk)
    assert copies(article).count() == 2


def test_clinics_choose_drafts_topics_or_manual(db):
    ptsd, anxiety = TopicFactory(name="PTSD"), TopicFactory(name="Anxiety")
    drafts = make_clinic("Draft Clinic", publish_syndicated=False)
    by_topic = make_clinic("Topic Clinic", syndication_mode=ClinicHomePage.Syndication.TOPICS)
    by_topic.syndication_topics.set([anxiety])
    with committed():
        by_topic.save_revision().publish()
    manual = make_clinic("Manual Clinic", syndication_mode=ClinicHomePage.Syndication.MANUAL)

    article = make_library_article(publish=False)
    article.topics.set([ptsd])
    with committed():
        article.save_revision().publish()

    draft_copy = ClinicArticlePage.objects.descendant_of(drafts).get(source=article)
    assert not draft_copy.live and draft_copy.has_unpublished_changes
    assert not ClinicArticlePage.objects.descendant_of(by_topic).exists()
    assert not ClinicArticlePage.objects.descendant_of(manual).exists()

    article.topics.set([ptsd, anxiety])
    with committed():
        article.save_revision().publish()
    assert ClinicArticlePage.objects.descendant_of(by_topic).get(source=article).live


def test_overrides_survive_library_edits_and_republishing(nova):
    article = make_library_article(body=[paragraph("Library.", "p1"), paragraph("Two.", "p2")])
    copy = ClinicArticlePage.objects.get(source=article)
    add_override(copy, "p1", BodyOverride.Action.REPLACE, [paragraph("Nova's own.")])
    add_override(copy, "p2", BodyOverride.Action.HIDE)
    copy.title_override = "Nova's title"
    with committed():
        copy.save_revision().publish()

    draft = article.get_latest_revision_as_object()
    draft.title = "A new library title"
    with committed():
        draft.save_revision().publish()

    copy = ClinicArticlePage.objects.get(source=article)
    assert copy.body_overrides.count() == 2
    effective = resolve_article(copy)
    assert effective.title == "Nova's title"
    assert [b.plain_text() for b in effective.body] == ["Nova's own."]


def test_a_new_library_title_reaches_copies_that_did_not_override_it(nova):
    article = make_library_article(title="Old title")
    draft = article.get_latest_revision_as_object()
    draft.title = "New title"
    with committed():
        draft.save_revision().publish()
    copy = ClinicArticlePage.objects.get(source=article)
    assert copy.title == "New title"  # the admin's title follows
    assert resolve_article(copy).title == "New title"


def test_unpublishing_the_library_article_withdraws_every_copy(nova, three_rivers, client):
    article = make_library_article()
    nova_copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(
        nova_copy, BodyOverride.END, BodyOverride.Action.INSERT_AFTER, [paragraph("Kept.")]
    )

    with committed():
        article.unpublish()
    assert not any(copy.live for copy in copies(article))
    assert all(copy.withdrawn_with_source for copy in copies(article))
    response = client.get(nova_copy.url_path.removeprefix("/nova"), HTTP_HOST="nova.localhost")
    assert response.status_code == 404
    # The copy and the clinic's changes are kept as they were.
    assert ClinicArticlePage.objects.get(pk=nova_copy.pk).body_overrides.count() == 1


def test_republishing_brings_withdrawn_copies_back_as_each_clinic_chose(nova):
    drafts = make_clinic("Draft Clinic", publish_syndicated=False)
    article = make_library_article()
    draft_copy = ClinicArticlePage.objects.descendant_of(drafts).get(source=article)
    with committed():
        draft_copy.save_revision().publish()  # that clinic reviewed and published it
    with committed():
        article.unpublish()

    with committed():
        LibraryArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert ClinicArticlePage.objects.descendant_of(nova).get(source=article).live
    assert not ClinicArticlePage.objects.get(pk=draft_copy.pk).live


def test_a_library_article_carried_by_clinics_cannot_be_deleted(nova):
    from django.db.models import ProtectedError

    article = make_library_article()
    with pytest.raises(ProtectedError):
        article.delete()
