from pathlib import Path

import pytest

from textreview.onpage import (
    Block,
    Page,
    analyse_page,
    blocks_from_text,
    contains_phrase,
    count_syllables,
    internal_link_count,
    readability,
    text_width_px,
)

FIRST = (
    "Ketamine therapy in Portland can help some people with PTSD. It is given in a "
    "clinic by trained staff. You stay with us for about two hours."
)


def good_page(**changes):
    page = {
        "title": "Ketamine Therapy for PTSD in Portland | Nova Health",
        "h1": "Ketamine therapy for PTSD",
        "slug": "ketamine-therapy-for-ptsd",
        "meta_description": (
            "Ketamine therapy for PTSD in Portland: how infusions work, who they may help, "
            "what a session is like and how to book a consultation."
        ),
        "blocks": [
            Block(FIRST),
            Block("How it works", 2),
            Block("We talk first. Then we plan."),
            Block("Costs", 3),
            Block("We list our prices. Ask us about them."),
        ],
        "keyphrase": "ketamine therapy",
        "city": "Portland",
        "html": '<p>See <a href="/costs/">costs</a>.</p>',
    }
    page.update(changes)
    return Page(**page)


def rules(page):
    return {finding.rule for finding in analyse_page(page)}


def test_good_page_has_no_findings():
    assert analyse_page(good_page()) == []


@pytest.mark.parametrize(
    "field, value, rule",
    [
        ("title", "PTSD care in Portland from Nova Health Recovery", "keyphrase-missing-title"),
        ("h1", "Treating PTSD", "keyphrase-missing-h1"),
        ("slug", "treating-ptsd", "keyphrase-missing-slug"),
        (
            "meta_description",
            "How infusions work in Portland, who they may help and what a session "
            "is like; book a consultation with our team today.",
            "keyphrase-missing-description",
        ),
    ],
)
def test_keyphrase_missing(field, value, rule):
    assert f"seo.{rule}" in rules(good_page(**{field: value}))


def test_keyphrase_missing_from_first_paragraph():
    page = good_page(blocks=[Block("PTSD is common. We can help you."), Block(FIRST)])
    assert "seo.keyphrase-missing-first-paragraph" in rules(page)


def test_keyphrase_matching_ignores_case_punctuation_and_quotes():
    assert contains_phrase("What is KETAMINE-therapy?", "ketamine therapy")
    assert not contains_phrase("ketamine and therapy", "ketamine therapy")


def test_city_missing_is_info():
    findings = analyse_page(good_page(city="Seattle"))
    assert {(f.rule, str(f.severity)) for f in findings} == {
        ("seo.city-missing-title", "info"),
        ("seo.city-missing-description", "info"),
    }


def test_pixel_width_uses_character_widths():
    assert text_width_px("iiii", 20) < text_width_px("WWWW", 20)
    assert text_width_px("a", 20) == pytest.approx(11.12)


def test_title_too_long_in_pixels_even_when_short_in_characters():
    wide = "WWWW MMMM WWWW MMMM WWWW MMMM WWWW ketamine therapy"  # 50 chars, ~750 px
    assert len(wide) <= 60
    assert "seo.title-too-long" in rules(good_page(title=wide + " Portland"))


def test_title_and_description_too_short_or_missing():
    assert "seo.title-too-short" in rules(good_page(title="Ketamine therapy Portland"))
    assert "seo.title-missing" in rules(good_page(title=""))
    assert "seo.description-too-short" in rules(
        good_page(meta_description="Ketamine therapy in Portland.")
    )
    assert "seo.description-missing" in rules(good_page(meta_description=""))


def test_description_too_long():
    long = "Ketamine therapy in Portland. " + "More words about the treatment here. " * 6
    assert "seo.description-too-long" in rules(good_page(meta_description=long))


def test_heading_skipped_level_points_to_the_heading():
    page = good_page(blocks=[Block(FIRST), Block("Details", 4), Block("Fine text here.")])
    (finding,) = [f for f in analyse_page(page) if f.rule == "seo.heading-skipped-level"]
    assert finding.block_index == 1 and "h4 follows h1" in finding.advice


def test_multiple_h1_and_no_subheadings():
    assert "seo.multiple-h1" in rules(good_page(blocks=[Block(FIRST), Block("Again", 1)]))
    long_text = [Block(FIRST)] + [Block("We talk first. Then we plan the care.")] * 40
    assert "seo.no-subheadings" in rules(good_page(blocks=long_text))


def test_readability_figures():
    assert count_syllables("infusion") == 3
    assert count_syllables("care") == 1
    score = readability(["The cat sat. The dog ran."])
    assert score.sentences == 2 and score.average_sentence_words == 3.0
    # 206.835 - 1.015 * 3 - 84.6 * 1 = 119.19
    assert score.flesch_reading_ease == pytest.approx(119.2)


def test_long_hard_sentences_are_flagged():
    hard = (
        "Neuroplasticity-mediated psychopharmacological interventions demonstrate "
        "considerable heterogeneity regarding therapeutic responsiveness among individuals "
        "experiencing treatment-resistant posttraumatic symptomatology and comorbidities."
    )
    found = rules(good_page(blocks=[Block("Ketamine therapy helps. " + hard)]))
    assert "seo.hard-to-read" in found
    assert "seo.long-sentences" not in found  # 2 sentences, 10.5 words each on average
    wordy = "Ketamine therapy " + "and the care we give " * 6 + "helps."
    assert "seo.long-sentences" in rules(good_page(blocks=[Block(wordy)]))


def test_internal_links():
    html = (
        '<a href="/a/">a</a> <a href="https://nova.example/b/">b</a> '
        '<a href="https://other.example/">c</a> <a href="#top">d</a> '
        '<a href="mailto:x@y.z">e</a>'
    )
    assert internal_link_count(html, "nova.example") == 2
    assert "seo.no-internal-links" in rules(good_page(html="<p>No links.</p>"))
    assert "seo.no-internal-links" not in rules(good_page(html=None))


def test_seed_article_as_a_page():
    seeds = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
    seed = seeds / "nova-health-recovery--what-causes-ptsd.txt"
    blocks = blocks_from_text(seed.read_text(encoding="utf-8"))
    assert [b.text for b in blocks if b.is_heading][:2] == ["Trauma", "Genetics"]
    page = Page(
        title="What Causes PTSD? | Nova Health Recovery",
        h1="What Causes PTSD?",
        slug="what-causes-ptsd",
        meta_description="",
        blocks=blocks,
        keyphrase="causes of PTSD",
    )
    found = rules(page)
    assert "seo.description-missing" in found
    assert "seo.keyphrase-missing-title" in found  # "Causes PTSD" is not "causes of PTSD"
