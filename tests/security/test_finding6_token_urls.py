"""Issue 9, finding 6: token values in URL attributes"""

import pytest
from bs4 import BeautifulSoup

from blog.models import BodyOverride, ClinicArticlePage
from clinics.models import ClinicHomePage
from clinics.tokens import is_safe_url, render_tokens
from tests.factories import add_override, make_library_article, paragraph


def test_a_city_cannot_turn_a_tokenised_link_into_a_script(client, nova):
    ClinicHomePage.objects.filter(pk=nova.pk).update(city="javascript:alert(document.domain)")
    article = make_library_article(body=[paragraph("Library text.", "b1")])
    copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    add_override(
        copy,
        "b1",
        BodyOverride.Action.REPLACE,
        [
            paragraph(
                '<a href="{city}">Find us</a>, <a href="https://maps.example/?q={city}">map</a>, '
                '<a href="tel:{phone}">call</a> in {city}'
            )
        ],
    )
    response = client.get("/blog/what-causes-ptsd/", HTTP_HOST="nova.localhost")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    hrefs = [a.get("href") for a in soup.select("main a")]
    assert not any((h or "").strip().lower().startswith("javascript") for h in hrefs), hrefs
    assert "https://maps.example/?q=javascript:alert(document.domain)" in hrefs
    assert "tel:(503) 555-0140" in hrefs
    assert "in javascript:alert(document.domain)" in soup.get_text()


VALUES = {"city": "javascript:alert(1)", "clinic": 'A&B "x" <b>', "phone": "(503) 555-0140"}


@pytest.mark.parametrize(
    "markup, expected",
    [
        ('<a href="{city}">x</a>', "<a>x</a>"),
        ("<a href={city}>x</a>", "<a>x</a>"),
        ('<a href="  JaVa\tscript:{phone}">x</a>', "<a>x</a>"),
        (
            '<a href="{city}" title="{clinic}">x</a>',
            '<a title="A&amp;B &quot;x&quot; &lt;b&gt;">x</a>',
        ),
        ("<p title={clinic}>x</p>", '<p title="A&amp;B &quot;x&quot; &lt;b&gt;">x</p>'),
        ('<a onclick="{clinic}" style="{clinic}">x</a>', "<a>x</a>"),
        ("<p {city}>x</p>", "<p>x</p>"),
        ('<a href="&#106;avascript:{phone}">x</a>', "<a>x</a>"),  # decoded, then checked
        ("<p>{clinic}</p>", "<p>A&amp;B &quot;x&quot; &lt;b&gt;</p>"),
        ('<a href="tel:{phone}">call</a>', '<a href="tel:(503) 555-0140">call</a>'),
        ('<a href="/find?c={city}">x</a>', '<a href="/find?c=javascript:alert(1)">x</a>'),
        (
            '<a href="https://m.example/?q={city}">x</a>',
            '<a href="https://m.example/?q=javascript:alert(1)">x</a>',
        ),
        (
            '<a href="https://x.example/">{unknown}</a>',
            '<a href="https://x.example/">{unknown}</a>',
        ),
    ],
)
def test_a_value_is_checked_for_the_context_it_fills(markup, expected):
    assert render_tokens(markup, VALUES, html=True) == expected


@pytest.mark.parametrize(
    "url, safe",
    [
        ("https://a.example/", True),
        ("HTTP://a.example/", True),
        ("tel:+15035550140", True),
        ("mailto:a@b.example", True),
        ("/blog/", True),
        ("#top", True),
        ("?page=2", True),
        ("page/2:3", True),
        ("javascript:alert(1)", False),
        (" java\nscript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:x", False),
        ("&#106;avascript:x", True),  # as a browser reads it once decoded: a fragment
    ],
)
def test_urls_a_token_may_make(url, safe):
    assert is_safe_url(url) is safe
