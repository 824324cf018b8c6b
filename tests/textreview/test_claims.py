from datetime import date

import pytest

from textreview.claims import ArticleMeta, parse_rules, review_text
from textreview.findings import Severity
from textreview.text import split_sentences


def rules_hit(text, **kwargs):
    return {finding.rule for finding in review_text(text, **kwargs)}


# --- sentence rules: hits and near-misses ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine cures PTSD.",
        "Our infusions cured her depression for good.",
        "This treatment eliminates all symptoms.",
        "Patients find permanent relief after one course.",
        "A 100% success rate.",
    ],
)
def test_cure_claims_are_errors(text):
    findings = review_text(text)
    assert [(f.rule, f.severity) for f in findings][:1] == [("claims.cure", Severity.ERROR)]


@pytest.mark.parametrize(
    "text",
    [
        "There is no cure for PTSD, but symptoms can be managed.",
        "Ketamine is not a cure for depression.",
        "Ketamine may help reduce symptoms (Smith 2021).",
        "Securing an appointment is easy.",
    ],
)
def test_cure_near_misses(text):
    assert "claims.cure" not in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine therapy is an effective treatment option for PTSD.",
        "Ketamine is a highly effective therapy for depression.",
        "Our protocol is clinically proven.",
        "Infusions are proven to relieve chronic pain.",
        "It works for everyone.",
    ],
)
def test_absolute_efficacy_claims(text):
    assert "claims.absolute-efficacy" in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine may help reduce symptoms (Smith 2021).",
        "Ketamine may be an effective treatment option for some people with PTSD.",
        "While no single treatment works for everyone, many patients respond.",
        "Ketamine is an effective treatment option for some patients (Feder et al. 2021).",
        "Effective treatment starts with an honest assessment.",
    ],
)
def test_absolute_efficacy_near_misses(text):
    assert "claims.absolute-efficacy" not in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Studies have shown that PTSD tends to run in families.",
        "Research has shown that ketamine acts on glutamate.",
        "A recent study found that infusions help.",
        "Ketamine has been shown to reduce suicidal thoughts.",
        "There is strong evidence that trauma changes the brain.",
    ],
)
def test_uncited_research_claims(text):
    findings = [f for f in review_text(text) if f.rule == "claims.uncited-research"]
    assert findings and findings[0].severity == Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "Studies have shown that ketamine acts quickly (Feder et al., 2014).",
        "Research has shown benefits in trials [3].",
        "Studies have shown that PTSD runs in families. See https://example.org/paper",
        "More research is needed to understand the genes involved.",
        "Research is ongoing.",
    ],
)
def test_uncited_research_near_misses(text):
    assert "claims.uncited-research" not in rules_hit(text)


def test_citation_counts_for_the_whole_block_but_not_the_next_one():
    cited = "Studies have shown a benefit. The effect lasted weeks (Smith 2021)."
    assert "claims.uncited-research" not in rules_hit(cited)
    separate_blocks = ["Studies have shown a benefit.", "The effect lasted weeks (Smith 2021)."]
    assert "claims.uncited-research" in rules_hit(separate_blocks)


@pytest.mark.parametrize(
    "text",
    [
        "Many patients feel better within hours of the first infusion.",
        "Results are guaranteed.",
        "Enjoy immediate relief from depression.",
        "Symptoms vanish instantly.",
        "Ketamine can rapidly reduce symptoms of PTSD.",
    ],
)
def test_speed_or_outcome_promises(text):
    assert "claims.speed-or-outcome-promise" in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Dissociative side effects usually wear off within hours.",
        "We cannot guarantee results; responses vary.",
        "We will call you back within hours.",
        "Treatment takes several weeks.",
    ],
)
def test_speed_or_outcome_near_misses(text):
    assert "claims.speed-or-outcome-promise" not in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Our FDA-approved ketamine therapy treats PTSD.",
        "Ketamine infusions are approved by the FDA for depression.",
        "It is an approved treatment for PTSD.",
    ],
)
def test_regulatory_claims(text):
    assert "claims.regulatory" in rules_hit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ketamine is used off-label for PTSD; it is FDA-approved as an anaesthetic.",
        "Ketamine is not FDA-approved for PTSD.",
        "Esketamine (Spravato) is FDA-approved for treatment-resistant depression.",
    ],
)
def test_regulatory_near_misses(text):
    assert "claims.regulatory" not in rules_hit(text)


def test_may_help_with_citation_passes_and_cure_does_not():
    assert review_text("Ketamine may help reduce symptoms (Smith 2021).") == []
    assert "claims.cure" in rules_hit("Ketamine cures PTSD.")


def test_findings_point_to_their_sentence_and_block():
    findings = review_text(["A heading", "Calm sentence. Ketamine cures PTSD. Another one."])
    assert [(f.sentence, f.block_index) for f in findings] == [("Ketamine cures PTSD.", 1)]
    assert findings[0].advice


# --- document rules -------------------------------------------------------------------

GOOD_META = {
    "medical_reviewer": "Dr. Jane Doe, MD",
    "last_reviewed": "2026-01-10",
    "disclaimer": "This article is not a substitute for professional medical advice.",
    "today": "2026-06-01",
}


def test_no_document_checks_without_metadata():
    assert review_text("A calm sentence.") == []


def test_complete_metadata_passes():
    assert review_text("A calm sentence.", meta=GOOD_META) == []


def test_missing_disclaimer_reviewer_and_review_date():
    found = rules_hit("A calm sentence.", meta={})
    assert found == {
        "claims.missing-disclaimer",
        "claims.missing-medical-reviewer",
        "claims.never-reviewed",
    }


def test_disclaimer_in_body_counts():
    meta = {**GOOD_META, "disclaimer": None}
    body = "A calm sentence.\nThis content is for informational purposes only."
    assert "claims.missing-disclaimer" not in rules_hit(body, meta=meta)


def test_review_overdue_uses_configurable_cadence():
    meta = ArticleMeta(
        medical_reviewer="Dr. Doe",
        disclaimer=GOOD_META["disclaimer"],
        last_reviewed=date(2025, 1, 1),
        today=date(2025, 12, 1),
    )
    assert "claims.review-overdue" not in rules_hit("Calm.", meta=meta)  # 334 days < 365
    strict = ArticleMeta(**{**meta.__dict__, "review_cadence_days": 180})
    overdue = [f for f in review_text("Calm.", meta=strict) if f.rule == "claims.review-overdue"]
    assert len(overdue) == 1 and "334 days ago" in overdue[0].sentence
    assert overdue[0].block_index is None


def test_rules_are_data_an_admin_can_extend():
    rules = parse_rules(
        {
            "sentence_rules": [
                {
                    "id": "house.no-miracle",
                    "severity": "info",
                    "pattern": r"\bmiracle\b",
                    "unless": [r"\bno miracle\b"],
                    "advice": "Avoid 'miracle'.",
                }
            ]
        }
    )
    assert rules_hit("A miracle drug.", rules=rules) == {"house.no-miracle"}
    assert rules_hit("There is no miracle drug.", rules=rules) == set()


# --- sentence splitting -------------------------------------------------------------------


def test_sentence_splitting_handles_curly_apostrophes_and_abbreviations():
    block = (
        "It can have a significant impact on an individual’s quality of life. "
        "Dr. Smith, e.g. in 2021, agreed. “Quoted” sentences end too."
    )
    assert split_sentences(block) == [
        "It can have a significant impact on an individual’s quality of life.",
        "Dr. Smith, e.g. in 2021, agreed.",
        "“Quoted” sentences end too.",
    ]
