"""A bounded fuzz of the admin forms that shape public pages: the clinic article (a copy),
the library article, the clinic home and the call-to-action.

Each form starts from what its edit page would post for the real object (every field,
StreamField and inline row, built from the form itself), then Hypothesis breaks a few
keys at a time: removed, or set to malformed values (not numbers where ids go, huge
numbers, NUL bytes, markup, unknown tokens, 20,000 characters, ...), with an unknown key
or two added; then every key alone, with a NUL byte and with one other malformed value.
Whatever is posted, the answer is a page or a redirect, never a 500. FUZZ_EXAMPLES
random cases per form and two per key (4 forms, 89 keys: 298 posts in all), no deadline.
"""

from dataclasses import dataclass

import pytest
from django import forms
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail import blocks
from wagtail.blocks import BlockField
from wagtail.test.utils.form_data import rich_text

from clinics.models import CallToAction, ClinicHomePage

FUZZ_EXAMPLES = 30
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MALFORMED = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "abc",
            "-1",
            "0",
            "1.5",
            "1e309",
            "NaN",
            "99999999999999999999999",
            "\x00",
            "a\x00b",
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            "{clinc}",
            "{",
            "}",
            "[]",
            '{"blocks": []}',
            "2026-13-45",
            "x" * 20_000,
            "💥" * 100,
            "on",
            "__start__",
        ]
    ),
    st.text(max_size=30),
)
REMOVED = object()


# --- what an edit page posts, from its form ------------------------------------------------


def block_post(block, raw):
    """A block's stored (JSON) value as the admin's form posts it, nested."""
    if isinstance(block, blocks.StreamBlock):
        items = raw or []
        return {
            "count": str(len(items)),
            **{
                str(i): {
                    "type": item["type"],
                    "value": block_post(block.child_blocks[item["type"]], item.get("value")),
                    "id": item.get("id") or "",
                    "order": str(i),
                    "deleted": "",
                }
                for i, item in enumerate(items)
            },
        }
    if isinstance(block, blocks.ListBlock):
        items = [i if isinstance(i, dict) and "value" in i else {"value": i} for i in raw or []]
        return {
            "count": str(len(items)),
            **{
                str(i): {
                    "value": block_post(block.child_block, item["value"]),
                    "id": item.get("id") or "",
                    "order": str(i),
                    "deleted": "",
                }
                for i, item in enumerate(items)
            },
        }
    if isinstance(block, blocks.StructBlock):
        raw = raw or {}
        return {
            name: block_post(child, raw.get(name)) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.RichTextBlock):
        return rich_text(raw or "")
    if isinstance(block, blocks.BooleanBlock):
        return "on" if raw else ""
    return "" if raw is None else str(raw)


def flatten(prefix, nested, out):
    if isinstance(nested, dict):
        for key, value in nested.items():
            flatten(f"{prefix}-{key}", value, out)
    else:
        out[prefix] = nested


def form_post(form) -> dict:
    """Every field of a bound-to-nothing form, its formsets' rows included, as posted."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field, BlockField):
            raw = value.raw_data if hasattr(value, "raw_data") else value
            flatten(key, block_post(field.block, list(raw or [])), data)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            data[key] = [str(getattr(v, "pk", v)) for v in value or []]
        else:
            data[key] = "" if value is None else str(getattr(value, "pk", value))
    for formset in getattr(form, "formsets", {}).values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
        for row in formset.forms:
            data.update(form_post(row))
    return data


def page_post(page, user) -> dict:
    page = page.specific
    form_class = page.get_edit_handler().get_form_class()
    return form_post(form_class(instance=page, for_user=user, parent_page=page.get_parent()))


def cta_post(cta) -> dict:
    return {
        "name": cta.name,
        "headline": cta.headline,
        "text": cta.text,
        "button_label": cta.button_label,
        "link_type": cta.link_type,
        "link_page": str(cta.link_page_id or ""),
        "link_url": cta.link_url,
    }


# --- the fuzz --------------------------------------------------------------------------------


@st.composite
def breakages(draw, keys):
    broken = draw(st.lists(st.sampled_from(sorted(keys)), min_size=1, max_size=4, unique=True))
    changes = {key: draw(st.one_of(st.just(REMOVED), MALFORMED)) for key in broken}
    for _ in range(draw(st.integers(0, 2))):
        base = draw(st.sampled_from(sorted(keys)))
        changes[draw(st.sampled_from([f"{base}-9-type", f"{base}-x", "body-99-value"]))] = draw(
            MALFORMED
        )
    return changes


def broken(data: dict, changes: dict) -> dict:
    post = dict(data)
    for key, value in changes.items():
        if value is REMOVED:
            post.pop(key, None)
        else:
            post[key] = value
    return post


@dataclass
class Target:
    user: object
    url: str
    data: dict


def fuzz(client, target: Target):
    client.force_login(target.user)
    client.raise_request_exception = False  # a 500 is an answer to assert on, not raised
    # The unbroken post is accepted (the fuzz starts from a form that works).
    assert client.post(target.url, target.data).status_code in (200, 302)

    @FUZZ
    @given(breakages(target.data.keys()))
    def post_broken(changes):
        response = client.post(target.url, broken(target.data, changes))
        assert response.status_code < 500, changes

    post_broken()


@pytest.fixture
def targets(world):
    w = world
    home = ClinicHomePage.objects.get(pk=w.nova.pk)
    cta = CallToAction.objects.first()
    edit = "wagtailadmin_pages:edit"
    return {
        "clinic article": Target(
            w.nova_editor,
            reverse(edit, args=[w.nova_copy.pk]),
            page_post(w.nova_copy, w.nova_editor),
        ),
        "library article": Target(
            w.central_editor,
            reverse(edit, args=[w.article.pk]),
            page_post(w.article, w.central_editor),
        ),
        "clinic home": Target(
            w.nova_editor, reverse(edit, args=[home.pk]), page_post(home, w.nova_editor)
        ),
        "call-to-action": Target(
            w.central_editor,
            reverse("wagtailsnippets_clinics_calltoaction:edit", args=[cta.pk]),
            cta_post(cta),
        ),
    }


FORMS = ["clinic article", "library article", "clinic home", "call-to-action"]
# Every key, deterministically, beside the fuzz's random few: a NUL byte (which
# PostgreSQL refuses in text), then one of the others in turn.
SWEEP = ["abc", "-1", "1e309", "x" * 20_000, " ", "{clinc}"]


@pytest.mark.parametrize("form", FORMS)
def test_no_malformed_post_to_an_admin_form_is_a_500(client, targets, form):
    fuzz(client, targets[form])


@pytest.mark.parametrize("form", FORMS)
def test_each_key_malformed_in_turn_is_never_a_500(client, targets, form):
    target = targets[form]
    client.force_login(target.user)
    client.raise_request_exception = False
    failures = []
    for index, key in enumerate(sorted(target.data)):
        for value in ("a\x00b", SWEEP[index % len(SWEEP)]):
            response = client.post(target.url, broken(target.data, {key: value}))
            if response.status_code >= 500:
                failures.append((key, value[:20]))
    assert failures == []
