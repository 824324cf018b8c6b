from datetime import date

import pytest

from textreview.claims import ArticleMeta, default_rules, parse_rules, review_text
from textreview.findings import Finding, Severity
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


# --- rules added with the labelled corpus: hits and near-misses ----------------------------

RULE_CASES = {
    "claims.treatment-as-fact": (
        ["Ketamine reverses the damage of chronic stress.", "Our infusions erase flashbacks."],
        ["Ketamine may help some people with flashbacks.", "Healing from trauma takes time."],
    ),
    "claims.prevention": (
        ["Ketamine prevents relapse.", "Monthly boosters protect you against depression."],
        [
            "There is no evidence that ketamine prevents PTSD.",
            "Seek help early to prevent the development of more severe symptoms.",
        ],
    ),
    "claims.uncited-statistic": (
        ["Our success rate is 92%.", "Eight out of ten of our patients respond."],
        [
            "About 6% of adults will have PTSD at some point.",
            "In one trial, 60% of participants responded (Smith & Jones, 2018).",
        ],
    ),
    "claims.universal-outcome": (
        ["Every patient who completes our program recovers.", "Ketamine helps everyone."],
        ["Every patient meets a psychiatrist first.", "Not all patients respond to ketamine."],
    ),
    "claims.personal-promise": (
        ["You will feel better after your first infusion.", "Ketamine will change your life."],
        ["You will feel drowsy for a while.", "You will get your blood test results in a week."],
    ),
    "claims.permanence": (
        ["Be free of depression forever.", "Your anxiety will never come back."],
        ["Improvement is not permanent for most people.", "Our permanent staff are nurses."],
    ),
    "claims.superiority": (
        ["Ketamine works better than antidepressants.", "It is the only treatment that works."],
        [
            "We do not claim that ketamine is better than antidepressants.",
            "Ketamine might work faster than antidepressants for some patients.",
        ],
    ),
    "claims.safety-absolute": (
        ["Ketamine has no side effects.", "Our infusions are completely safe for everyone."],
        ["No medicine is completely safe.", "It would be wrong to say ketamine has no risks."],
    ),
    "claims.addiction-denied": (
        ["There is zero risk of addiction.", "You cannot become dependent on ketamine."],
        ["Ketamine carries a risk of dependence.", "Repeated use can lead to addiction."],
    ),
    "claims.miracle": (
        ["Ketamine is a miracle drug.", "A breakthrough that ends depression."],
        [
            "Ketamine is not a miracle drug.",
            "The FDA granted breakthrough therapy designation to a related drug.",
        ],
    ),
    "claims.stop-medication": (
        ["Stop taking your antidepressants.", "You won't need your medication anymore."],
        [
            "Do not stop taking prescribed medication without talking to your doctor.",
            "Please bring your medication list and stop by reception.",
        ],
    ),
    "claims.unsafe-advice": (
        ["You can drive yourself home after the infusion.", "Ketamine can replace therapy."],
        [
            "You should not drive until the next day.",
            "Ketamine is part of a care plan, not a replacement for therapy.",
        ],
    ),
}


@pytest.mark.parametrize(
    "rule, text",
    [(rule, text) for rule, (hits, _) in RULE_CASES.items() for text in hits],
)
def test_new_rules_hit(rule, text):
    assert rule in rules_hit(text)


@pytest.mark.parametrize(
    "rule, text",
    [(rule, text) for rule, (_, misses) in RULE_CASES.items() for text in misses],
)
def test_new_rules_near_misses(rule, text):
    assert rule not in rules_hit(text)


def test_the_acceptable_sentences_named_in_the_issue_pass():
    for text in [
        "In a 2014 randomized trial, one infusion reduced PTSD symptoms more than midazolam "
        "after 24 hours, though the effect faded within two weeks (Feder et al., 2014).",
        "Some studies suggest ketamine may ease symptoms, but more research is needed.",
        "Ketamine is not a cure.",
        "Esketamine is FDA-approved for treatment-resistant depression.",
        "Our clinic is open Monday to Friday.",
    ]:
        assert review_text(text) == [], text


