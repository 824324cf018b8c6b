"""Issue 9, finding 8: lengths of what public pages and JSON-LD show."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from clinics.models import CallToAction, ClinicHomePage


def test_a_clinic_intro_is_bounded(nova):
    nova.intro = "x" * 2_000_000
    with pytest.raises(ValidationError) as error:
        nova.full_clean()
    assert "intro" in error.value.message_dict


def test_every_public_text_field_of_the_clinic_and_the_shared_snippets_is_bounded():
    from django.db import models

    for model in (ClinicHomePage, CallToAction):
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.model is not Page:
                assert field.max_length, f"{model.__name__}.{field.name} has no length bound"


def test_a_copys_summary_and_description_are_bounded(as_nova, world):
    from tests.security.test_finding4_5_posted_source import copy_form

    url = reverse("wagtailadmin_pages:edit", args=[world.nova_copy.pk])
    for field in ("summary_override", "search_description"):
        response = as_nova.post(url, copy_form(world.nova_copy, **{field: "x" * 2_000_000}))
        assert response.status_code == 200
        assert "Ensure this value has at most" in response.content.decode(), field


def test_every_other_text_field_of_an_admin_form_is_bounded_too(client, world):
    # The blog's intro and the library's summary have no bound of their own: every admin
    # form bounds plain text fields (clinics/admin_forms.py, TEXT_FIELD_LIMIT).
    from blog.models import BlogIndexPage, LibraryArticlePage

    for model, name in ((BlogIndexPage, "intro"), (LibraryArticlePage, "summary")):
        form_class = model.get_edit_handler().get_form_class()
        field = form_class.base_fields[name]
        assert field.max_length == 10_000, (model.__name__, name)
    client.force_login(world.nova_editor)
    blog = world.nova_blog
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[blog.pk]),
        {"title": blog.title, "slug": blog.slug, "intro": "x" * 2_000_000},
    )
    assert response.status_code == 200
    assert "Ensure this value has at most" in response.content.decode()
