"""Issue 9, finding 7: privacy changes and canonical decisions"""

from types import SimpleNamespace

import pytest
from wagtail.models import PageViewRestriction

from blog.models import ClinicArticlePage, CopyFingerprint
from seo.models import CanonicalDecision
from tests.factories import committed, make_library_article, paragraph

LONG = (
    "Trauma is the most significant risk factor for post-traumatic stress disorder and it "
    "can take many forms including abuse combat disasters and accidents which all shape "
    "how a person copes with the aftermath of a frightening event in daily life."
)


@pytest.fixture
def identical_copies(nova, three_rivers):
    article = make_library_article(title="Causes", body=[paragraph(LONG)], primary_clinic=nova)
    nova_copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    tr_copy = ClinicArticlePage.objects.descendant_of(three_rivers).get(source=article)
    assert CanonicalDecision.objects.get(page=tr_copy).target_id == nova_copy.pk
    return nova_copy, tr_copy


def test_a_view_restriction_refreshes_the_copys_fingerprint(identical_copies, monkeypatch):
    from blog import signal_handlers

    nova_copy, tr_copy = identical_copies
    enqueued = []
    monkeypatch.setattr(
        signal_handlers, "store_copy_fingerprint", SimpleNamespace(enqueue=enqueued.append)
    )
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=nova_copy, restriction_type=PageViewRestriction.LOGIN
        )
    assert enqueued == [nova_copy.pk]
    enqueued.clear()
    with committed():
        restriction.delete()
    assert enqueued == [nova_copy.pk]
    enqueued.clear()
    # a restriction on the clinic's blog covers every copy under it
    with committed():
        PageViewRestriction.objects.create(
            page=nova_copy.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )
    assert enqueued == [nova_copy.pk]


def test_a_password_protected_copy_is_no_other_copys_canonical(identical_copies, client):
    nova_copy, tr_copy = identical_copies
    with committed():
        PageViewRestriction.objects.create(
            page=nova_copy, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
    assert not CopyFingerprint.objects.filter(page=nova_copy).exists()
    assert CanonicalDecision.objects.get(page=tr_copy).outcome == "self"
    sitemap = client.get("/sitemap.xml", HTTP_HOST="threerivers.localhost")
    assert b"/blog/causes/" in sitemap.content
