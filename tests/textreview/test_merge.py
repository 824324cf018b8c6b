"""Merging near-copies (textreview.merge), without Django: grouping, alignment, plans."""

from pathlib import Path

import pytest

from tests.imports.corpus import CLINICS, generate, grouped_pairs, precision_recall, true_pairs
from textreview.merge import (
    END,
    HIDE,
    INSERT_AFTER,
    REPLACE,
    START,
    Block,
    ClinicFacts,
    Override,
    Post,
    align,
    apply_plan,
    compare_posts,
    diff_blocks,
    find_groups,
    heading_block,
    paragraph_block,
    plan_group,
    read_plain_text,
    tokenise_post,
    tokenise_text,
)
from textreview.similarity import NEAR_DUPLICATE_THRESHOLD

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
FACTS = {
    "nova": ClinicFacts("Nova Health Recovery", "Portland", "(503) 555-0140"),
    "tr": ClinicFacts("Three Rivers Wellness", "Pittsburgh", "(412) 555-0175"),
}


def seed_post(clinic: str, name: str) -> Post:
    title, blocks = read_plain_text((SEEDS / name).read_text(encoding="utf-8"))
    return Post(clinic, clinic, title, blocks)


@pytest.fixture
def seeds():
    return (
        seed_post("nova", "nova-health-recovery--what-causes-ptsd.txt"),
        seed_post("tr", "three-rivers-wellness--what-causes-ptsd.txt"),
    )


# --- reading the seeds' format ----------------------------------------------------------


def test_plain_text_reads_titles_headings_and_paragraphs(seeds):
    nova, tr = seeds
    assert nova.title is None  # Nova's file has no title line
    assert tr.title == "What Causes PTSD?"
    assert [b.value for b in nova.blocks if b.kind == "heading"] == [
        "Trauma",
        "Genetics",
        "Biological Factors",
        "Treatment with Ketamine",
        "Final Thoughts",
    ]
    assert all(b.kind == "paragraph" for b in tr.blocks) and len(tr.blocks) == 9
    assert nova.blocks[0].value.startswith("<p>Post-traumatic stress disorder (PTSD) is a serious")


def test_wrapped_lines_are_one_paragraph_and_html_is_escaped():
    title, blocks = read_plain_text(
        "A Title\n\nThis paragraph was wrapped\nat a width by an editor.\n\nFish & chips <b>.\n"
    )
    assert title == "A Title"
    assert [b.text for b in blocks] == [
        "This paragraph was wrapped at a width by an editor.",
        "Fish & chips <b>.",
    ]
    assert blocks[1].value == "<p>Fish &amp; chips &lt;b&gt;.</p>"


def test_a_given_title_is_not_read_as_a_heading():
    title, blocks = read_plain_text("What Causes PTSD?\n\nText.", title="What Causes PTSD?")
    assert title == "What Causes PTSD?" and [b.text for b in blocks] == ["Text."]


# --- the seeds: one article, although they share few shingles -------------------------


def test_the_seeds_share_few_shingles_yet_are_one_article(seeds):
    pair = compare_posts(*seeds, FACTS)
    assert pair.shingles < NEAR_DUPLICATE_THRESHOLD / 3  # 0.158
    assert pair.matched == 5  # intro, trauma, genetics, biology, ketamine
    assert pair.same_article
    groups = find_groups(list(seeds), FACTS)
    assert [[p.key for p in g.posts] for g in groups] == [["nova", "tr"]]


def test_the_seeds_plan_needs_no_more_rows_than_the_hand_built_demo(seeds):
    (group,) = find_groups(list(seeds), FACTS)
    plan = plan_group(group, FACTS)
    assert plan.rows <= 14
    assert plan.title == "What Causes PTSD?"
    for post in seeds:
        expected = tokenise_post(post, FACTS[post.clinic]).blocks
        assert apply_plan(plan.library, plan.overrides[post.key]) == expected


def test_naming_the_library_text_gives_the_demos_structure(seeds):
    (group,) = find_groups(list(seeds), FACTS)
    plan = plan_group(group, FACTS, base="nova")
    assert plan.base == "nova" and plan.overrides["nova"] == []
    rows = plan.overrides["tr"]
    assert len(rows) == 14  # the hand-built demo's count
    assert {r.action for r in rows} == {REPLACE, HIDE, INSERT_AFTER}
    hidden = [plan.library[r.anchor].value for r in rows if r.action == HIDE and r.anchor != 9]
    assert hidden == [
        "Trauma",
        "Genetics",
        "Biological Factors",
        "Treatment with Ketamine",
        "Final Thoughts",
    ]
    # Nova's closing sentence names the clinic by token; Three Rivers' own is its own.
    assert "At {clinic}, we are here to help you" in plan.library[-1].value
    assert "Nova Health Recovery" not in " ".join(b.value for b in plan.library)
    assert rows[-1].action == REPLACE and "At {clinic}, we specialize" in rows[-1].blocks[0].value


# --- tokens -----------------------------------------------------------------------------


