"""Splitting plain text into blocks and sentences.

A block is a paragraph or heading: one non-empty line of a plain-text file, or
one string of a list already split by the caller (e.g. StreamField blocks).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

# Words whose trailing full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    {
        "dr",
        "mr",
        "mrs",
        "ms",
        "prof",
        "st",
        "vs",
        "etc",
        "al",
        "fig",
        "no",
        "approx",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "inc",
        "ltd",
        "jr",
        "sr",
    }
)

# A candidate boundary: terminal punctuation, optional closing quote/bracket, whitespace,
# then something that can start a sentence.
_BOUNDARY_RE = re.compile(r"""[.!?]+["')\]\u201d\u2019]*\s+(?=["'(\[\u201c\u2018]?[A-Z0-9])""")


def straighten_quotes(text: str) -> str:
    """Curly quotes and apostrophes as ASCII, so patterns need only one spelling."""
    return text.translate(_QUOTES)


def split_blocks(text_or_blocks: str | Iterable[str]) -> list[str]:
    """Non-empty, stripped blocks; a string is split on line breaks."""
    if isinstance(text_or_blocks, str):
        candidates: Iterable[str] = text_or_blocks.splitlines()
    else:
        candidates = text_or_blocks
    return [block.strip() for block in candidates if block and block.strip()]


def split_sentences(block: str) -> list[str]:
    """Sentences of one block, keeping their punctuation."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY_RE.finditer(block):
        preceding = block[start : match.start() + 1].split()
        last_word = preceding[-1].rstrip(".").lower() if preceding else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue  # "Dr. Smith", "e.g. war", initials
        sentences.append(block[start : match.end()].strip())
        start = match.end()
    tail = block[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def sentence_words(sentence: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*", sentence)
