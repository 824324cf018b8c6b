"""Benchmark: near-duplicate detection over a synthetic clinic network.

Run:  python tests/benchmarks/near_duplicates.py [--clinics 200] [--articles 500]

Not a pytest test (no ``test_`` prefix): it takes about a minute.

The network: a library of ``--articles`` articles (about 35 sentences, ~520
words each). Every one of ``--clinics`` clinics has a copy of every article:
the library text with a share of its sentences rewritten (fresh words) and a
clinic footer appended. The share rewritten is drawn per copy:

* 15 % light edits (5-25 % of sentences rewritten): copies of one article that
  are both light edits are near-duplicates (Jaccard ~0.55-0.85);
* 25 % moderate edits (25-50 %): pairs with these straddle the threshold;
* 60 % heavy rewrites (50-95 %): clearly distinct from other copies.

The footer is shared by all 500 articles of one clinic, so cross-article pairs
overlap a little (Jaccard ~0.03) without being near-duplicates.

All documents go into one index: nothing groups them by article. The found
pairs are then compared with the exact Jaccard share computed for every pair
of copies of a sample of articles plus a random sample of cross-article pairs.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from textreview.similarity import NearDuplicateIndex, shingle_similarity  # noqa: E402

SENTENCES_PER_ARTICLE = 35
VOCABULARY_SIZE = 8_000


class Network:
    """Deterministic synthetic network; any document can be rebuilt from its key."""

    def __init__(self, clinics: int, articles: int, seed: int) -> None:
        self.clinics = clinics
        self.articles = articles
        self.seed = seed
        rng = np.random.default_rng(seed)
        syllables = [
            "ka",
            "te",
            "mi",
            "no",
            "ru",
            "sa",
            "li",
            "po",
            "ve",
            "da",
            "xi",
            "lo",
            "be",
            "ne",
            "tor",
            "fen",
            "gal",
            "hum",
            "jin",
            "qua",
            "wex",
            "zor",
        ]
        vocabulary: set[str] = set()
        while len(vocabulary) < VOCABULARY_SIZE:
            length = int(rng.integers(1, 5))
            vocabulary.add("".join(rng.choice(syllables, length)))
        self.vocabulary = np.array(sorted(vocabulary))
        self.library = [
            [self._sentence(rng) for _ in range(SENTENCES_PER_ARTICLE)] for _ in range(articles)
        ]
        self.footers = [" ".join(self._sentence(rng) for _ in range(2)) for _ in range(clinics)]

    def _sentence(self, rng: np.random.Generator) -> str:
        picked = self.vocabulary[rng.integers(0, VOCABULARY_SIZE, int(rng.integers(10, 21)))]
        return " ".join(picked).capitalize() + "."

    def rewrite_share(self, clinic: int, article: int) -> float:
        rng = np.random.default_rng((self.seed, 1, clinic, article))
        kind = rng.random()
        if kind < 0.15:
            return float(rng.uniform(0.05, 0.25))
        if kind < 0.40:
            return float(rng.uniform(0.25, 0.50))
        return float(rng.uniform(0.50, 0.95))

    def text(self, clinic: int, article: int) -> str:
        rng = np.random.default_rng((self.seed, 2, clinic, article))
        sentences = list(self.library[article])
        rewritten = round(self.rewrite_share(clinic, article) * len(sentences))
        for position in rng.choice(len(sentences), rewritten, replace=False):
            sentences[position] = self._sentence(rng)
        sentences.append(self.footers[clinic])
        return " ".join(sentences)

    def documents(self) -> Iterator[tuple[tuple[int, int], str]]:
        for clinic in range(self.clinics):
            for article in range(self.articles):
                yield (clinic, article), self.text(clinic, article)


class GenerationClock:
    """Wraps the document generator, adding up the time spent inside it."""

    def __init__(self, documents: Iterator[tuple[tuple[int, int], str]]) -> None:
        self._documents = documents
        self.seconds = 0.0
        self.words = 0

    def __iter__(self) -> GenerationClock:
        return self

    def __next__(self) -> tuple[tuple[int, int], str]:
        started = time.perf_counter()
        try:
            key, text = next(self._documents)
        finally:
            self.seconds += time.perf_counter() - started
        self.words += text.count(" ") + 1
        return key, text


def peak_memory_mib() -> float:
    # ru_maxrss is KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_sample(network: Network, sample_articles: int, cross_pairs: int, rng: random.Random):
    """Exact Jaccard for every pair of copies of some articles, plus random cross-article pairs."""
    similarities: dict[tuple[tuple[int, int], tuple[int, int]], float] = {}
    for article in rng.sample(range(network.articles), sample_articles):
        texts = [network.text(clinic, article) for clinic in range(network.clinics)]
        from textreview.similarity import shingles  # local: only the sample needs string shingles

        sets = [shingles(text) for text in texts]
        for a, b in itertools.combinations(range(network.clinics), 2):
            union = len(sets[a] | sets[b])
            similarities[((a, article), (b, article))] = len(sets[a] & sets[b]) / union
    for _ in range(cross_pairs):
        first = (rng.randrange(network.clinics), rng.randrange(network.articles))
        second = (rng.randrange(network.clinics), rng.randrange(network.articles))
        if first[1] == second[1]:
            continue
        key = tuple(sorted((first, second)))
        similarities[key] = shingle_similarity(network.text(*first), network.text(*second))
    return similarities


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=200)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--sample-articles", type=int, default=10)
    parser.add_argument("--cross-pairs", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    network = Network(args.clinics, args.articles, args.seed)
    total = args.clinics * args.articles
    print(f"network: {args.clinics} clinics x {args.articles} articles = {total} documents")

    # Documents are generated as the index reads them, so the corpus is never
    # held in memory whole; the time spent generating them is subtracted.
    generation = GenerationClock(network.documents())
    started = time.perf_counter()
    index = NearDuplicateIndex(args.threshold, num_perm=args.num_perm)
    index.add_many(generation)
    indexed = time.perf_counter()
    pairs = index.pairs()
    finished = time.perf_counter()
    index_seconds = indexed - started - generation.seconds
    print(
        f"generated in {generation.seconds:.1f} s (not counted),"
        f" ~{generation.words / total:.0f} words per document"
    )
    print(f"index built in {index_seconds:.1f} s; pairs found in {finished - indexed:.1f} s")
    bands, rows = index.bands, index.rows
    print(
        f"threshold {args.threshold}, num_perm {args.num_perm}, LSH at {index.lsh_threshold}"
        f" ({bands} bands x {rows} rows)"
    )
    print(f"time to find all near-duplicate pairs: {index_seconds + finished - indexed:.1f} s")
    print(f"near-duplicate pairs found: {len(pairs)}")
    print(f"peak memory (max RSS): {peak_memory_mib():.0f} MiB")

    found = {tuple(sorted((pair.first, pair.second))) for pair in pairs}
    sample = exact_sample(network, args.sample_articles, args.cross_pairs, random.Random(args.seed))
    truly_near = {key for key, value in sample.items() if value >= args.threshold}
    found_in_sample = found & sample.keys()
    hits = found_in_sample & truly_near
    recall = len(hits) / len(truly_near) if truly_near else 1.0
    precision = len(hits) / len(found_in_sample) if found_in_sample else 1.0
    print(f"sample: {len(sample)} pairs checked exactly, {len(truly_near)} at or above threshold")
    print(f"recall {recall:.4f}  precision {precision:.4f}")


if __name__ == "__main__":
    main()
