"""Acceptance on the two seed articles (tests/fixtures/seeds, copies of ../shared/seeds)."""

from pathlib import Path

import pytest

from textreview.claims import review_text
from textreview.report import file_pair_similarities
from textreview.similarity import shingle_similarity

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
NOVA = SEEDS / "nova-health-recovery--what-causes-ptsd.txt"
THREE_RIVERS = SEEDS / "three-rivers-wellness--what-causes-ptsd.txt"

EFFICACY = "is an effective treatment option for PTSD."
STUDIES_SPEED = (
    "Studies have shown that ketamine can rapidly reduce symptoms of PTSD, "
    "often within hours of the first infusion."
)
FAMILIES = (
    "Studies have shown that PTSD tends to run in families, suggesting that there may "
    "be a genetic component to the condition."
)

NEUTRAL = [
    "Trauma can come in many forms, such as physical, emotional, or sexual abuse, exposure to "
    "war, or experiencing a natural disaster.",
    "Symptoms of PTSD include flashbacks, nightmares, and severe anxiety, which can make it "
    "difficult to live a normal life.",
    "The most obvious cause of PTSD is trauma.",
    "Research is ongoing to understand the specific genes involved and how they contribute "
    "to PTSD.",
    "However, more research is needed to understand the specific genes involved and how they "
    "contribute to PTSD.",
    "Ketamine therapy is usually administered in a clinical setting, and the treatment protocol "
    "is typically a series of infusions over a period of several weeks.",
    "If you are struggling with PTSD, it is important to seek help and support as soon as "
    "possible to prevent the development of more severe symptoms.",
]


@pytest.fixture(scope="module")
def findings():
    assert SEEDS.is_dir(), f"seed articles expected in {SEEDS}"
    return {
        path.name: review_text(path.read_text(encoding="utf-8")) for path in (NOVA, THREE_RIVERS)
    }


def rules_for(findings, sentence_part):
    return {f.rule for f in findings if sentence_part in f.sentence}


@pytest.mark.parametrize("seed", [NOVA.name, THREE_RIVERS.name])
def test_quoted_claims_are_flagged_with_the_right_rules(findings, seed):
    assert rules_for(findings[seed], EFFICACY) == {"claims.absolute-efficacy"}
    assert rules_for(findings[seed], STUDIES_SPEED) == {
        "claims.uncited-research",
        "claims.speed-or-outcome-promise",
    }
    assert rules_for(findings[seed], FAMILIES) == {"claims.uncited-research"}


def test_neutral_sentences_are_not_flagged(findings):
    flagged = {f.sentence for seed_findings in findings.values() for f in seed_findings}
    texts = NOVA.read_text(encoding="utf-8") + THREE_RIVERS.read_text(encoding="utf-8")
    for sentence in NEUTRAL:
        assert sentence in texts
        assert sentence not in flagged


def test_every_seed_finding_is_one_we_stand_by(findings):
    # The full list, so a rule change that adds noise shows up here.
    nova = {(f.rule, f.sentence[:40]) for f in findings[NOVA.name]}
    assert nova == {
        ("claims.absolute-efficacy", "Ketamine therapy is an effective treatme"),
        ("claims.uncited-research", "There is also evidence to suggest that g"),
        ("claims.uncited-research", "Studies have shown that PTSD tends to ru"),
        ("claims.uncited-research", "For example, studies have shown that ind"),
        ("claims.uncited-research", "Additionally, some studies have suggeste"),
        ("claims.uncited-research", "Studies have shown that ketamine can rap"),
        ("claims.speed-or-outcome-promise", "Studies have shown that ketamine can rap"),
        ("claims.speed-or-outcome-promise", "While no single treatment works for ever"),
    }
    assert len(findings[THREE_RIVERS.name]) == 5


def test_pairwise_similarity_of_the_seeds_is_reported():
    (record,) = file_pair_similarities([NOVA, THREE_RIVERS])
    similarity = shingle_similarity(
        NOVA.read_text(encoding="utf-8"), THREE_RIVERS.read_text(encoding="utf-8")
    )
    assert record["similarity"] == round(similarity, 4)
    # Re-worded copies: many sentences shared word for word, the rest paraphrased.
    assert 0.1 < similarity < 0.3
