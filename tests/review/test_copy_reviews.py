"""Stored copy reviews (``review.models.CopyReview``): computed in the background when a
copy's text may have changed, enqueued on commit, and gone for copies no longer live."""

from django.test import TestCase

from blog.models import BodyOverride, ClinicArticlePage
from blog.syndication import copy_text_changed
from review.models import CopyReview
from tests.factories import (
    add_override,
    approve,
    committed,
    make_library_article,
    paragraph,
)

TRAUMA = (
    "Trauma can come in many forms, such as physical, emotional, or sexual abuse, exposure "
    "to war, or experiencing a natural disaster, and each of them can leave lasting marks."
)
CLAIM = "Ketamine therapy cures PTSD."
OWN_WORDS = (
    "Our Pittsburgh team sees every patient in person first, talks through their history "
    "and goals, explains the options available locally, and sets up a plan that fits."
)
FINDING_KEYS = {"rule", "title", "severity", "sentence", "block", "where", "advice"}


def article(title="Understanding trauma", *texts, **fields):
    publish = fields.pop("publish", True)
    page = make_library_article(
        title=title,
        body=[paragraph(text) for text in (texts or (TRAUMA, CLAIM))],
        publish=False,
        **fields,
    )
    if publish:
        approve(page, publish=True)
    return page


def copy_of(source, clinic) -> ClinicArticlePage:
    return ClinicArticlePage.objects.descendant_of(clinic).get(source=source)


def review_of(page) -> CopyReview:
    return CopyReview.objects.get(page_id=page.pk)


def test_the_pipeline_stores_each_live_copys_review(nova, three_rivers):
    source = article()
    nova_copy, tr_copy = copy_of(source, nova), copy_of(source, three_rivers)
    assert set(CopyReview.objects.values_list("page_id", flat=True)) == {nova_copy.pk, tr_copy.pk}

    row = review_of(nova_copy)
    assert row.clinic_id == nova.pk and row.source_id == source.pk
    assert (row.error_count, row.warning_count) == (1, 0)
    [finding] = row.findings
    assert set(finding) == FINDING_KEYS
    assert finding["rule"] == "claims.cure" and finding["severity"] == "error"
    assert (finding["sentence"], finding["block"], finding["where"]) == (CLAIM, 2, "block 2")
    assert finding["title"] and finding["advice"]
    # The two copies say the same: near-duplicates of each other.
    assert row.near_duplicates == [{"page": tr_copy.pk, "similarity": 1.0}]
    assert row.near_duplicate_count == 1
    assert review_of(tr_copy).near_duplicates == [{"page": nova_copy.pk, "similarity": 1.0}]


def test_a_clinics_own_words_are_reviewed_again(nova, three_rivers):
    source = article()
    copy = copy_of(source, three_rivers)
    for block in source.body:
        add_override(copy, block.id, BodyOverride.Action.REPLACE, [paragraph(OWN_WORDS)])
        copy = ClinicArticlePage.objects.get(pk=copy.pk)

    mine = review_of(copy)
    assert mine.error_count == 0 and mine.findings == []
    assert mine.near_duplicates == [] and mine.near_duplicate_count == 0
    # The other copy's near-duplicates follow.
    assert review_of(copy_of(source, nova)).near_duplicate_count == 0


def test_withdrawing_the_library_article_removes_the_rows(nova, three_rivers):
    source = article()
    assert CopyReview.objects.count() == 2
    with committed():
        source.unpublish()
    assert not CopyReview.objects.exists()

    with committed():  # republished: the restored copies are reviewed again
        source.get_latest_revision().publish()
    assert CopyReview.objects.count() == 2


def test_a_copy_the_clinic_unpublishes_loses_its_row(nova, three_rivers):
    source = article()
    copy = copy_of(source, three_rivers)
    with committed():
        copy.unpublish()
    assert not CopyReview.objects.filter(page_id=copy.pk).exists()
    assert review_of(copy_of(source, nova)).near_duplicate_count == 0


def test_a_deleted_copy_leaves_no_near_duplicate_behind(nova, three_rivers):
    source = article()
    copy = copy_of(source, three_rivers)
    with committed():
        copy.delete()
    assert CopyReview.objects.count() == 1
    remaining = review_of(copy_of(source, nova))
    assert remaining.near_duplicates == [] and remaining.near_duplicate_count == 0


def test_a_clinics_own_article_is_reviewed(nova):
    blog = nova.get_children().get()
    own = blog.add_child(
        instance=ClinicArticlePage(
            title="Our new clinic", title_override="Our new clinic", slug="ours", live=False
        )
    )
    # Its words are the clinic's own blocks (there is no library body to lay them over).
    add_override(own, BodyOverride.START, BodyOverride.Action.INSERT_AFTER, [paragraph(CLAIM)])
    own = ClinicArticlePage.objects.get(pk=own.pk)
    assert own.live
    row = review_of(own)
    assert row.source_id is None and row.clinic_id == nova.pk
    assert "claims.cure" in {f["rule"] for f in row.findings}

    with committed():
        own.unpublish()
    assert not CopyReview.objects.filter(page_id=own.pk).exists()


def test_the_review_is_enqueued_only_when_the_transaction_commits(nova):
    source = article()
    copy = copy_of(source, nova)
    CopyReview.objects.all().delete()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        copy_text_changed.send(sender=ClinicArticlePage, page=copy)
    assert not CopyReview.objects.exists()  # nothing ran in the "request"
    assert callbacks  # seo's refresh too
    for callback in callbacks:  # the commit: the tasks run (the immediate backend)
        callback()
    assert review_of(copy).error_count == 1
