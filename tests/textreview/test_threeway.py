"""The three-way merge of a library correction into a clinic's wording (no Django)."""

import re

import pytest

from tests.textreview.merge_corpus import cases
from textreview.threeway import merge, units

CASES = cases()
TAGS = re.compile(r"<[^>]+>")


def test_the_corpus_has_at_least_100_cases_of_every_kind():
    assert len(CASES) >= 100
    kinds = {case.kind for case in CASES}
    assert {"kept", "reworded", "reordered", "split", "joined", "token-or-link"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[f"{c.kind}-{n}" for n, c in enumerate(CASES)])
def test_each_case_merges_as_expected(case):
    result = merge(case.base, case.theirs, case.mine)
    if case.expected is None:
        assert not result.clean, f"merged where a conflict was expected: {result.text}"
        assert result.text == case.mine  # a conflict leaves the clinic's words alone
    else:
        assert result.clean, result.conflicts
        assert result.text == case.expected
    # A merge never makes markup that none of the three texts had.
    allowed = set(TAGS.findall(case.base + case.theirs + case.mine))
    assert set(TAGS.findall(result.text)) <= allowed


def test_sentences_split_outside_inline_markup_and_join_back():
    html = '<p>One <a href="/x">two. three</a> four. Five {clinic}!</p><p>Six.</p>'
    parts = units(html)
    assert "".join(u.text for u in parts) == html
    assert [u.text for u in parts if u.sentence] == [
        'One <a href="/x">two. three</a> four. ',
        "Five {clinic}!",
        "Six.",
    ]


def test_a_conflict_names_the_three_versions():
    base = "<p>Trauma is a risk. Genes matter.</p>"
    theirs = "<p>Trauma is the main risk. Genes matter.</p>"
    mine = "<p>At {clinic}, trauma comes first. Genes matter.</p>"
    result = merge(base, theirs, mine)
    assert not result.clean
    (conflict,) = result.conflicts
    assert conflict.base == "Trauma is a risk."
    assert conflict.theirs == "Trauma is the main risk."
    assert "trauma comes first" in conflict.mine


def test_a_sentence_both_sides_changed_merges_word_by_word_only_when_the_edits_are_apart():
    base = "<p>Genes matter. Trauma is the most common risk factor for PTSD. Sleep helps.</p>"
    theirs = "<p>Genes matter. Trauma is the strongest risk factor for PTSD. Sleep helps.</p>"
    mine = (
        "<p>Genes matter. Trauma is the most common risk factor for PTSD, we find. Sleep helps.</p>"
    )
    result = merge(base, theirs, mine)
    assert result.clean and result.words == 1
    assert result.text == (
        "<p>Genes matter. Trauma is the strongest risk factor for PTSD, we find. Sleep helps.</p>"
    )
    # Edits next to each other (no unchanged word between them) are a conflict.
    mine = "<p>Genes matter. Trauma is the most frequent risk factor for PTSD. Sleep helps.</p>"
    assert not merge(base, theirs, mine).clean
    # So is a sentence the clinic rewrote (fewer than half of the old words kept).
    mine = "<p>Genes matter. We see trauma as the main cause. Sleep helps.</p>"
    assert not merge(base, theirs, mine).clean


def test_conflicts_are_decided_one_by_one_with_the_clean_changes_applied():
    base = "<p>Trauma is a risk. Genes matter. Sleep helps.</p>"
    theirs = "<p>Trauma is the main risk. Genes matter a lot. Sleep helps.</p>"
    mine = "<p>At {clinic}, trauma comes first. Genes matter. Sleep helps.</p>"
    result = merge(base, theirs, mine)
    assert not result.clean and result.applied == 1
    (conflict,) = result.conflicts
    assert conflict.mine == "At {clinic}, trauma comes first."
    assert result.resolvable
    assert result.resolve([conflict.theirs]) == (
        "<p>Trauma is the main risk. Genes matter a lot. Sleep helps.</p>"
    )
    assert result.resolve([conflict.mine]) == (
        "<p>At {clinic}, trauma comes first. Genes matter a lot. Sleep helps.</p>"
    )
    assert result.resolve(["Trauma matters most."]) == (
        "<p>Trauma matters most. Genes matter a lot. Sleep helps.</p>"
    )


def test_a_conflict_whose_place_cannot_be_told_is_not_decided_sentence_by_sentence():
    base = "<p>Trauma is a risk. Genes matter. Sleep helps.</p>"
    theirs = "<p>Trauma is a risk. Genes matter a lot. Sleep helps.</p>"
    mine = "<p>Sleep helps. Trauma comes first.</p>"  # dropped and reordered
    result = merge(base, theirs, mine)
    assert not result.clean and not result.resolvable
    with pytest.raises(ValueError):
        result.resolve(["x"])
