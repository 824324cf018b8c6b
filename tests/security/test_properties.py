"""Property-based tests (Hypothesis): override resolution and token rendering.

For any library body and any set of a clinic's changes, resolution raises nothing, loses
no clinic block and shows each library block exactly when nothing hides or replaces it.
For any clinic values and any markup built from what editors write, token filling raises
nothing and adds no markup but the phone's own `tel:` link: otherwise the same tags as
with harmless values, no attribute those do not have, and every URL attribute safe.
Bounded: a few hundred examples in all, no deadline (CI's two cores are shared).
"""

import re
from html.parser import HTMLParser

import pytest
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.models import BodyOverride, ClinicArticlePage
from blog.resolution import (
    CLINIC,
    HIDDEN,
    INHERITED,
    LIBRARY,
    OVERRIDE,
    block_states,
    merge_body,
    resolve_article,
)
from clinics.models import ClinicHomePage
from clinics.tokens import KNOWN_TOKENS, URL_ATTRIBUTES, is_safe_url, render_tokens
from tests.factories import make_library_article, paragraph

PURE = settings(max_examples=150, deadline=None)
WITH_DB = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- values: anything, and the values that have broken pages elsewhere ------------------

DANGEROUS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "\tjava\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '" onclick="alert(1)',
    "<img src=x onerror=alert(1)>",
    "</a><a href=javascript:alert(1)>",
    "{city}",
    "{clinic}{phone}",
    "&lt;script&gt;",
    "&#106;avascript:alert(1)",
    "`",
    "=",
]
value = st.one_of(st.sampled_from(DANGEROUS), st.text(max_size=40))
values = st.fixed_dictionaries({name: value for name in KNOWN_TOKENS})
token = st.sampled_from([f"{{{name}}}" for name in KNOWN_TOKENS])
word = st.text(alphabet="abc xyz.,;:-'\"&=/?#", max_size=8)
# No colon in an attribute's own words: a URL's scheme can then only come from a value.
attribute_word = st.text(alphabet="abc xyz.,;-'\"&=/?#", max_size=8)
attribute_value = st.lists(st.one_of(token, attribute_word.map(escape)), max_size=3).map("".join)

# What editors' rich text holds: tags with quoted and unquoted attributes, tokens in
# text, in attribute values and (by mistake) where no value can go.
FRAGMENTS = [
    st.builds('<a href="{}">'.format, attribute_value),
    st.builds("<a href='{}'>".format, attribute_value),
    st.builds("<a href={}>".format, token),
    st.builds('<a href="https://maps.example/?q={}">'.format, token),
    st.builds('<a href="tel:{}">'.format, token),
    st.builds('<a href="mailto:{}">'.format, token),
    st.builds('<img src="{}" alt="{}">'.format, attribute_value, attribute_value),
    st.builds('<p title="{}">'.format, attribute_value),
    st.builds('<p onclick="{}">'.format, attribute_value),
    st.builds('<span style="{}">'.format, attribute_value),
    st.builds("<b {}>".format, token),
    st.just("</a>"),
    st.just("</p>"),
    st.just("<br>"),
    token,
    word.map(escape),
]
markup = st.lists(st.one_of(*FRAGMENTS), max_size=12).map("".join)
HARMLESS = {name: "x" for name in KNOWN_TOKENS}


