"""Issue 9, finding 4 and 5: a posted source id: a library draft, or not an id at all"""

import pytest
from django.urls import reverse

from blog.models import ClinicArticlePage
from tests.security.conftest import leaks


def copy_form(copy, **fields):
    data = {
        "source": copy.source_id,
        "title_override": "",
        "summary_override": "",
        "slug": copy.slug,
        "seo_title": "",
        "search_description": "",
        "canonical_policy": "auto",
        "cta_headline": "",
        "cta_text": "",
        "cta_button_label": "",
        "body_overrides-TOTAL_FORMS": "0",
        "body_overrides-INITIAL_FORMS": "0",
        "body_overrides-MIN_NUM_FORMS": "0",
        "body_overrides-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_refused_library_draft_is_not_shown_in_the_re_rendered_form(as_nova, world):
    url = reverse("wagtailadmin_pages:edit", args=[world.nova_copy.pk])
    response = as_nova.post(url, copy_form(world.nova_copy, source=world.library_draft.pk))
    assert response.status_code == 200
    assert "Choose a published library article." in response.content.decode()
    assert leaks(response.content) == []
    assert ClinicArticlePage.objects.get(pk=world.nova_copy.pk).source_id == world.article.pk


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "99999999999999999999", "1e3", " "])
def test_a_malformed_source_id_is_a_validation_message(as_nova, world, value):
    url = reverse("wagtailadmin_pages:edit", args=[world.nova_copy.pk])
    response = as_nova.post(url, copy_form(world.nova_copy, source=value))
    assert response.status_code == 200
    assert ClinicArticlePage.objects.get(pk=world.nova_copy.pk).source_id == world.article.pk


def test_a_refused_image_is_not_shown_in_the_re_rendered_form(as_nova, world):
    url = reverse("wagtailadmin_pages:edit", args=[world.nova_copy.pk])
    response = as_nova.post(
        url, copy_form(world.nova_copy, hero_image_override=world.other_image.pk)
    )
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()
    assert leaks(response.content) == []


def test_a_refused_image_in_a_block_is_not_shown_in_the_re_rendered_form(as_nova, world):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    data = copy_form(world.nova_copy)
    for key in [k for k in data if k.startswith("body_overrides-")]:
        del data[key]
    data.update(
        nested_form_data(
            {
                "body_overrides": inline_formset(
                    [
                        {
                            "id": "",
                            "anchor": "__end__",
                            "action": "insert_after",
                            "content": streamfield(
                                [
                                    (
                                        "image",
                                        {
                                            "image": world.other_image.pk,
                                            "alt_text": "x",
                                            "decorative": "",
                                        },
                                    )
                                ]
                            ),
                            "ORDER": "1",
                        }
                    ]
                )
            }
        )
    )
    url = reverse("wagtailadmin_pages:edit", args=[world.nova_copy.pk])
    response = as_nova.post(url, data)
    assert response.status_code == 200
    assert "belongs to a collection you cannot choose from" in response.content.decode()
    assert leaks(response.content) == []
