"""Duplicate-content measures: word 5-shingles, their Jaccard share, and an LSH index.

The figure shown to editors is ``shingle_similarity``: of all distinct five-word
sequences that occur in either text, the share that occur in both (0.0 .. 1.0).

``NearDuplicateIndex`` finds every pair of documents above a threshold without
comparing every pair: each document's shingles are hashed to 32-bit integers,
sketched with MinHash (datasketch's ``affine32`` scheme, computed with numpy for
many documents at once) and banded with datasketch's ``MinHashLSH``. Candidate
pairs are then checked against the threshold on the hashed shingle sets, so the
figure reported for a pair is the exact Jaccard share (up to 32-bit hash
collisions, about one in 10^4 for two 500-shingle documents).
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from textreview.text import straighten_quotes

SHINGLE_SIZE = 5

# Two texts sharing at least this share of their five-word shingles are near-duplicates
# (the canonical policy, the network report and the editors' figures all use it).
NEAR_DUPLICATE_THRESHOLD = 0.5

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def normalise(text: str) -> str:
    """Unicode-normalised, lower-cased text with straight quotes."""
    return straighten_quotes(unicodedata.normalize("NFKC", text)).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` after normalisation; punctuation is dropped."""
    return _WORD_RE.findall(normalise(text))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[tuple[str, ...]]:
    """Distinct ``size``-word sequences of ``text``.

    A text shorter than ``size`` words yields one short shingle, so that two
    identical short texts still compare as identical.
    """
    tokens = words(text)
    if len(tokens) < size:
        return {tuple(tokens)} if tokens else set()
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def jaccard(a: set, b: set) -> float:
    """|a ∩ b| / |a ∪ b|; two empty sets count as identical."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def shingle_similarity(a: str, b: str, size: int = SHINGLE_SIZE) -> float:
    """Share of distinct five-word shingles the two texts have in common (0..1)."""
    return jaccard(shingles(a, size), shingles(b, size))


# --- hashed shingles for the index -------------------------------------------------

# Odd 64-bit multipliers, one per position in the shingle, so that word order counts.
_POSITION_MULTIPLIERS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


class _WordHashes(dict[str, int]):
    """Memo of word -> CRC-32; a corpus has far fewer distinct words than words."""

    def __missing__(self, word: str) -> int:
        value = zlib.crc32(word.encode())
        self[word] = value
        return value


class ShingleHasher:
    """Turns text into the sorted, distinct 32-bit hashes of its word shingles."""

    def __init__(self, size: int = SHINGLE_SIZE) -> None:
        if not 1 <= size <= len(_POSITION_MULTIPLIERS):
            raise ValueError(f"shingle size must be 1..{len(_POSITION_MULTIPLIERS)}")
        self.size = size
        self._word_hashes = _WordHashes()

    def __call__(self, text: str) -> np.ndarray:
        tokens = words(text)
        codes = np.fromiter(map(self._word_hashes.__getitem__, tokens), np.uint64, len(tokens))
        width = min(self.size, len(codes))
        if width == 0:
            return np.empty(0, dtype=np.uint32)
        count = len(codes) - width + 1
        mixed = np.zeros(count, dtype=np.uint64)
        for offset in range(width):
            # Wrap-around multiply-add is the intended mod-2^64 arithmetic.
            mixed += codes[offset : offset + count] * _POSITION_MULTIPLIERS[offset]
        # The high half of a multiply is the well-mixed half.
        return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


def hashed_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard share of two sorted, distinct hash arrays."""
    if len(a) == 0 and len(b) == 0:
        return 1.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


# --- MinHash signatures, computed for many documents at once ----------------------


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


class SignatureMaker:
    """MinHash signatures equal to datasketch's ``MinHash(scheme="affine32")``
    fed the same 32-bit hashes, but computed for a batch of documents with one
    numpy pass instead of one Python loop per document."""

    # Shingles per numpy pass; keeps the working vector (4 MB) in cache.
    BLOCK_ROWS = 1_000_000

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        template = MinHash(num_perm=num_perm, seed=seed, scheme="affine32")
        self.num_perm = num_perm
        self.seed = seed
        self._a, self._b = template.permutations
        self._empty = np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)

    def signatures(self, hash_sets: list[np.ndarray]) -> np.ndarray:
        """One row of ``num_perm`` minimum hash values per input hash array."""
        result = np.tile(self._empty, (len(hash_sets), 1))
        start = 0
        while start < len(hash_sets):
            stop, rows = start, 0
            while stop < len(hash_sets) and (
                rows == 0 or rows + len(hash_sets[stop]) <= self.BLOCK_ROWS
            ):
                rows += len(hash_sets[stop])
                stop += 1
            self._fill(hash_sets[start:stop], result[start:stop])
            start = stop
        return result

    def _fill(self, hash_sets: list[np.ndarray], out: np.ndarray) -> None:
        lengths = np.array([len(h) for h in hash_sets])
        filled = np.flatnonzero(lengths)
        if len(filled) == 0:
            return
        values = _fmix32(np.concatenate([hash_sets[i] for i in filled]))
        offsets = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
        minima = np.empty((len(self._a), len(filled)), dtype=np.uint32)
        permuted = np.empty_like(values)
        # One permutation at a time over a contiguous vector: a (shingles x perms)
        # matrix reduced along axis 0 is many times slower on this hardware.
        for k, (a, b) in enumerate(zip(self._a, self._b, strict=True)):
            np.multiply(values, a, out=permuted)
            permuted += b
            minima[k] = np.minimum.reduceat(permuted, offsets)
        out[filled] = minima.T

    def lean_minhash(self, signature: np.ndarray) -> LeanMinHash:
        return LeanMinHash(seed=self.seed, hashvalues=signature, scheme="affine32")