class Tags(HTMLParser):
    """Start tags and their attributes, as a browser's tokenizer sees them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


PHONE_HREF = re.compile(r"tel:[+0-9]*[0-9][+0-9]*")


def phone_link(tag) -> bool:
    """The link `{phone}` becomes in text (`clinics.tokens.phone_link`), checked safe."""
    name, attrs = tag
    if name != "a" or [key for key, _ in attrs] != ["class", "href"] or attrs[0][1] != "tel":
        return False
    assert PHONE_HREF.fullmatch(attrs[1][1] or ""), attrs
    return True


@PURE
@given(markup, values)
def test_token_filling_adds_no_markup_and_no_unsafe_url(template, filled_with):
    html = render_tokens(template, filled_with, html=True)
    expected = Tags(render_tokens(template, HARMLESS, html=True)).tags
    got = [t for t in Tags(html).tags if not phone_link(t)]
    assert [tag for tag, _ in got] == [tag for tag, _ in expected]
    for (tag, attrs), (_, harmless_attrs) in zip(got, expected, strict=True):
        allowed = {name for name, _ in harmless_attrs}
        for name, attr_value in attrs:
            assert name in allowed, (tag, name, attr_value)
            if name in URL_ATTRIBUTES:
                assert is_safe_url(attr_value or ""), (tag, name, attr_value)


@PURE
@given(st.text(max_size=60), values)
def test_plain_token_filling_never_raises_and_leaves_text_plain(text, filled_with):
    # Plain text (titles, summaries, JSON-LD) is escaped where it is shown: here it only
    # has to come out a string, the same string when it holds no token.
    result = render_tokens(text, filled_with)
    assert isinstance(result, str)
    if "{" not in text:
        assert result == text


@PURE
@given(st.text(max_size=60), values)
def test_html_token_filling_never_raises_on_any_text(text, filled_with):
    assert isinstance(render_tokens(text, filled_with, html=True), str)


# --- override resolution -----------------------------------------------------------------

ACTIONS = list(BodyOverride.Action)


@st.composite
def copies(draw):
    """A library body (unique block ids) and a clinic's changes anchored anywhere: on its
    blocks, at the start or end, or on a block that no longer exists."""
    count = draw(st.integers(0, 6))
    library = [paragraph(f"Library {n}.", f"b{n}") for n in range(count)]
    anchors = [f"b{n}" for n in range(count)] + [BodyOverride.START, BodyOverride.END, "gone"]
    overrides = []
    for n in range(draw(st.integers(0, 8))):
        anchor = draw(st.sampled_from(anchors))
        action = draw(st.sampled_from(ACTIONS))
        if anchor in (BodyOverride.START, BodyOverride.END):
            action = draw(st.sampled_from(BodyOverride.INSERTS))
        blocks = draw(st.integers(0 if action == BodyOverride.Action.HIDE else 1, 2))
        content = [paragraph(f"Clinic {n}.{m}.", f"c{n}-{m}") for m in range(blocks)]
        overrides.append(BodyOverride(anchor=anchor, action=action, content=content))
    return library, overrides


@PURE
@given(copies())
def test_resolution_shows_each_library_block_unless_changed_and_loses_no_clinic_block(copy):
    library, overrides = copy
    merged = merge_body(library, overrides)

    def changed(block, action):
        return any(o.anchor == block["id"] and o.action == action for o in overrides)

    expected_library = [
        block["id"]
        for block in library
        if not changed(block, BodyOverride.Action.HIDE)
        and not changed(block, BodyOverride.Action.REPLACE)
    ]
    assert [raw["id"] for raw, origin, _ in merged if origin == LIBRARY] == expected_library

    inserted = [
        raw["id"]
        for o in overrides
        if o.action in BodyOverride.INSERTS
        for raw in o.content.raw_data
    ]
    assert sorted(raw["id"] for raw, origin, _ in merged if origin == CLINIC) == sorted(inserted)

    library_ids = {block["id"] for block in library}
    for _, origin, override in merged:
        if origin == OVERRIDE:
            assert override.anchor in library_ids
            assert not any(
                o.anchor == override.anchor and o.action == BodyOverride.Action.HIDE
                for o in overrides
            )

    states = block_states(library, overrides)
    assert [state.block["id"] for state in states] == [block["id"] for block in library]
    for state in states:
        shown = state.block["id"] in expected_library
        assert (state.state == INHERITED) == shown
        if changed(state.block, BodyOverride.Action.HIDE):
            assert state.state == HIDDEN


@pytest.fixture
def copy_page(nova):
    article = make_library_article(
        body=[
            paragraph('At {clinic} in {city}: <a href="{city}">visit</a>, call {phone}.', "b1"),
            paragraph("Unchanged library text.", "b2"),
        ]
    )
    return ClinicArticlePage.objects.descendant_of(nova).get(source=article)


@WITH_DB
@given(values)
def test_a_resolved_article_carries_no_markup_from_the_clinics_values(nova, copy_page, filled_with):
    def rendered(clinic_values):
        # The clinic's values as it would save them, unsaved: nothing is written.
        clinic = ClinicHomePage.objects.get(pk=nova.pk)
        clinic.title = clinic_values["clinic"][:255] or "Nova"
        clinic.city, clinic.phone = clinic_values["city"][:100], clinic_values["phone"][:30]
        article = resolve_article(copy_page, clinic=clinic)
        assert isinstance(article.title, str) and isinstance(article.plain_text(), str)
        return "".join(str(block.render_as_block()) for block in article.body)

    # The phone's own `tel:` link (checked safe) is the only markup a value may bring.
    tags = [tag for tag in Tags(rendered(filled_with)).tags if not phone_link(tag)]
    assert [tag for tag, _ in tags] == [tag for tag, _ in Tags(rendered(HARMLESS)).tags]
    for _, attrs in tags:
        for name, attr_value in attrs:
            assert not name.startswith("on")
            if name in URL_ATTRIBUTES:
                assert is_safe_url(attr_value or "")
