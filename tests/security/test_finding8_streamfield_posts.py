"""Issue 9, finding 8: a StreamField post without its management fields."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield


def library_form(article, **fields):
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "summary": article.summary,
            "body": streamfield([("paragraph", rich_text("<p>Text.</p>"))]),
            "references": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "focus_keyphrase": "",
            "about_condition": "",
        }
    )
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "mangle",
    [
        lambda d: d.pop("body-count"),
        lambda d: d.update({"body-count": "many"}),
        lambda d: d.update({"body-count": "3"}),
        lambda d: d.pop("body-0-order"),
        lambda d: d.update({"body-0-order": "x"}),
        lambda d: d.pop("body-0-type"),
        lambda d: d.pop("references-count"),
        # Rich text whose JSON is a number, not an editor state (found by the form fuzz).
        lambda d: d.update({"body-0-value": "1e309"}),
        lambda d: d.update({"body-0-value": "-1"}),
    ],
    ids=[
        "no-count",
        "count-text",
        "count-too-high",
        "no-order",
        "order-text",
        "no-type",
        "refs",
        "rich-text-infinity",
        "rich-text-number",
    ],
)
def test_a_malformed_streamfield_post_is_a_validation_message(client, world, mangle):
    client.force_login(world.central_editor)
    article = world.article
    data = library_form(article)
    mangle(data)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)
    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in response.content.decode()
