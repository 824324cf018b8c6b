"""Merging near-copies: posts that are one article reworded per clinic become one
library text plus each clinic's overrides.

Shingle similarity alone does not find such posts: the two seed articles share only
0.156 of their five-word shingles, yet every paragraph of one has its reworded
counterpart in the other, in the same order. So:

1. **Candidates** come from MinHash/LSH (``NearDuplicateIndex``) over each post's
   content words and over each paragraph on its own (two posts sharing one near-copied
   paragraph are candidates), and from titles with the same content words. LSH only
   keeps the work from growing with the square of the number of posts.
2. **Confirmation** aligns the two posts' paragraphs in order (a monotone alignment,
   like a diff): two paragraphs match when their sentences share enough content words
   (stemmed, stop words dropped). A pair is the same article when matched paragraphs
   cover enough of both texts; the title and topics add a little.
3. **Groups** are built from confirmed pairs, most similar first, never putting two
   posts of one clinic together, and merging two groups only when most of the posts
   across them are confirmed pairs (so one post similar to two articles does not chain
   them together).
4. **Plans**: within a group, each clinic's post is aligned to the library text with
   the fewest override rows (replace, hide, insert before/after a block or at the start
   or end); the library text is the post whose plan needs the fewest rows in total, or
   the one the operator names, or an existing library article's text. Each clinic's
   name, city and phone in its own post become ``{clinic}``, ``{city}`` and
   ``{phone}`` first, so shared text names no clinic and each clinic's page still
   reads as its post did.

``apply_plan`` lays a clinic's overrides over the library blocks the way
``blog.resolution.merge_body`` does, so a plan can be checked without Django.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from textreview.onpage import stem
from textreview.similarity import NearDuplicateIndex, shingle_similarity, words
from textreview.text import split_sentences

START = "__start__"
END = "__end__"
REPLACE, HIDE, INSERT_BEFORE, INSERT_AFTER = "replace", "hide", "insert_before", "insert_after"

# Two paragraphs are counterparts when this share of their sentences' content words
# match (a reworded paragraph of the seeds scores 0.36 to 0.85; two different
# paragraphs on the same subject 0.05 to 0.3).
PARAGRAPH_MATCH = 0.34
# A pair of posts is one article at or above this score (see ``PairScore.score``).
SAME_ARTICLE = 0.45
# Posts whose pair score is at least this may join a group that other pairs confirmed.
RELATED = 0.25
# Candidate search: LSH thresholds on content-word pairs, per post and per paragraph.
DOCUMENT_CANDIDATE = 0.28
PARAGRAPH_CANDIDATE = 0.4

_STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        """a an the of for in on at to with by from about into over after before under
        is are was were be been being am do does did has have had can could should would
        will may might must what which who whom whose how why when where this that these
        those it its your you my our we i me us their they them his her he she as vs than
        then there here so very just also and or but not no nor if while because such
        more most some any all each both other another many much own same only one two
        clinic city phone""",
    )
)


# --- input --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One block of a post: its kind ("heading", "paragraph", "image", ...), its stored
    value (a heading's text, a paragraph's HTML, an image's key) and its plain text."""

    kind: str
    value: str
    text: str = ""

    @property
    def plain(self) -> str:
        return self.text if self.text or self.kind != "heading" else self.value

    @cached_property
    def identity(self) -> tuple[str, str]:
        return self.kind, " ".join(self.value.split())


@dataclass(frozen=True)
class ClinicFacts:
    """What a clinic's text names it by; each becomes a token in shared text."""

    name: str
    city: str = ""
    phone: str = ""

    def tokens(self) -> list[tuple[str, str]]:
        found = [(self.name, "{clinic}"), (self.city, "{city}"), (self.phone, "{phone}")]
        # Longest first: "Portland Ketamine Clinic" before "Portland".
        return sorted(((v, t) for v, t in found if v.strip()), key=lambda vt: -len(vt[0]))


