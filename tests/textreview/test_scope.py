"""Clause scope of negation and hedging, questions, and citation detection."""

import pytest

from textreview.text import (
    clause_at,
    clause_spans,
    find_citations,
    has_citation,
    is_hedged,
    is_negated,
    is_question,
    is_rhetorical_question,
)


def negated(sentence: str, claim: str) -> bool:
    """Whether ``claim`` (a part of ``sentence``) is negated within its clause."""
    position = sentence.index(claim)
    start, end = clause_at(sentence, position)
    return is_negated(sentence[start:end], position - start)


def clauses(sentence: str) -> list[str]:
    return [sentence[start:end].strip(" ,;:\u2014") for start, end in clause_spans(sentence)]


# --- clauses ----------------------------------------------------------------------------


def test_clauses_break_at_contrast_semicolons_dashes_and_an_opening_subordinate():
    assert clauses("Ketamine is not a cure, but it may help.") == [
        "Ketamine is not a cure",
        "but it may help.",
    ]
    assert clauses("It is not for everyone; it works fast.") == [
        "It is not for everyone",
        "it works fast.",
    ]
    assert clauses("Unlike opioids, ketamine carries no risk.") == [
        "Unlike opioids",
        "ketamine carries no risk.",
    ]
    assert clauses("Relief comes fast \u2014 within hours.") == [
        "Relief comes fast",
        "within hours.",
    ]


def test_a_plain_comma_does_not_break_a_clause():
    assert clauses("Studies have shown this, often within hours.") == [
        "Studies have shown this, often within hours."
    ]


def test_clause_spans_cover_the_sentence():
    sentence = "While no single treatment works for everyone, ketamine helps; it is fast."
    spans = clause_spans(sentence)
    assert spans[0][0] == 0 and spans[-1][1] == len(sentence)
    assert len(spans) == 3
    assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))


# --- negation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, claim",
    [
        ("Ketamine is not a cure for PTSD.", "cure"),
        ("Ketamine does not cure depression.", "cure"),
        ("Ketamine won't cure your depression.", "cure"),
        ("There is no cure for PTSD.", "cure"),
        ("We never promise a cure.", "cure"),
        ("Results are not guaranteed.", "guaranteed"),
        ("No treatment is free of side effects.", "free of side effects"),  # determiner + verb
        ("None of our clinicians will tell you to stop your medication.", "stop"),
        ("There is no evidence that ketamine prevents PTSD.", "prevents"),  # about a claim
        ("We do not claim that infusions are better than antidepressants.", "better than"),
        ("Nobody can promise that depression will be gone forever.", "forever"),
        ("It is not true that ketamine has no risk of dependence.", "no risk of dependence"),
        ("It would be wrong to say ketamine has no side effects.", "no side effects"),
        ("It is a myth that ketamine is completely safe.", "completely safe"),
        ("No single treatment works for everyone.", "works for everyone"),
        ("Ketamine has not been approved by the FDA for PTSD.", "approved by the FDA"),
    ],
)
def test_negated_claims(sentence, claim):
    assert negated(sentence, claim)


@pytest.mark.parametrize(
    "sentence, claim",
    [
        ("Ketamine cures PTSD.", "cures"),
        ("Patients who did not respond to antidepressants are cured.", "cured"),  # other verb
        ("Patients who are not helped by pills find that ketamine cures them.", "cures"),
        ("Ketamine is not only safe but cures depression.", "cures"),  # "not only"
        ("Ketamine doesn't just mask symptoms; it cures the cause.", "cures"),  # other clause
        ("While no single treatment works for everyone, ketamine works instantly.", "instantly"),
        ("No matter how severe, your depression will never return.", "never return"),
        ("Unlike opioids, ketamine carries no risk of abuse.", "no risk of abuse"),
        (
            "Ketamine is not expensive and it cures anxiety in days for most of our patients.",
            "cures",
        ),
    ],
)
def test_claims_outside_a_negation(sentence, claim):
    assert not negated(sentence, claim)


