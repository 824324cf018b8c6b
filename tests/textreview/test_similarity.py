import numpy as np
import pytest
from datasketch import MinHash

from textreview.similarity import (
    NearDuplicateIndex,
    ShingleHasher,
    SignatureMaker,
    find_near_duplicates,
    hashed_jaccard,
    shingle_similarity,
    shingles,
    words,
)

TEN_WORDS = "one two three four five six seven eight nine ten"


def test_words_are_normalised_including_curly_apostrophes():
    assert words("An Individual’s LIFE, and “trauma”.") == [
        "an",
        "individual's",
        "life",
        "and",
        "trauma",
    ]


def test_shingles_are_five_word_windows():
    assert shingles("a b c d e f") == {("a", "b", "c", "d", "e"), ("b", "c", "d", "e", "f")}


def test_short_text_is_one_shingle():
    assert shingles("too short") == {("too", "short")}


def test_identical_texts_are_one():
    assert shingle_similarity(TEN_WORDS, TEN_WORDS) == 1.0


def test_case_and_punctuation_do_not_count():
    assert shingle_similarity(TEN_WORDS, TEN_WORDS.upper().replace(" ", ", ")) == 1.0


def test_disjoint_texts_are_zero():
    assert shingle_similarity(TEN_WORDS, "alpha beta gamma delta epsilon zeta eta theta") == 0.0


def test_partial_overlap_computed_by_hand():
    # a: w1..w10 has 6 shingles (starting at w1..w6).
    # b: w1..w8 then x y has 6 shingles; the first 4 (starting w1..w4) are shared.
    # Jaccard = 4 / (6 + 6 - 4) = 0.5
    b = "one two three four five six seven eight x y"
    assert shingle_similarity(TEN_WORDS, b) == pytest.approx(0.5)


def test_hashed_shingles_agree_with_string_shingles():
    hasher = ShingleHasher()
    b = "one two three four five six seven eight x y"
    assert hashed_jaccard(hasher(TEN_WORDS), hasher(b)) == pytest.approx(0.5)
    assert len(hasher(TEN_WORDS)) == 6


def test_word_order_matters_for_hashed_shingles():
    hasher = ShingleHasher()
    assert hashed_jaccard(hasher("a b c d e"), hasher("e d c b a")) == 0.0


def test_signatures_equal_datasketch_minhash():
    hasher = ShingleHasher()
    hash_sets = [
        hasher(TEN_WORDS),
        hasher("another text with quite a few words in it"),
        np.empty(0, np.uint32),
    ]
    signer = SignatureMaker(num_perm=64, seed=3)
    batch = signer.signatures(hash_sets)
    for row, hashes in zip(batch, hash_sets, strict=True):
        reference = MinHash(num_perm=64, seed=3, hashfunc=int, scheme="affine32")
        reference.update_batch(hashes.tolist())
        assert np.array_equal(row, reference.hashvalues)


def _sentences(seed, count):
    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(3000)]
    return [" ".join(rng.choice(vocabulary, 12)) + "." for _ in range(count)]


def test_index_finds_planted_near_duplicate_and_not_a_dissimilar_text():
    base = _sentences(1, 40)
    docs = {f"unrelated-{i}": " ".join(_sentences(100 + i, 40)) for i in range(50)}
    docs["original"] = " ".join(base)
    docs["copy"] = " ".join(base[:36] + _sentences(2, 4))  # 10 % of sentences rewritten
    docs["rewrite"] = " ".join(base[:10] + _sentences(3, 30))  # 75 % rewritten
    pairs = find_near_duplicates(docs, threshold=0.5)
    assert [(p.first, p.second) for p in pairs] == [("original", "copy")]
    assert pairs[0].similarity == pytest.approx(
        shingle_similarity(docs["original"], docs["copy"]), abs=0.01
    )


def test_index_query_finds_copies_of_a_text():
    base = _sentences(5, 30)
    index = NearDuplicateIndex(0.5)
    index.add_many([("a", " ".join(base)), ("b", " ".join(_sentences(6, 30)))])
    found = index.query(" ".join(base[:28] + _sentences(7, 2)))
    assert [key for key, _ in found] == ["a"]
    index.add("c", " ".join(base))
    assert {key for key, _ in index.query(" ".join(base))} == {"a", "c"}
    assert index.similarity("a", "c") == 1.0


def test_index_rejects_duplicate_keys():
    index = NearDuplicateIndex()
    index.add("a", TEN_WORDS)
    with pytest.raises(ValueError, match="duplicate key"):
        index.add("a", TEN_WORDS)


def test_index_with_fewer_than_two_documents_has_no_pairs():
    assert NearDuplicateIndex().pairs() == []
    assert find_near_duplicates({"only": TEN_WORDS}) == []


def test_stored_fingerprints_index_like_the_texts_themselves():
    from textreview.similarity import Fingerprint, NearDuplicateIndex, fingerprint

    base = " ".join(f"word{i}" for i in range(60))
    texts = {
        "a": base,
        "b": base + " and a few more words at the very end",
        "c": " ".join(f"other{i}" for i in range(60)),
    }
    from_texts = NearDuplicateIndex(0.5)
    from_texts.add_many(texts.items())
    stored = {
        key: Fingerprint.from_bytes(*fingerprint(text).to_bytes()) for key, text in texts.items()
    }
    from_prints = NearDuplicateIndex(0.5)
    from_prints.add_fingerprints(stored.items())
    assert from_prints.pairs() == from_texts.pairs()
    assert [(p.first, p.second) for p in from_prints.pairs()] == [("a", "b")]
    assert stored["a"].similarity(stored["b"]) == from_texts.similarity("a", "b")