def test_clinic_facts_become_tokens_longest_first_and_whole_words():
    facts = ClinicFacts("Portland Ketamine Clinic", "Portland", "(503) 555-0140")
    assert (
        tokenise_text("Portland Ketamine Clinic in Portland: (503) 555-0140. Portlandia.", facts)
        == "{clinic} in {city}: {phone}. Portlandia."
    )
    escaped = ClinicFacts("Smith & Jones", "Reno")
    assert (
        tokenise_text("<p>At Smith &amp; Jones</p>", escaped, is_html=True) == "<p>At {clinic}</p>"
    )


# --- alignment and plans ----------------------------------------------------------------


def test_align_keeps_order():
    scores = [[0.9, 0.0, 0.0], [0.0, 0.0, 0.8], [0.0, 0.7, 0.0]]
    assert [(i, j) for i, j, _ in align(scores, 0.5)] in ([(0, 0), (1, 2)], [(0, 0), (2, 1)])


def p(text):
    return paragraph_block(text)


def test_diff_blocks_replaces_reworded_hides_missing_and_inserts_extra():
    library = [
        heading_block("Causes"),
        p("Trauma is the main cause of stress disorders after accidents and combat."),
        p("Genes play a part in how families pass on anxiety disorders."),
        p("Therapy helps most people recover over several months of treatment."),
    ]
    post = [
        p("Trauma is the leading cause of stress disorders after accidents and war."),
        p("Our own clinic paragraph about parking and opening hours for visitors."),
        p("Therapy helps most people recover over several months of treatment."),
        p("Call us today."),
    ]
    rows = diff_blocks(library, post)
    assert apply_plan(library, rows) == post
    assert Override(0, HIDE) in rows  # the heading this post lacks
    assert any(r.action == REPLACE and r.anchor == 1 for r in rows)  # reworded
    assert any(r.action == HIDE and r.anchor == 2 for r in rows) or any(
        r.action == REPLACE and r.anchor == 2 for r in rows
    )
    assert rows[-1].action == INSERT_AFTER and rows[-1].anchor == 3  # extra, at its position


def test_insertions_at_the_start_and_runs_are_one_row():
    library = [p("Shared text one about sleep."), p("Shared text two about mood.")]
    post = [p("Intro of our own."), p("Second of our own."), *library]
    rows = diff_blocks(library, post)
    assert rows == [Override(START, INSERT_AFTER, (post[0], post[1]))]
    assert apply_plan(library, rows) == post
    assert apply_plan(library, [Override(END, INSERT_AFTER, (post[0],))])[-1] == post[0]


def test_two_posts_of_one_clinic_are_never_grouped(seeds):
    nova, tr = seeds
    twin = Post("tr-2", "tr", tr.title, tr.blocks)
    groups = find_groups([nova, tr, twin], FACTS)
    for group in groups:
        clinics = [p.clinic for p in group.posts]
        assert len(clinics) == len(set(clinics))


def test_an_existing_group_is_extended_not_regrouped(seeds):
    nova, tr = seeds
    stored = Post("nova", "nova", None, nova.blocks, group=41)
    groups = find_groups([stored, tr], FACTS)
    assert len(groups) == 1 and groups[0].existing == 41
    assert [p.key for p in groups[0].new_posts] == ["tr"]
    library = tokenise_post(stored, FACTS["nova"]).blocks
    plan = plan_group(groups[0].new_posts, FACTS, library=library, library_title="T")
    assert plan.base is None and set(plan.overrides) == {"tr"}
    assert apply_plan(library, plan.overrides["tr"]) == tokenise_post(tr, FACTS["tr"]).blocks


def test_unrelated_posts_on_one_subject_stay_apart():
    a = Post(
        "a",
        "nova",
        "Sleep and PTSD",
        [
            p("Poor sleep is common after trauma, and nightmares wake many patients."),
            p("A regular bedtime and a dark, cool room help the body rest."),
        ],
    )
    b = Post(
        "b",
        "tr",
        "Ketamine costs",
        [
            p("Insurance rarely covers ketamine infusions, so ask about payment plans."),
            p("Most clinics charge per infusion, with a series of six to start."),
        ],
    )
    assert [len(g.posts) for g in find_groups([a, b], FACTS)] == [1, 1]


# --- a generated network: precision and recall -------------------------------------------


def to_post(generated) -> Post:
    blocks = []
    for kind, text in generated.blocks:
        if kind == "heading":
            blocks.append(heading_block(text))
        elif kind == "paragraph":
            blocks.append(paragraph_block(text))
        else:
            blocks.append(Block("image", text))
    key = (generated.clinic.slug, generated.post_id)
    return Post(key, generated.clinic.slug, generated.title, blocks, frozenset([generated.topic]))


@pytest.mark.parametrize("seed", [3, 11])
def test_grouping_precision_and_recall_on_a_generated_network(seed):
    network = generate(90, seed=seed)
    facts = {c.slug: ClinicFacts(c.name, c.city, c.phone) for c in CLINICS}
    posts = [to_post(g) for g in network.posts]
    groups = find_groups(posts, facts)
    found = grouped_pairs([[p.key for p in g.posts] for g in groups])
    precision, recall = precision_recall(found, true_pairs(network.posts))
    print(f"{len(posts)} posts, seed {seed}: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95
    for group in groups:
        plan = plan_group(group, facts)
        for post in group.posts:
            expected = tokenise_post(post, facts[post.clinic]).blocks
            assert apply_plan(plan.library, plan.overrides[post.key]) == expected
