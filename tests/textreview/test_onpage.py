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
    stem,
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
    assert contains_phrase("Ketamine’s “therapy” explained", "ketamine therapy")
    assert not contains_phrase("ketamine and therapy", "ketamine therapy")


@pytest.mark.parametrize(
    "haystack",
    [
        "What Causes PTSD?",  # stop word "of" left out, plural/singular
        "What causes PTSD? | Nova Health Recovery",
        "The cause of PTSD",
        "PTSD causes and treatments",  # word order
        "How trauma caused my PTSD",  # -ed form
        "what-causes-ptsd",
    ],
)
def test_keyphrase_matches_inflections_stop_words_and_word_order(haystack):
    assert contains_phrase(haystack, "causes of PTSD")


@pytest.mark.parametrize(
    "haystack",
    [
        "The causes of chronic PTSD",  # another content word in between
        "Causes, and PTSD",  # a phrase boundary in between
        "PTSD. Causes are many.",
        "Causal factors of PTSD",  # not the same stem
        "Causes of depression",
    ],
)
def test_keyphrase_near_misses(haystack):
    assert not contains_phrase(haystack, "causes of PTSD")


def test_keyphrase_with_its_own_and_and_plural_forms():
    assert contains_phrase("Depression and anxiety in teens", "anxiety and depression")
    assert not contains_phrase("Anxiety, depression", "anxiety and depression")
    assert contains_phrase("Ketamine therapies for PTSD", "ketamine therapy")
    assert contains_phrase("Our ketamine infusion clinic", "ketamine infusions")
    assert contains_phrase("What is it?", "what is")  # stop words only: matched as written


@pytest.mark.parametrize(
    "words",
    [
        ("causes", "cause", "caused", "causing"),
        ("therapies", "therapy"),
        ("infusions", "infusion"),
        ("stopped", "stop", "stopping"),
        ("stresses", "stress"),
        ("clinics", "clinic", "clinic's"),
    ],
)
def test_stem_conflates_simple_inflections(words):
    assert len({stem(word) for word in words}) == 1


def test_stem_keeps_short_words_and_latin_endings():
    assert stem("PTSD") == "ptsd"
    assert stem("diagnosis") == "diagnosis"  # not a plural
    assert stem("need") == "need"  # "-ed" only when a stem of three letters is left
    assert stem("bus") == "bus"


def test_keyphrase_found_in_every_place_despite_word_forms():
    page = good_page(
        title="What Causes PTSD? | Nova Health Portland",
        h1="What causes PTSD?",
        slug="what-causes-ptsd",
        meta_description=(
            "The causes of PTSD in Portland: trauma, genetics and stress, and how ketamine "
            "therapy may help some people. Book a consultation."
        ),
        blocks=[Block("Trauma is one of the main causes of PTSD. We explain the others.")],
        keyphrase="causes of PTSD",
        html=None,
    )
    assert not {rule for rule in rules(page) if "keyphrase" in rule}


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
    # "What Causes PTSD?" contains "causes of PTSD" (stop word, inflection, any order).
    assert not found & {
        "seo.keyphrase-missing-title",
        "seo.keyphrase-missing-h1",
        "seo.keyphrase-missing-slug",
    }
