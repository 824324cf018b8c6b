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


# --- clauses, negation, hedging ---------------------------------------------------------
#
# A claim pattern is judged inside its clause: "While no single treatment works for
# everyone, ketamine rapidly reduces symptoms" has two clauses, and the negation of the
# first does not reach the second. Sentences reach these functions with their quotes
# straightened.

# Breaks inside a sentence: semicolons, colons, dashes, and before a contrasting
# conjunction, a comma followed by "and", "so", "which" or "who", or "and"/"so" with a
# new subject ("ketamine is not expensive and it cures ...").
_CLAUSE_BREAK_RE = re.compile(
    r"\s*[;:]\s+|\s+[\u2014\u2013-]+\s+|\u2014"
    r"|,?\s+(?=(?:but|yet|although|though|whereas|however|while|whilst|unless|except)\b)"
    r"|,\s+(?=(?:and|so|which|who)\b)"
    r"|\s+(?=(?:and|so)\s+(?:it|they|we|you|he|she|i|this|these|ketamine|patients|our|your)\b)",
    re.IGNORECASE,
)
# A sentence opening with a subordinate clause ("Unlike opioids, ...", "While no
# treatment works for everyone, ...") breaks at its first comma.
_SUBORDINATE_OPENING_RE = re.compile(
    r"(?:although|though|even\s+though|while|whilst|whereas|if|when|unless|because|since"
    r"|unlike|after|before|despite|for\s+some|in\s+some)\b[^,]*,\s*",
    re.IGNORECASE,
)

_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)*")

# Negation cues. Verbal ones ("not", "never", "doesn't") negate what follows up to the
# next finite verb; determiners ("no", "none", "nobody") negate their noun phrase and
# its verb, so their scope runs past one finite verb.
_VERBAL_NEGATIONS = frozenset({"not", "never", "cannot"})
_DETERMINER_NEGATIONS = frozenset({"no", "none", "nobody", "nothing", "neither", "nor", "without"})
# "not only", "no matter", "nothing short of"...: not negations.
_NOT_NEGATIONS = frozenset(
    {
        ("not", "only"),
        ("not", "just"),
        ("no", "doubt"),
        ("no", "wonder"),
        ("no", "matter"),
        ("no", "longer"),
        ("no", "more"),
        ("nothing", "short"),
        ("nothing", "but"),
    }
)
# "It is wrong to say ...", "It is a myth that ...": the rest of the clause is denied.
_DENIALS = frozenset({"wrong", "false", "untrue", "myth", "misleading", "incorrect"})
# Words after a cue that make it a statement about a claim ("we do not claim that ...",
# "there is no evidence that ..."): the negation then covers the rest of the clause.
_META_WORDS = frozenset(
    {
        "claim",
        "claims",
        "claimed",
        "say",
        "says",
        "said",
        "suggest",
        "suggests",
        "promise",
        "promises",
        "promised",
        "guarantee",
        "guarantees",
        "guaranteed",
        "evidence",
        "proof",
        "true",
        "known",
        "clear",
        "mean",
        "means",
        "imply",
        "believe",
        "think",
        "tell",
        "tells",
        "told",
        "describe",
        "describes",
        "described",
        "call",
        "calls",
        "called",
        "recommend",
        "recommended",
        "expect",
        "shown",
        "proven",
        "demonstrated",
    }
)
_FINITE_VERBS = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "am",
        "will",
        "would",
        "can",
        "could",
        "shall",
        "should",
        "may",
        "might",
        "must",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
    }
)
# A new clause inside the scope: the negation stays behind ("patients who did not
# respond to antidepressants find that ...").
_SCOPE_ENDS = frozenset({"that", "which", "who", "because", "so", "when", "if", "then"})
_NEGATION_REACH = 6  # words between a cue and the claim, at most

_HEDGE_RE = re.compile(
    r"\b(?:may|might|could|possibly|potentially|perhaps|probably)\b"
    r"|\b(?:appears?|seems?)\s+to\b"
    r"|\bsome\s+(?:\w+\s+)?(?:people|patients|individuals|adults|participants|clients|cases)\b"
    r"|\b(?:for|in)\s+some\b"
    r"|\bnot\s+(?:everyone|everybody|all)\b"
    r"|\b(?:results|responses|effects|benefits|outcomes)\s+(?:can\s+|may\s+|will\s+)?vary\b"
    r"|\bvar(?:y|ies)\s+(?:from|between|by)\b|\bdifferent(?:ly)?\b"
    r"|\bpreliminary\b"
    r"|\b(?:early|limited)\s+(?:research|evidence|results|findings|studies|data)\b"
    r"|\b(?:is|are)\s+(?:still\s+)?being\s+studied\b"
    r"|\bunder\s+(?:study|investigation)\b",
    re.IGNORECASE,
)
_QUESTION_OPENERS = frozenset(_FINITE_VERBS)


