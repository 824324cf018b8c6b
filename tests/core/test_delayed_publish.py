"""A library publish while the task queue (Redis) does not answer: the edit is saved, its
run recorded, and the editor told the fan-out is delayed; a worker's maintenance then
queues it (tests/core/test_stalled_runs.py)."""

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

from blog.models import LibraryArticlePage, SyndicationRun
from tests.factories import make_clinic, make_library_article, medical_reviewer, paragraph

# Committed for real, as in production: the run is recorded and queued after the commit,
# inside the editor's request.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AWAY = {"default": {"BACKEND": "tests.core.test_stalled_runs.RedisAwayBackend"}}


def publish_form(article) -> dict:
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-id": "p1",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-value": '{"blocks": [{"key": "a", "type": "unstyled", "text": '
        '"Sleep problems are common after trauma.", "depth": 0, '
        '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        "offered_to_subscribers": "on",
        "references-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }


def test_the_editor_is_told_the_fan_out_is_delayed(client):
    Page.objects.filter(depth__gt=1).delete()
    make_clinic("Nova Health Recovery", slug="nova")
    article = make_library_article(
        title="Sleep and trauma",
        body=[paragraph("Sleep problems are common after trauma.", "p1")],
        publish=False,
    )
    reviewer = medical_reviewer()
    reviewer.is_superuser = True
    reviewer.save(update_fields=["is_superuser"])
    client.force_login(reviewer)

    with override_settings(TASKS=AWAY):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[article.pk]), publish_form(article)
        )
    assert response.status_code == 302
    assert LibraryArticlePage.objects.get(pk=article.pk).live
    run = SyndicationRun.objects.get(article=article)
    assert run.planned_at is None
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("publishing to the clinics is delayed" in message for message in shown), shown