def test_the_cue_must_come_before_the_claim():
    # The pattern itself may hold the negation ("no side effects"): only words before
    # the match count as cues.
    assert not negated("Ketamine has no side effects.", "no side effects")
    assert not negated("Ketamine is not addictive.", "not addictive")


# --- hedging ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clause",
    [
        "Ketamine may help reduce symptoms",
        "ketamine might be an effective treatment option for some people",
        "Some patients feel better within hours",
        "Ketamine appears to help people with treatment-resistant depression",
        "Ketamine could possibly ease pain",
        "results vary from person to person",
        "Everyone responds differently to ketamine",
        "Preliminary findings point to faster relief",
        "ketamine for OCD is still being studied",
        "not everyone responds",
    ],
)
def test_hedged_clauses(clause):
    assert is_hedged(clause)


@pytest.mark.parametrize(
    "clause",
    [
        "Ketamine is an effective treatment option for PTSD",
        "Ketamine can rapidly reduce symptoms, often within hours",  # "can" asserts
        "Every patient recovers",
        "Ketamine usually works within a day",
        "Ketamine helps everyone",
    ],
)
def test_unhedged_clauses(clause):
    assert not is_hedged(clause)


# --- questions ------------------------------------------------------------------------------


def test_yes_no_questions_assert_nothing_but_negative_ones_do():
    assert is_question("Can ketamine cure PTSD?")
    assert is_question("Is ketamine safe?")
    assert not is_question("What causes PTSD?")  # a wh-question may presuppose a claim
    assert not is_question("Ketamine cures PTSD.")
    assert not is_question("Isn't it time to be free of depression forever?")
    assert is_rhetorical_question("Isn't it time to be free of depression forever?")
    assert is_rhetorical_question("Why not feel better overnight?")
    assert not is_rhetorical_question("Is ketamine a cure?")


# --- citations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, citation",
    [
        ("Symptoms eased (Feder et al., 2014).", "(Feder et al., 2014)"),
        ("Symptoms eased (Smith 2021).", "(Smith 2021)"),
        ("Symptoms eased (Smith & Lee, 2020).", "(Smith & Lee, 2020)"),
        ("Two trials agree (Jones 2019; Patel 2020).", "(Jones 2019; Patel 2020)"),
        ("Guidance differs (NICE, 2018).", "(NICE, 2018)"),
        ("Benefits faded within weeks [4].", "[4]"),
        ("Benefits faded within weeks [2, 3].", "[2, 3]"),
        ("Benefits faded within weeks [1\u20134].", "[1\u20134]"),
        ("Feder et al. (2021) found a benefit.", "Feder et al. (2021)"),
        ("Berman and colleagues reported in 2000 that mood improved.", "Berman and colleagues"),
        ("See doi:10.1001/jamapsychiatry.2014.62 for details.", "doi:10.1001/"),
        ("See https://doi.org/10.1176/appi.ajp.2021.1 for details.", "https://doi.org/"),
        ("Indexed as PMID: 24740528.", "PMID: 24740528"),
        (
            "According to a 2020 randomized trial published in the Journal of Affective "
            "Disorders, relief faded.",
            "published in the Journal",
        ),
        ("A 2016 study in JAMA Psychiatry reported a response.", "A 2016 study in J"),
        ("A 2006 study by Zarate found improvement.", "A 2006 study by Z"),
    ],
)
def test_citations_are_found(text, citation):
    assert any(found.startswith(citation) for found in find_citations(text)), find_citations(text)


@pytest.mark.parametrize(
    "text",
    [
        "Studies have shown that ketamine works.",
        "Research published in recent years is mixed.",  # no named journal
        "A recent study found benefits in 2021.",
        "We opened in 2015 (in Portland).",
        "Infusions take 40 minutes (sometimes 60).",
        "Call us on (503) 555-0140.",
        "Our results are published in our newsletter.",
        "Dr. Smith, e.g. in 2021, agreed.",
    ],
)
def test_not_citations(text):
    assert not has_citation(text), find_citations(text)