def clause_spans(sentence: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of ``sentence``, in order, covering all of it."""
    starts = [0]
    opening = _SUBORDINATE_OPENING_RE.match(sentence)
    if opening:
        starts.append(opening.end())
    starts.extend(m.end() for m in _CLAUSE_BREAK_RE.finditer(sentence) if m.end() > starts[-1])
    starts = sorted(set(starts))
    return [(start, end) for start, end in zip(starts, [*starts[1:], len(sentence)], strict=True)]


def clause_at(sentence: str, position: int) -> tuple[int, int]:
    """The span of the clause of ``sentence`` that contains ``position``."""
    for start, end in clause_spans(sentence):
        if start <= position < end:
            return start, end
    return 0, len(sentence)


def _is_cue(word: str, following: str) -> str | None:
    """The kind of negation cue ``word`` is (verbal, determiner, denial), or None."""
    if (word, following) in _NOT_NEGATIONS or (
        word.endswith("n't") and following in {"only", "just"}
    ):
        return None
    if word in _VERBAL_NEGATIONS or word.endswith("n't"):
        return "verbal"
    if word in _DETERMINER_NEGATIONS:
        return "determiner"
    if word in _DENIALS and following in {"to", "that"}:
        return "denial"
    return None


def is_negated(clause: str, position: int) -> bool:
    """Whether the words of ``clause`` from ``position`` on are inside a negation.

    "Ketamine is not a cure", "there is no evidence that ketamine prevents PTSD",
    "no single treatment works for everyone": negated. "Patients who did not respond
    to antidepressants are cured": not negated (the cue belongs to another verb).
    """
    words = [w.lower() for w in _WORD_RE.findall(clause[:position])]
    for index, word in enumerate(words):
        kind = _is_cue(word, words[index + 1] if index + 1 < len(words) else "")
        if kind is None:
            continue
        if kind == "denial":
            return True
        between = words[index + 1 :]
        verbs_allowed = 1 if kind == "determiner" else 0
        covered = len(between) <= _NEGATION_REACH
        for later in between:
            if later in _META_WORDS:
                covered = True
                break
            if later in _SCOPE_ENDS:
                covered = False
                break
            if later in _FINITE_VERBS:
                verbs_allowed -= 1
                if verbs_allowed < 0:
                    covered = False
                    break
        if covered:
            return True
    return False


def is_hedged(clause: str) -> bool:
    """Whether ``clause`` is hedged: "may", "might", "some patients", "results vary"..."""
    return bool(_HEDGE_RE.search(clause))


def is_question(sentence: str) -> bool:
    """A yes/no question ("Can ketamine cure PTSD?") asserts nothing. A negative one
    ("Isn't it time you were free of depression forever?") does: see
    ``is_rhetorical_question``."""
    words = _WORD_RE.findall(sentence)
    return sentence.rstrip().endswith("?") and bool(words) and words[0].lower() in _QUESTION_OPENERS


def is_rhetorical_question(sentence: str) -> bool:
    """A question opening with a negation ("Isn't it time ...?", "Why not ...?") asserts
    what it negates: its negation does not take a claim back."""
    words = [w.lower() for w in _WORD_RE.findall(sentence[:40])]
    return (
        sentence.rstrip().endswith("?")
        and bool(words)
        and (words[0].endswith("n't") or words[:2] == ["why", "not"])
    )


# --- citations ----------------------------------------------------------------------------

_YEAR = r"(?:19|20)\d\d[a-z]?"
_NAME = r"[A-Z][\w'\u2019-]+"
_CITATION_RES = (
    # (Smith 2021), (Smith, 2021), (Smith et al., 2021), (Smith & Lee, 2020; Patel 2019)
    re.compile(
        rf"\({_NAME}(?:\s+(?:et\s+al\.?|and\s+{_NAME}|&\s+{_NAME}))?,?\s+{_YEAR}(?:\s*;[^)]*)?\)"
    ),
    # (NICE, 2018), (JAMA Psychiatry, 2021)
    re.compile(rf"\((?:[A-Z][\w&.-]*\s*){{1,5}},\s*{_YEAR}\)"),
    # [3], [2, 3], [1-4]
    re.compile(r"\[\d+(?:\s*[,\u2013-]\s*\d+)*\]"),
    # Smith et al. (2021), Berman and colleagues (2000)
    re.compile(
        rf"\b{_NAME}\s+(?:et\s+al\.?|and\s+colleagues)(?:\s*\(?{_YEAR}\)?|\s+\w+\s+in\s+{_YEAR})?"
    ),
    # DOI, PubMed id, link
    re.compile(r"\b(?:doi:\s*|doi\.org/)10\.\d{4,9}/\S+", re.IGNORECASE),
    re.compile(r"\bPMID:?\s*\d{5,9}\b"),
    re.compile(r"https?://\S+"),
    # "... published in the American Journal of Psychiatry", "a 2016 study in JAMA Psychiatry"
    re.compile(r"\b(?i:published|reported|appeared)\s+in\s+(?:the\s+)?(?!(?i:a|an)\b)[A-Z][\w&-]*"),
    re.compile(
        rf"\b(?i:a|an|one|the)\s+{_YEAR}\s+(?:[\w-]+\s+){{0,3}}?"
        r"(?i:study|trial|review|meta-analysis|analysis)\s+(?i:in|by)\s+(?:the\s+)?[A-Z]"
    ),
)


def find_citations(text: str) -> list[str]:
    """The references cited in ``text``: an author and year in brackets, a numbered
    reference, "et al.", a DOI, a PubMed id, a link, or a named journal ("a 2020
    randomized trial published in the Lancet Psychiatry")."""
    text = straighten_quotes(text)
    return [match.group(0) for pattern in _CITATION_RES for match in pattern.finditer(text)]


def has_citation(text: str) -> bool:
    return bool(find_citations(text))
