"""Details a visitor reads: opening hours as ranges, phone numbers as `tel:` links,
citation punctuation, and a call-to-action chosen by the article's topic."""

from datetime import time

import pytest
from bs4 import BeautifulSoup

from clinics.hours import summarise
from clinics.tokens import phone_href, render_text_html, render_tokens
from pagecache import dependencies
from tests.factories import (
    CallToActionFactory,
    TopicFactory,
    committed,
    make_clinic,
    make_library_article,
    paragraph,
)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
PHONE = {"clinic": "Nova", "city": "Portland", "phone": "(503) 555-0140"}
PHONE_LINK = '<a class="tel" href="tel:5035550140">(503) 555-0140</a>'


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def lines(rows) -> list[str]:
    return [
        f"{line.days} " + ", ".join(f"{o:%H:%M}–{c:%H:%M}" for o, c in line.intervals)
        for line in summarise(rows)
    ]


# --- opening hours -----------------------------------------------------------------------


def test_consecutive_days_with_the_same_hours_read_as_a_range():
    assert lines([(WEEKDAYS, time(8), time(18))]) == ["Mon–Fri 08:00–18:00"]


def test_days_apart_are_listed_and_each_set_of_hours_is_a_line_in_week_order():
    rows = [
        (["Saturday"], time(10), time(14)),
        (["Friday", "Monday", "Wednesday"], time(9), time(17)),
        (["Sunday", "Saturday"], time(15), time(16)),
    ]
    assert lines(rows) == [
        "Mon, Wed, Fri 09:00–17:00",
        "Sat 10:00–14:00, 15:00–16:00",
        "Sun 15:00–16:00",
    ]


def test_two_rows_with_the_same_hours_are_one_line_and_two_days_are_not_a_range():
    rows = [(["Monday", "Tuesday"], time(9), time(17)), (["Saturday"], time(9), time(17))]
    rows.append((["Sunday"], time(9), time(17)))
    assert lines(rows) == ["Mon, Tue, Sat, Sun 09:00–17:00"]


def test_the_footer_shows_the_hours_as_ranges(client):
    make_clinic(
        "Hours Clinic",
        slug="hours",
        opening_hours=[
            ("hours", {"days": WEEKDAYS, "opens": "08:00", "closes": "18:00"}),
            ("hours", {"days": ["Saturday"], "opens": "10:00", "closes": "14:00"}),
        ],
    )
    hours = soup(client.get("/", HTTP_HOST="hours.localhost")).select(".hours li")
    assert [" ".join(li.get_text().split()) for li in hours] == [
        "Mon–Fri 8:00 AM–6:00 PM",
        "Sat 10:00 AM–2:00 PM",
    ]
    assert [t["datetime"] for t in hours[0].find_all("time")] == ["08:00", "18:00"]


# --- phone numbers -------------------------------------------------------------------------


def test_phone_in_plain_text_shown_as_html_is_a_tel_link_and_the_rest_is_escaped():
    html = render_text_html("Call {phone} <b>now</b> & {city}.", PHONE)
    assert html == f"Call {PHONE_LINK} &lt;b&gt;now&lt;/b&gt; &amp; Portland."


def test_a_phone_value_cannot_add_markup_and_a_value_without_digits_is_no_link():
    hostile = {**PHONE, "phone": '555 <script>x</script> "1'}
    html = render_text_html("Call {phone}", hostile)
    assert "<script>" not in html and html.count("<a ") == 1
    assert 'href="tel:5551"' in html
    assert render_text_html("Call {phone}", {**PHONE, "phone": "ask us"}) == "Call ask us"


def test_a_tel_link_dials_decimal_digits_only():
    assert phone_href("+1 (503) 555-0140") == "tel:+15035550140"
    assert phone_href("\u0665\u0660\u0663") == "tel:503"  # Arabic-Indic digits
    assert phone_href("²") == "" and phone_href("+") == ""


def test_phone_in_rich_text_is_a_link_except_inside_a_link_or_an_attribute():
    assert render_tokens("<p>Call {phone}.</p>", PHONE, html=True) == f"<p>Call {PHONE_LINK}.</p>"
    inside = '<p><a href="https://x.example/">Call {phone}</a> or {phone}</p>'
    assert render_tokens(inside, PHONE, html=True) == (
        f'<p><a href="https://x.example/">Call (503) 555-0140</a> or {PHONE_LINK}</p>'
    )
    assert render_tokens('<p title="{phone}">x</p>', PHONE, html=True) == (
        '<p title="(503) 555-0140">x</p>'
    )