@dataclass
class Post:
    """One clinic's post. ``group`` names an existing group (a library article) the post
    already belongs to; such posts are matched against but never regrouped."""

    key: Hashable
    clinic: str
    title: str | None
    blocks: list[Block]
    topics: frozenset[str] = frozenset()
    group: Hashable | None = None


@lru_cache(maxsize=4096)
def _token_pattern(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")


def tokenise_text(text: str, facts: ClinicFacts | None, *, is_html: bool = False) -> str:
    """``text`` with the clinic's name, city and phone as tokens."""
    if not facts or not text:
        return text
    for value, token in facts.tokens():
        forms = {value, html.escape(value, quote=False)} if is_html else {value}
        for form in forms:
            text = _token_pattern(form).sub(token, text)
    return text


def tokenise_post(post: Post, facts: ClinicFacts | None) -> Post:
    """A copy of ``post`` whose text names its clinic through tokens."""
    if facts is None:
        return post
    blocks = [
        Block(
            b.kind,
            tokenise_text(b.value, facts, is_html=b.kind == "paragraph"),
            tokenise_text(b.text, facts),
        )
        for b in post.blocks
    ]
    title = tokenise_text(post.title, facts) if post.title else post.title
    return Post(post.key, post.clinic, title, blocks, post.topics, post.group)


# --- comparing ------------------------------------------------------------------------


class _Stems(dict[str, str]):
    """Memo of word -> stem; a corpus has far fewer distinct words than words."""

    def __missing__(self, word: str) -> str:
        value = self[word] = stem(word)
        return value


_stems = _Stems()


def content_terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order (stop words dropped)."""
    return [_stems[w] for w in words(text) if w not in _STOP_WORDS and not w.isdigit()]


@lru_cache(maxsize=65_536)
def sentence_terms(text: str) -> tuple[frozenset[str], ...]:
    """Each sentence of ``text`` as its set of content terms (empty ones dropped)."""
    found = (frozenset(content_terms(s)) for s in split_sentences(text))
    return tuple(s for s in found if s)


def _dice(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


@dataclass
class _Paragraph:
    index: int  # position among the post's blocks
    sentences: list[frozenset[str]]
    weight: int  # content words
    terms: frozenset[str]

    @classmethod
    def of(cls, index: int, text: str) -> _Paragraph:
        sentences = sentence_terms(text)
        terms = frozenset().union(*sentences)
        return cls(index, list(sentences), sum(len(s) for s in sentences), terms)

    def similarity(self, other: _Paragraph) -> float:
        # Paragraphs sharing under a fifth of their words cannot reach PARAGRAPH_MATCH.
        if len(self.terms & other.terms) < 0.2 * min(len(self.terms), len(other.terms)):
            return 0.0
        return paragraph_similarity(self.sentences, other.sentences)


def paragraph_similarity(a: Sequence[frozenset], b: Sequence[frozenset]) -> float:
    """How much of two paragraphs' sentences have a counterpart (0..1): each sentence's
    best Dice share of content words with a sentence of the other, weighted by length,
    both ways."""
    if not a or not b:
        return 0.0
    # dice[x][y] once; each side's best is a row or column maximum.
    dice = [[2 * len(x & y) / (len(x) + len(y)) for y in b] for x in a]
    numerator = sum(max(row) * len(x) for row, x in zip(dice, a, strict=True))
    columns = zip(*dice, strict=True)
    numerator += sum(max(column) * len(y) for column, y in zip(columns, b, strict=True))
    denominator = sum(map(len, a)) + sum(map(len, b))
    return numerator / denominator


def align(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int, float]]:
    """The in-order matching of rows to columns with the largest total score, using only
    scores at or above ``threshold`` (a monotone alignment, as a diff makes)."""
    rows = len(scores)
    cols = len(scores[0]) if rows else 0
    best = [[0.0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            if scores[i][j] >= threshold:
                value = max(value, scores[i][j] + best[i + 1][j + 1])
            best[i][j] = value
    pairs, i, j = [], 0, 0
    while i < rows and j < cols:
        if scores[i][j] >= threshold and best[i][j] == scores[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j, scores[i][j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


class _Prepared:
    """What comparing needs of one (tokenised) post, computed once."""

    def __init__(self, position: int, post: Post) -> None:
        self.position = position
        self.post = post
        self.paragraphs = [
            _Paragraph.of(i, block.plain)
            for i, block in enumerate(post.blocks)
            if block.kind != "heading" and block.plain.strip()
        ]
        self.paragraphs = [p for p in self.paragraphs if p.weight]
        self.weight = sum(p.weight for p in self.paragraphs)
        self.text = "\n".join(b.plain for b in post.blocks if b.plain)
        self.title_terms = frozenset(content_terms(post.title or ""))


@dataclass(frozen=True)
class PairScore:
    """Why two posts are (or are not) one article."""

    first: Hashable
    second: Hashable
    shingles: float  # share of five-word shingles (the project's near-duplicate figure)
    coverage: float  # share of both texts in matched, in-order paragraphs
    matched: int  # paragraphs matched
    paragraphs: tuple[int, int]  # paragraphs in each post
    title: float  # Dice share of the titles' content words (0 if either has none)
    topics: float  # share of topics in common (0 if either has none)

    @property
    def score(self) -> float:
        return self.coverage + 0.15 * self.title + 0.05 * self.topics

    @property
    def same_article(self) -> bool:
        shortest = min(self.paragraphs)
        enough = self.matched >= 2 or (shortest <= 1 and self.matched == 1)
        return enough and self.score >= SAME_ARTICLE

    @property
    def related(self) -> bool:
        """Weaker: enough for two posts to share a group that other pairs confirmed (two
        clinics that each reworded the same article share less with each other than
        each with the original)."""
        return self.matched >= 1 and self.score >= RELATED


def compare(a: _Prepared, b: _Prepared) -> PairScore:
    scores = [[p.similarity(q) for q in b.paragraphs] for p in a.paragraphs]
    pairs = align(scores, PARAGRAPH_MATCH)
    covered = sum(s * (a.paragraphs[i].weight + b.paragraphs[j].weight) for i, j, s in pairs)
    total = a.weight + b.weight
    topics = (
        len(a.post.topics & b.post.topics) / len(a.post.topics | b.post.topics)
        if a.post.topics and b.post.topics
        else 0.0
    )
    title = _dice(a.title_terms, b.title_terms) if a.title_terms and b.title_terms else 0.0
    return PairScore(
        first=a.post.key,
        second=b.post.key,
        shingles=round(shingle_similarity(a.text, b.text), 3),
        coverage=round(covered / total, 3) if total else 0.0,
        matched=len(pairs),
        paragraphs=(len(a.paragraphs), len(b.paragraphs)),
        title=round(title, 3),
        topics=round(topics, 3),
    )


def compare_posts(a: Post, b: Post, facts: Mapping[str, ClinicFacts] | None = None) -> PairScore:
    """The figures of two posts (tokenised with their clinics' facts when given)."""
    facts = facts or {}
    return compare(
        _Prepared(0, tokenise_post(a, facts.get(a.clinic))),
        _Prepared(1, tokenise_post(b, facts.get(b.clinic))),
    )


# --- candidates -------------------------------------------------------------------------


def _stem_text(text: str) -> str:
    return " ".join(content_terms(text))


def candidate_pairs(prepared: Sequence[_Prepared]) -> set[tuple[int, int]]:
    """Pairs of positions worth aligning: near in content words (MinHash/LSH on the whole
    post and on each paragraph) or with the same title words. Posts of one clinic, and
    two posts already in existing groups, are never candidates."""
    found: set[tuple[int, int]] = set()

    def add(i: int, j: int) -> None:
        if i == j:
            return
        a, b = prepared[i].post, prepared[j].post
        if a.clinic == b.clinic or (a.group is not None and b.group is not None):
            return
        found.add((min(i, j), max(i, j)))

    documents = NearDuplicateIndex(DOCUMENT_CANDIDATE, shingle_size=1, lsh_threshold=0.22)
    documents.add_many((p.position, _stem_text(p.text)) for p in prepared)
    for pair in documents.pairs():
        add(pair.first, pair.second)

    paragraphs = NearDuplicateIndex(PARAGRAPH_CANDIDATE, shingle_size=1, lsh_threshold=0.3)
    paragraphs.add_many(
        ((p.position, n), _stem_text(p.post.blocks[paragraph.index].plain))
        for p in prepared
        for n, paragraph in enumerate(p.paragraphs)
        if paragraph.weight >= 8
    )
    for pair in paragraphs.pairs():
        add(pair.first[0], pair.second[0])

    # Titles: posts whose titles share most of their distinctive words (a word in more
    # than a tenth of the titles, such as "causes" or "help", does not count).
    by_term: dict[str, list[int]] = defaultdict(list)
    for p in prepared:
        for term in p.title_terms:
            by_term[term].append(p.position)
    common = {t for t, found_in in by_term.items() if len(found_in) > max(5, len(prepared) // 10)}
    distinctive = {p.position: p.title_terms - common for p in prepared}
    for term, positions in by_term.items():
        if term in common:
            continue
        for n, i in enumerate(positions):
            for j in positions[n + 1 :]:
                if _dice(distinctive[i], distinctive[j]) >= 0.6:
                    add(i, j)
    return found


# --- grouping ---------------------------------------------------------------------------


@dataclass
class Group:
    """Posts that are one article, and the figures that put them together."""

    posts: list[Post]
    pairs: list[PairScore] = field(default_factory=list)

    @property
    def existing(self) -> Hashable | None:
        """The existing group (library article) this one extends, if any."""
        return next((p.group for p in self.posts if p.group is not None), None)

    @property
    def new_posts(self) -> list[Post]:
        return [p for p in self.posts if p.group is None]


def find_groups(
    posts: Sequence[Post], facts: Mapping[str, ClinicFacts] | None = None
) -> list[Group]:
    """Partition ``posts`` into groups of one article each (singletons included), in
    the order of each group's first post. Posts keep their existing group."""
    facts = facts or {}
    prepared = [
        _Prepared(n, tokenise_post(post, facts.get(post.clinic))) for n, post in enumerate(posts)
    ]
    scores: dict[tuple[int, int], PairScore] = {}

    def score(i: int, j: int) -> PairScore:
        key = (min(i, j), max(i, j))
        if key not in scores:
            scores[key] = compare(prepared[key[0]], prepared[key[1]])
        return scores[key]

    confirmed = []
    for i, j in candidate_pairs(prepared):
        pair = score(i, j)
        if pair.same_article:
            confirmed.append((pair.score, i, j))
    confirmed.sort(key=lambda item: (-item[0], item[1], item[2]))

    # Clusters: existing groups start together.
    cluster_of = list(range(len(posts)))
    members: dict[int, list[int]] = {n: [n] for n in range(len(posts))}
    existing_cluster: dict[Hashable, int] = {}
    for n, post in enumerate(posts):
        if post.group is None:
            continue
        if post.group in existing_cluster:
            target = existing_cluster[post.group]
            members[target].append(n)
            del members[n]
            cluster_of[n] = target
        else:
            existing_cluster[post.group] = n

    def group_key(c: int):
        return next((posts[m].group for m in members[c] if posts[m].group is not None), None)

    for _, i, j in confirmed:
        a, b = cluster_of[i], cluster_of[j]
        if a == b:
            continue
        if group_key(a) is not None and group_key(b) is not None:
            continue
        clinics_a = {posts[m].clinic for m in members[a]}
        if clinics_a & {posts[m].clinic for m in members[b]}:
            continue
        cross = [(x, y) for x in members[a] for y in members[b]]
        if len(cross) > 1:
            agreeing = sum(1 for x, y in cross if score(x, y).related)
            if agreeing * 2 < len(cross):
                continue
        members[a].extend(members[b])
        for m in members.pop(b):
            cluster_of[m] = a

    groups = []
    for c in sorted(members, key=lambda c: min(members[c])):
        ordered = sorted(members[c])
        pairs = [score(x, y) for n, x in enumerate(ordered) for y in ordered[n + 1 :]]
        groups.append(Group([posts[m] for m in ordered], pairs))
    return groups


# --- plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """One override row: ``anchor`` is a library block's position, START or END."""

    anchor: int | str
    action: str
    blocks: tuple[Block, ...] = ()


@dataclass
class Plan:
    """A group as one library text plus each post's overrides (all tokenised)."""

    title: str | None
    library: list[Block]
    base: Hashable | None  # the post whose text the library's is; None: existing text
    overrides: dict[Hashable, list[Override]]
    titles: dict[Hashable, str | None]  # each post's own title where it differs
    costs: dict[Hashable, int] = field(default_factory=dict)  # rows per post as library

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.overrides.values())


# Costs of the row-minimising alignment; the small terms break ties between plans with
# equally many rows: keep identical blocks matched, then pair the most similar blocks.
_IDENTICAL_BONUS = 0.01
_SIMILAR_BONUS = 0.0001


def _similarity(a: Block, b: Block) -> float:
    if not a.plain or not b.plain:
        return 0.0
    first, second = _Paragraph.of(0, a.plain), _Paragraph.of(0, b.plain)
    return first.similarity(second) if first.terms and second.terms else 0.0


def _counterparts(library: Sequence[Block], post: Sequence[Block]) -> dict[int, int]:
    """Library position -> post position of blocks that are one another's version:
    identical blocks first, then reworded ones (see ``PARAGRAPH_MATCH``), in order."""
    scores = []
    for a in library:
        row = []
        for b in post:
            if a.identity == b.identity:
                row.append(2.0)
            elif a.kind == b.kind and a.plain and b.plain:
                row.append(_similarity(a, b))
            else:
                row.append(0.0)
        scores.append(row)
    return {i: j for i, j, _ in align(scores, PARAGRAPH_MATCH)}


def diff_blocks(library: Sequence[Block], post: Sequence[Block]) -> list[Override]:
    """The override rows that turn ``library`` into ``post``.

    Blocks that are one another's version (``_counterparts``) are kept or replaced.
    Between two such pairs, the rest is done with the fewest rows: a dynamic programme
    over (library position, post position, whether an insertion run is open) where a
    replacement (same kind) or a hidden block costs one row, and a run of the post's
    extra blocks one row however long, anchored after the library block before it (or
    at the start). A run stays open across hidden library blocks, since they show
    nothing between its blocks.
    """
    n, m = len(library), len(post)
    pairs = _counterparts(library, post)
    paired_post = set(pairs.values())
    inf = float("inf")
    # cost[i][j][open]: cheapest cost of turning library[i:] into post[j:].
    cost = [[[inf, inf] for _ in range(m + 1)] for _ in range(n + 1)]
    choice: list[list[list[tuple | None]]] = [
        [[None, None] for _ in range(m + 1)] for _ in range(n + 1)
    ]
    similar: dict[tuple[int, int], float] = {}
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            for is_open in (0, 1):
                if i == n and j == m:
                    cost[i][j][is_open] = 0.0
                    continue
                options = []
                if (
                    i < n
                    and j < m
                    and (pairs.get(i) == j or (i not in pairs and j not in paired_post))
                ):
                    a, b = library[i], post[j]
                    if a.identity == b.identity:
                        options.append((cost[i + 1][j + 1][0] - _IDENTICAL_BONUS, ("keep",)))
                    elif a.kind == b.kind:
                        if (i, j) not in similar:
                            similar[(i, j)] = _similarity(a, b)
                        reward = _SIMILAR_BONUS * similar[(i, j)]
                        options.append((cost[i + 1][j + 1][0] + 1 - reward, ("replace",)))
                if i < n and i not in pairs:
                    options.append((cost[i + 1][j][is_open] + 1, ("hide",)))
                if j < m and j not in paired_post:
                    options.append((cost[i][j + 1][1] + (0 if is_open else 1), ("insert",)))
                if options:
                    best = min(options, key=lambda option: option[0])
                    cost[i][j][is_open], choice[i][j][is_open] = best

    rows: list[Override] = []
    i = j = is_open = 0
    run: list[Block] = []
    run_anchor: tuple[int | str, str] | None = None

    def close_run() -> None:
        nonlocal run, run_anchor
        if run:
            rows.append(Override(run_anchor[0], run_anchor[1], tuple(run)))
        run, run_anchor = [], None

    while i < n or j < m:
        (step,) = choice[i][j][is_open]
        if step == "insert":
            if not is_open:
                close_run()
                run_anchor = (i - 1, INSERT_AFTER) if i > 0 else (START, INSERT_AFTER)
            run.append(post[j])
            j, is_open = j + 1, 1
        elif step == "hide":
            rows.append(Override(i, HIDE))
            i += 1
        else:
            close_run()
            if step == "replace":
                rows.append(Override(i, REPLACE, (post[j],)))
            i, j, is_open = i + 1, j + 1, 0
    close_run()
    return _tidy(rows, len(library))


def _tidy(rows: list[Override], library_length: int) -> list[Override]:
    """The rows in reading order of their anchors."""
    order = {START: -1, END: library_length}
    return sorted(
        rows,
        key=lambda r: (
            order.get(r.anchor, r.anchor) if isinstance(r.anchor, str) else r.anchor,
            {INSERT_BEFORE: 0, REPLACE: 1, HIDE: 1, INSERT_AFTER: 2}[r.action],
        ),
    )


def apply_plan(library: Sequence[Block], overrides: Iterable[Override]) -> list[Block]:
    """The blocks a clinic shows: ``overrides`` laid over ``library`` in the order
    ``blog.resolution.merge_body`` uses (before-inserts, the block or its replacement
    unless hidden, after-inserts; START first and END last)."""
    by_anchor: dict[int | str, list[Override]] = defaultdict(list)
    for row in overrides:
        by_anchor[row.anchor].append(row)
    shown: list[Block] = []

    def insert(anchor, actions) -> None:
        for row in by_anchor.get(anchor, ()):
            if row.action in actions:
                shown.extend(row.blocks)

    insert(START, (INSERT_BEFORE, INSERT_AFTER))
    for position, block in enumerate(library):
        rows = by_anchor.get(position, ())
        insert(position, (INSERT_BEFORE,))
        if any(r.action == HIDE for r in rows):
            pass
        elif replacement := next((r for r in rows if r.action == REPLACE), None):
            shown.extend(replacement.blocks)
        else:
            shown.append(block)
        insert(position, (INSERT_AFTER,))
    insert(END, (INSERT_BEFORE, INSERT_AFTER))
    return shown


def plan_group(
    group: Group | Sequence[Post],
    facts: Mapping[str, ClinicFacts] | None = None,
    *,
    base: Hashable | None = None,
    library: Sequence[Block] | None = None,
    library_title: str | None = None,
) -> Plan:
    """One library text and each post's overrides.

    ``library`` (an existing article's tokenised blocks) fixes the library text;
    otherwise it is the post named by ``base`` (a post key or a clinic), or else the
    post whose text needs the fewest override rows at the others."""
    facts = facts or {}
    posts = list(group.posts if isinstance(group, Group) else group)
    tokenised = {p.key: tokenise_post(p, facts.get(p.clinic)) for p in posts}
    costs: dict[Hashable, int] = {}
    if library is None:
        named = [p for p in posts if base is not None and base in (p.key, p.clinic)]
        if base is not None and not named:
            raise ValueError(f"{base!r} is not a post or clinic of this group")
        candidates = named or [p for p in posts if p.group is None] or posts
        best_rows: dict[Hashable, dict[Hashable, list[Override]]] = {}
        for candidate in candidates:
            blocks = tokenised[candidate.key].blocks
            best_rows[candidate.key] = {
                p.key: diff_blocks(blocks, tokenised[p.key].blocks)
                for p in posts
                if p.key != candidate.key
            }
            costs[candidate.key] = sum(len(r) for r in best_rows[candidate.key].values())
        chosen = min(candidates, key=lambda p: (costs[p.key], p.title is None))
        library_blocks = list(tokenised[chosen.key].blocks)
        overrides = {chosen.key: [], **best_rows[chosen.key]}
        base_key = chosen.key
        title = tokenised[chosen.key].title or next(
            (tokenised[p.key].title for p in posts if tokenised[p.key].title), None
        )
    else:
        library_blocks = list(library)
        overrides = {p.key: diff_blocks(library_blocks, tokenised[p.key].blocks) for p in posts}
        base_key = None
        title = library_title
    titles = {
        p.key: (tokenised[p.key].title if tokenised[p.key].title not in (None, title) else None)
        for p in posts
    }
    ordered = {p.key: overrides[p.key] for p in posts}
    return Plan(title, library_blocks, base_key, ordered, titles, costs)


# --- plain text ---------------------------------------------------------------------------

_HEADING_MAX_WORDS = 10
_HEADING_MAX_CHARS = 80
_LINE_ENDS = tuple('.!?:"”’)]')


def is_heading_line(line: str) -> bool:
    """A short line without the punctuation that ends a sentence or clause ("Final
    Thoughts", "Treatment with Ketamine"; a question such as "What Causes PTSD?" too)."""
    line = line.strip()
    return (
        0 < len(line.split()) <= _HEADING_MAX_WORDS
        and len(line) <= _HEADING_MAX_CHARS
        and line[-1] not in '.,;:!"”’'
        and len(split_sentences(line)) == 1
    )


def paragraph_block(text: str) -> Block:
    text = " ".join(text.split())
    return Block("paragraph", f"<p>{html.escape(text, quote=False)}</p>", text)


def heading_block(text: str) -> Block:
    text = " ".join(text.split())
    return Block("heading", text, text)


def read_plain_text(text: str, *, title: str | None = None) -> tuple[str | None, list[Block]]:
    """The title and blocks of a plain-text article, as the seeds are written.

    Paragraphs are separated by blank lines or stand one a line; lines of one paragraph
    wrapped at a width (a line not ending a sentence, or the next starting in lower
    case) are joined. Headings are short
    unpunctuated lines. The first line is the title when it reads as a heading (or is
    ``title``); otherwise the article has no title line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        chunk_lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        continued = any(line[0].islower() for line in chunk_lines[1:])
        if not continued and all(
            line.endswith(_LINE_ENDS) or is_heading_line(line) for line in chunk_lines
        ):
            lines.extend(chunk_lines)
        else:
            lines.append(" ".join(chunk_lines))
    found_title = None
    if lines and (
        (title is not None and " ".join(lines[0].split()) == " ".join(title.split()))
        or (title is None and is_heading_line(lines[0]) and len(lines) > 1)
    ):
        found_title = " ".join(lines.pop(0).split())
    blocks = [
        heading_block(line) if is_heading_line(line) else paragraph_block(line) for line in lines
    ]
    return found_title, blocks