def test_hedging_silences_only_rules_that_allow_it():
    assert rules_hit("Ketamine may be a highly effective treatment for some people.") == set()
    assert "claims.cure" in rules_hit("Ketamine may cure your depression.")  # still a cure


def test_uncited_research_needs_a_stated_limitation_when_hedged():
    hedged = "Some studies suggest that ketamine may reduce symptoms"
    assert "claims.uncited-research" in rules_hit(hedged + ".")
    assert rules_hit(hedged + ", but more research is needed.") == set()


def test_a_clause_boundary_limits_negation_and_co_occurrence():
    # The negation of the first clause does not reach the second.
    text = "While no single treatment works for everyone, ketamine works instantly."
    assert rules_hit(text) == {"claims.speed-or-outcome-promise"}
    # "stop" and "medication" in different clauses are not advice to stop medication.
    assert rules_hit("Stop worrying; bring your medication list.") == set()


def test_questions_are_not_claims_but_rhetorical_ones_are():
    assert review_text("Can ketamine cure PTSD?") == []
    assert "claims.permanence" in rules_hit("Isn't it time to be free of depression forever?")
    assert "claims.miracle" in rules_hit("What makes ketamine such a breakthrough?")


# --- titles, categories and the rule file ----------------------------------------------------


def test_findings_carry_the_rule_title():
    (finding,) = review_text("Ketamine cures PTSD.")
    assert finding.title == "Promises a cure"
    assert finding.as_dict()["title"] == "Promises a cure"
    titles = {f.rule: f.title for f in review_text("Calm.", meta={})}
    assert titles["claims.missing-medical-reviewer"] == "No medical reviewer"


def test_finding_title_defaults_for_existing_callers():
    finding = Finding("seo.title-missing", Severity.ERROR, "", "Write an SEO title.", None)
    assert finding.title == ""
    assert finding.as_dict() == {
        "rule": "seo.title-missing",
        "severity": "error",
        "sentence": "",
        "advice": "Write an SEO title.",
        "block_index": None,
        "title": "",
    }


def test_every_default_rule_has_a_title_category_and_advice():
    rules = default_rules()
    sentence_titles = [rule.title for rule in rules.sentence_rules]
    assert all(sentence_titles) and len(set(sentence_titles)) == len(sentence_titles)
    assert all(rule.advice and rule.category for rule in rules.sentence_rules)
    assert {rule.category for rule in rules.sentence_rules} >= {"safety", "advice", "evidence"}
    assert all(rule.title and rule.advice for rule in rules.document_rules.values())


def test_scope_flags_and_requires_are_data():
    rules = parse_rules(
        {
            "sentence_rules": [
                {
                    "id": "house.fast",
                    "title": "Says it is fast",
                    "severity": "warning",
                    "pattern": r"\bfast\b",
                    "hedgeable": True,
                    "cited_ok": True,
                    "advice": "Give the time frame and its source.",
                },
                {
                    "id": "house.skip",
                    "title": "Says to skip sessions",
                    "severity": "error",
                    "pattern": r"\bskip\b",
                    "requires": [r"\bsessions?\b"],
                    "negatable": False,
                    "advice": "Do not.",
                },
            ]
        }
    )
    assert rules_hit("Relief is fast.", rules=rules) == {"house.fast"}
    assert rules_hit("Relief may be fast.", rules=rules) == set()
    assert rules_hit("Relief is fast [2].", rules=rules) == set()
    assert rules_hit("Skip a session.", rules=rules) == {"house.skip"}
    assert rules_hit("Skip the queue.", rules=rules) == set()
    assert rules_hit("Do not skip a session.", rules=rules) == {"house.skip"}  # not negatable
    (finding,) = review_text("Relief is fast.", rules=rules)
    assert finding.title == "Says it is fast"