@pytest.fixture
def clinic():
    default = CallToActionFactory(
        name="Default", headline="Talk to {clinic}", text="Call {phone} today."
    )
    return make_clinic(
        "Nova Health Recovery",
        slug="nova",
        phone="(503) 555-0140",
        default_call_to_action=default,
    )


def test_the_phone_in_the_call_to_action_text_is_a_tel_link(clinic, client):
    make_library_article("Sleep and stress", body=[paragraph("Sleep matters. Call {phone}.")])
    page = soup(client.get("/blog/sleep-and-stress/", HTTP_HOST="nova.localhost"))
    link = page.select_one(".cta__text a")
    assert link["href"] == "tel:5035550140" and link.get_text() == "(503) 555-0140"
    assert page.select_one(".article__body a.tel")["href"] == "tel:5035550140"
    assert page.select_one(".site-footer a.tel")["href"] == "tel:5035550140"


# --- citations ---------------------------------------------------------------------------


def test_a_citation_never_doubles_its_full_stops(clinic, client):
    make_library_article(
        "Cited",
        references=[
            (
                "reference",
                {
                    "title": "Post-traumatic stress disorder",
                    "authors": "Yehuda R, et al.",
                    "publication": "Nature Reviews Disease Primers",
                    "year": 2015,
                },
            ),
            ("reference", {"title": "Does ketamine help?", "authors": "Feder A"}),
        ],
    )
    items = soup(client.get("/blog/cited/", HTTP_HOST="nova.localhost")).select(".references li")
    texts = [" ".join(li.get_text().split()) for li in items]
    assert texts == [
        "Yehuda R, et al. Post-traumatic stress disorder. Nature Reviews Disease Primers (2015)",
        "Feder A. Does ketamine help?",
    ]


# --- the call-to-action by topic -------------------------------------------------------------


def article_on(title, *topics, **fields):
    article = make_library_article(title, publish=False, **fields)
    article.topics.add(*topics)
    with committed():
        article.save_revision().publish()
    return article


def cta_headline(client, slug) -> str:
    page = soup(client.get(f"/blog/{slug}/", HTTP_HOST="nova.localhost"))
    return page.select_one(".cta__headline").get_text()


def test_an_article_shows_its_topic_call_to_action_and_others_the_clinic_default(clinic, client):
    ptsd_cta = CallToActionFactory(headline="Talk to {clinic} about ketamine for PTSD")
    ptsd = TopicFactory(name="PTSD", call_to_action=ptsd_cta)
    article_on("What causes PTSD?", ptsd)
    article_on("Sleep hygiene", TopicFactory(name="Sleep"))
    assert cta_headline(client, "what-causes-ptsd") == (
        "Talk to Nova Health Recovery about ketamine for PTSD"
    )
    assert cta_headline(client, "sleep-hygiene") == "Talk to Nova Health Recovery"


def test_a_topic_call_to_action_the_clinic_cannot_link_falls_back_to_the_default(clinic, client):
    by_phone = CallToActionFactory(headline="Call us", link_type="phone")
    by_booking = CallToActionFactory(headline="Book with {clinic}", link_type="booking")
    clinic.phone = ""
    clinic.save_revision().publish()
    # Topics are tried by name: "Anxiety" needs the phone Nova no longer has.
    article_on(
        "Anxiety and PTSD",
        TopicFactory(name="Anxiety", call_to_action=by_phone),
        TopicFactory(name="PTSD", call_to_action=by_booking),
    )
    assert cta_headline(client, "anxiety-and-ptsd") == "Book with Nova Health Recovery"


def test_the_copy_s_own_choice_wins_over_its_topic(clinic, client):
    article = article_on(
        "Chosen", TopicFactory(call_to_action=CallToActionFactory(headline="Topic's"))
    )
    copy = article.clinic_copies.get()
    copy.call_to_action = CallToActionFactory(headline="The copy's own")
    with committed():
        copy.save_revision().publish()
    assert cta_headline(client, "chosen") == "The copy's own"


def test_editing_a_call_to_action_drops_the_copies_its_topic_shows_it_on(clinic):
    cta = CallToActionFactory()
    article_on("Dropped", TopicFactory(call_to_action=cta))
    article_on("Kept", TopicFactory())
    site = clinic.get_site()
    paths = dependencies.for_call_to_action(cta.pk).paths[site.pk]
    assert "/blog/dropped/" in paths
    assert "/blog/kept/" not in paths