# --- the index ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NearDuplicatePair:
    first: Hashable
    second: Hashable
    similarity: float  # Jaccard share of five-word shingles


def _band_candidates(band: np.ndarray, count: int) -> np.ndarray:
    """Pair codes (i * count + j, i < j) of rows whose band values are all equal."""
    # Equal bands give equal keys; rare unequal bands with equal keys only add
    # candidates, which the check afterwards removes.
    keys = np.zeros(len(band), dtype=np.uint64)
    for column in range(band.shape[1]):
        keys += band[:, column].astype(np.uint64) * _POSITION_MULTIPLIERS[column]
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    codes = []
    active = np.arange(len(keys) - 1)
    distance = 1
    # Pair each row with the next, then the one after, ... within runs of equal
    # keys; a row drops out once its run ends, so the work is one step per pair.
    while len(active):
        active = active[keys[active] == keys[active + distance]]
        left, right = order[active], order[active + distance]
        codes.append(np.minimum(left, right) * count + np.maximum(left, right))
        distance += 1
        active = active[active + distance < len(keys)]
    return np.concatenate(codes) if codes else np.empty(0, dtype=np.int64)


class NearDuplicateIndex:
    """All pairs of documents whose shingle similarity is at least ``threshold``.

    Add documents with ``add``/``add_many``; read every pair with ``pairs()`` or
    the documents near one text with ``query(text)``.

    Banding: datasketch's ``MinHashLSH`` picks the bands (b) and rows (r) for
    ``lsh_threshold`` - set below ``threshold`` and with false negatives
    weighted over false positives, to favour recall. ``query`` uses that
    MinHashLSH itself (built on first use); ``pairs`` applies the same bands to
    the whole signature matrix with numpy, which for a network-wide scan is
    much faster than one Python insert and query per document.

    Checking: candidates whose MinHash estimate is more than ``estimate_margin``
    below the threshold (over 3 standard errors at 128 permutations) are
    dropped; the rest get the exact Jaccard share of their hashed shingles.
    """

    def __init__(
        self,
        threshold: float = NEAR_DUPLICATE_THRESHOLD,
        *,
        num_perm: int = 128,
        lsh_threshold: float | None = None,
        estimate_margin: float = 0.15,
        seed: int = 1,
        shingle_size: int = SHINGLE_SIZE,
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        self.threshold = threshold
        if lsh_threshold is None:
            lsh_threshold = max(0.05, threshold - 0.1)
        self.lsh_threshold = lsh_threshold
        self.estimate_margin = estimate_margin
        self._num_perm = num_perm
        self._hasher = ShingleHasher(shingle_size)
        self._signer = SignatureMaker(num_perm, seed)
        self._keys: list[Hashable] = []
        self._positions: dict[Hashable, int] = {}
        self._hash_sets: list[np.ndarray] = []
        self._signature_batches: list[np.ndarray] = []
        self._lsh: MinHashLSH | None = None
        self._lsh_size = 0
        banding = self._new_lsh()
        self.bands, self.rows = banding.b, banding.r

    def _new_lsh(self) -> MinHashLSH:
        return MinHashLSH(threshold=self.lsh_threshold, num_perm=self._num_perm, weights=(0.2, 0.8))

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._positions

    def add(self, key: Hashable, text: str) -> None:
        self.add_many([(key, text)])

    def add_fingerprints(self, items: Iterable[tuple[Hashable, Fingerprint]]) -> None:
        """Add documents by their stored fingerprints (see ``fingerprint``), so that
        texts measured earlier are not read or hashed again."""
        keys, hash_sets, signatures = [], [], []
        for key, print_ in items:
            if key in self._positions or key in keys:
                raise ValueError(f"duplicate key {key!r}")
            if len(print_.signature) != self._num_perm:
                raise ValueError(f"{key!r}: signature of {len(print_.signature)} values")
            keys.append(key)
            hash_sets.append(print_.hashes)
            signatures.append(print_.signature)
        for key in keys:
            self._positions[key] = len(self._keys)
            self._keys.append(key)
        self._hash_sets.extend(hash_sets)
        if signatures:
            self._signature_batches.append(np.vstack(signatures).astype(np.uint32))

    def add_many(self, items: Iterable[tuple[Hashable, str]], batch_size: int = 2_000) -> None:
        batch: list[tuple[Hashable, str]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)

    def _add_batch(self, batch: list[tuple[Hashable, str]]) -> None:
        for key, _ in batch:
            if key in self._positions:
                raise ValueError(f"duplicate key {key!r}")
            self._positions[key] = len(self._keys)
            self._keys.append(key)
        hash_sets = [self._hasher(text) for _, text in batch]
        self._hash_sets.extend(hash_sets)
        self._signature_batches.append(self._signer.signatures(hash_sets))

    def _signatures(self) -> np.ndarray:
        if len(self._signature_batches) > 1:
            self._signature_batches = [np.concatenate(self._signature_batches)]
        if not self._signature_batches:
            return np.empty((0, self._num_perm), dtype=np.uint32)
        return self._signature_batches[0]

    def similarity(self, first: Hashable, second: Hashable) -> float:
        """Jaccard share of two indexed documents' shingles."""
        return hashed_jaccard(
            self._hash_sets[self._positions[first]], self._hash_sets[self._positions[second]]
        )

    # -- one document against the index (e.g. while an editor writes) --

    def query(self, text: str) -> list[tuple[Hashable, float]]:
        """Indexed documents at or above the threshold for ``text``, most similar first."""
        signatures = self._signatures()
        if self._lsh is None:
            self._lsh = self._new_lsh()
        with self._lsh.insertion_session() as session:
            for position in range(self._lsh_size, len(signatures)):
                lean = self._signer.lean_minhash(signatures[position])
                session.insert(position, lean, check_duplication=False)
        self._lsh_size = len(signatures)
        hashes = self._hasher(text)
        probe = self._signer.lean_minhash(self._signer.signatures([hashes])[0])
        found = []
        for position in self._lsh.query(probe):
            similarity = hashed_jaccard(hashes, self._hash_sets[position])
            if similarity >= self.threshold:
                found.append((self._keys[position], similarity))
        return sorted(found, key=lambda item: -item[1])

    # -- every pair --

    def candidate_pairs(self) -> np.ndarray:
        """Distinct (i, j) positions, i < j, that agree on at least one band."""
        signatures = self._signatures()
        count = len(signatures)
        codes = [
            _band_candidates(signatures[:, b * self.rows : (b + 1) * self.rows].copy(), count)
            for b in range(self.bands)
        ]
        if count < 2:
            return np.empty((0, 2), dtype=np.int64)
        unique = np.unique(np.concatenate(codes))
        return np.stack(np.divmod(unique, count), axis=1)

    def pairs(self) -> list[NearDuplicatePair]:
        """Every pair at or above the threshold, most similar first."""
        candidates = self.candidate_pairs()
        signatures = self._signatures()
        estimates = np.empty(len(candidates))
        for start in range(0, len(candidates), 50_000):  # bounds the temporary matrix
            chunk = candidates[start : start + 50_000]
            agree = signatures[chunk[:, 0]] == signatures[chunk[:, 1]]
            estimates[start : start + 50_000] = agree.mean(axis=1)
        plausible = candidates[estimates >= self.threshold - self.estimate_margin]
        result = []
        for i, j in plausible.tolist():
            similarity = hashed_jaccard(self._hash_sets[i], self._hash_sets[j])
            if similarity >= self.threshold:
                result.append(NearDuplicatePair(self._keys[i], self._keys[j], similarity))
        result.sort(key=lambda pair: -pair.similarity)
        return result


@dataclass(frozen=True)
class Fingerprint:
    """What is stored of a text to compare it later without reading it again: its
    sorted, distinct shingle hashes (for the exact share) and its MinHash signature
    (for LSH)."""

    hashes: np.ndarray  # uint32
    signature: np.ndarray  # uint32, NUM_PERM values

    def to_bytes(self) -> tuple[bytes, bytes]:
        return self.hashes.astype("<u4").tobytes(), self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, hashes: bytes, signature: bytes) -> Fingerprint:
        return cls(np.frombuffer(hashes, dtype="<u4"), np.frombuffer(signature, dtype="<u4"))

    def similarity(self, other: Fingerprint) -> float:
        return hashed_jaccard(self.hashes, other.hashes)


NUM_PERM = 128


@cache
def _fingerprinters() -> tuple[ShingleHasher, SignatureMaker]:
    return ShingleHasher(), SignatureMaker(NUM_PERM)


def fingerprint(text: str) -> Fingerprint:
    hasher, signer = _fingerprinters()
    hashes = hasher(text)
    return Fingerprint(hashes, signer.signatures([hashes])[0])


def find_near_duplicates(
    docs: Mapping[Hashable, str], threshold: float = NEAR_DUPLICATE_THRESHOLD, **index_options: Any
) -> list[NearDuplicatePair]:
    """Near-duplicate pairs among ``docs`` (key -> effective text), most similar first."""
    index = NearDuplicateIndex(threshold, **index_options)
    index.add_many(docs.items())
    return index.pairs()
