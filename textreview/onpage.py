"""On-page SEO analysis of one page (a clinic's copy of an article).

Pixel widths: search results show titles in ~20 px Arial and descriptions in
~14 px Arial and cut them at about 580 px and 920 px (desktop). We estimate a
string's width from Arial's (= Helvetica's) standard advance widths in
thousandths of an em (``_ARIAL_WIDTHS``); characters not in the table count as
the width of a lower-case letter (556). The estimate is within a few per cent
of a browser's for Latin text, which is enough to warn before truncation.

Readability: Flesch reading ease = 206.835 − 1.015 × words/sentence − 84.6 ×
syllables/word, with syllables counted by a vowel-group heuristic (English).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from textreview.findings import Finding, Severity, sort_findings
from textreview.similarity import words as normalised_words
from textreview.text import split_sentences, straighten_quotes

TITLE_MAX_PX = 580
DESCRIPTION_MAX_PX = 920
TITLE_FONT_PX = 20
DESCRIPTION_FONT_PX = 14
TITLE_MIN_CHARS = 30
DESCRIPTION_MIN_CHARS = 120
LONG_SENTENCE_WORDS = 20  # average words per sentence above which we warn
HARD_READING_EASE = 30.0  # Flesch score below this is "very difficult" (graduate level)
FAIRLY_HARD_READING_EASE = 50.0

_DEFAULT_WIDTH = 556
_ARIAL_WIDTHS: dict[str, int] = {
    **dict.fromkeys("abdeghnopqu0123456789$?#_", 556),
    **dict.fromkeys("cksvxyzJ", 500),
    **dict.fromkeys("ft", 278),
    **dict.fromkeys("ijl", 222),
    "m": 833,
    "r": 333,
    "w": 722,
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRU", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("FTZ", 611),
    "I": 278,
    "L": 556,
    "M": 833,
    "W": 944,
    " ": 278,
    ".": 278,
    ",": 278,
    ":": 278,
    ";": 278,
    "!": 278,
    "/": 278,
    "'": 191,
    '"': 355,
    "-": 333,
    "(": 333,
    ")": 333,
    "|": 260,
    "%": 889,
    "@": 1015,
    "\u2013": 556,
    "\u2014": 1000,
    "\u2019": 222,
    "\u2018": 222,
}


def text_width_px(text: str, font_px: int) -> float:
    """Approximate rendered width of ``text`` in Arial at ``font_px``."""
    return sum(_ARIAL_WIDTHS.get(char, _DEFAULT_WIDTH) for char in text) * font_px / 1000


# --- readability ----------------------------------------------------------------------

_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Vowel groups, minus a silent final 'e'; at least one per word."""
    word = word.lower().strip("'")
    if not word:
        return 0
    groups = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    return max(1, groups)


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    average_sentence_words: float
    flesch_reading_ease: float


def readability(paragraphs: Iterable[str]) -> Readability:
    sentences = [s for p in paragraphs for s in split_sentences(p)]
    tokens = [
        w for s in sentences for w in re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", straighten_quotes(s))
    ]
    if not sentences or not tokens:
        return Readability(len(sentences), len(tokens), 0.0, 0.0)
    per_sentence = len(tokens) / len(sentences)
    per_word = sum(count_syllables(t) for t in tokens) / len(tokens)
    ease = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    return Readability(len(sentences), len(tokens), round(per_sentence, 1), round(ease, 1))


# --- links ------------------------------------------------------------------------------


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href.strip())


def internal_link_count(html: str, site_host: str | None = None) -> int:
    """Links to the same site: relative URLs, or absolute ones on ``site_host``."""
    collector = _LinkCollector()
    collector.feed(html)
    count = 0
    for href in collector.hrefs:
        parts = urlsplit(href)
        if parts.scheme in {"mailto", "tel", "javascript"} or href.startswith("#"):
            continue
        if not parts.netloc or (site_host and parts.netloc.lower() == site_host.lower()):
            count += 1
    return count


# --- the page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One body block: ``level`` 2..6 for a heading, 0 for a paragraph."""

    text: str
    level: int = 0

    @property
    def is_heading(self) -> bool:
        return self.level > 0


@dataclass(frozen=True)
class Page:
    title: str
    h1: str
    slug: str
    meta_description: str
    blocks: Sequence[Block]
    keyphrase: str
    city: str | None = None
    html: str | None = None  # rendered body, for counting internal links
    site_host: str | None = None


# --- keyphrases -------------------------------------------------------------------------
#
# A keyphrase is found when its content words stand together in the text, in any order
# and any simple inflection: "causes of PTSD" is in "What Causes PTSD?" and in "PTSD
# causes and treatments". Stop words ("of", "the", "what") are skipped; punctuation
# that ends a phrase (. , ; : ! ? | brackets, a spaced dash) and "and"/"or" separate
# words, so "ketamine and therapy" does not contain "ketamine therapy" (unless the
# keyphrase itself has an "and": "anxiety and depression").

_STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        """a an the of for in on at to with by from about into over after before under
        is are was were be been being am do does did has have had can could should would
        will may might must what which who whom whose how why when where this that these
        those it its your you my our we i me us their they them his her he she as vs than
        then there here so very just also""",
    )
)
_PHRASE_BREAKERS = frozenset({"and", "or", "but", "nor", "&"})
_SEGMENT_BREAK_RE = re.compile(r"[.,;:!?|()\[\]{}\u2014\u2013]|\s-\s")


def stem(word: str) -> str:
    """A light English stem, enough to match plural and singular and -ed/-ing forms:
    "causes", "cause", "caused", "causing" -> "caus"; "therapies", "therapy" -> "therapi"."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    if len(word) <= 3:
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "stopped" -> "stop"
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    if word.endswith("y"):
        word = word[:-1] + "i"
    return word


def _content_stems(words: list[str], keep: frozenset[str] = frozenset()) -> list[str]:
    return [stem(w) for w in words if w not in _STOP_WORDS or w in keep]


def _segments(text: str, breakers: frozenset[str]) -> list[list[str]]:
    """Runs of words between phrase boundaries."""
    segments: list[list[str]] = []
    for part in _SEGMENT_BREAK_RE.split(straighten_quotes(text)):
        current: list[str] = []
        for word in normalised_words(part):
            if word in breakers:
                segments.append(current)
                current = []
            elif word not in _PHRASE_BREAKERS:  # the phrase's own "and" is skipped
                current.append(word)
        segments.append(current)
    return [segment for segment in segments if segment]


def contains_phrase(haystack: str, phrase: str) -> bool:
    """Whether ``phrase`` occurs in ``haystack``: its content words next to each other,
    in any order, compared by stem; case, punctuation, quote style and stop words do
    not matter. A phrase of stop words only ("what is") is matched on those words."""
    phrase_words = normalised_words(phrase)
    if not phrase_words:
        return True
    keep = frozenset() if any(w not in _STOP_WORDS for w in phrase_words) else _STOP_WORDS
    needle = sorted(_content_stems([w for w in phrase_words if w not in _PHRASE_BREAKERS], keep))
    # A phrase with "and" in it ("anxiety and depression") keeps "and" from breaking.
    breakers = _PHRASE_BREAKERS - set(phrase_words)
    width = len(needle)
    for segment in _segments(haystack, breakers):
        stems = _content_stems(segment, keep)
        if any(sorted(stems[i : i + width]) == needle for i in range(len(stems) - width + 1)):
            return True
    return False


def _slug_contains(slug: str, phrase: str) -> bool:
    return contains_phrase(slug.replace("-", " ").replace("_", " "), phrase)


def _finding(
    rule: str, severity: Severity, subject: str, advice: str, block_index: int | None = None
) -> Finding:
    return Finding(f"seo.{rule}", severity, subject, advice, block_index)


def _keyphrase_findings(page: Page) -> list[Finding]:
    findings = []
    paragraphs = [b for b in page.blocks if not b.is_heading]
    first_paragraph = paragraphs[0].text if paragraphs else ""
    places = {
        "title": (page.title, contains_phrase),
        "h1": (page.h1, contains_phrase),
        "first-paragraph": (first_paragraph, contains_phrase),
        "slug": (page.slug, _slug_contains),
        "description": (page.meta_description, contains_phrase),
    }
    for place, (value, check) in places.items():
        if not check(value, page.keyphrase):
            findings.append(
                _finding(
                    f"keyphrase-missing-{place}",
                    Severity.WARNING,
                    value,
                    f'Use the focus keyphrase "{page.keyphrase}" in the {place.replace("-", " ")}.',
                )
            )
    if page.city:
        for place, value in (("title", page.title), ("description", page.meta_description)):
            if not contains_phrase(value, page.city):
                findings.append(
                    _finding(
                        f"city-missing-{place}",
                        Severity.INFO,
                        value,
                        f"Mention the clinic's city ({page.city}) in the {place} for local search.",
                    )
                )
    return findings


def _length_findings(page: Page) -> list[Finding]:
    findings = []
    title_px = text_width_px(page.title, TITLE_FONT_PX)
    if not page.title.strip():
        findings.append(_finding("title-missing", Severity.ERROR, "", "Write an SEO title."))
    elif title_px > TITLE_MAX_PX:
        findings.append(
            _finding(
                "title-too-long",
                Severity.WARNING,
                page.title,
                f"Title is {len(page.title)} characters, ~{title_px:.0f} px; search results cut "
                f"titles at ~{TITLE_MAX_PX} px. Shorten it, keyphrase first.",
            )
        )
    elif len(page.title) < TITLE_MIN_CHARS:
        findings.append(
            _finding(
                "title-too-short",
                Severity.INFO,
                page.title,
                f"Title is {len(page.title)} characters; "
                f"{TITLE_MIN_CHARS}-60 uses the space better.",
            )
        )
    description_px = text_width_px(page.meta_description, DESCRIPTION_FONT_PX)
    if not page.meta_description.strip():
        findings.append(
            _finding(
                "description-missing",
                Severity.WARNING,
                "",
                "Write a meta description, or search engines will pick a snippet themselves.",
            )
        )
    elif description_px > DESCRIPTION_MAX_PX:
        findings.append(
            _finding(
                "description-too-long",
                Severity.WARNING,
                page.meta_description,
                f"Description is {len(page.meta_description)} characters, ~{description_px:.0f} px;"
                f" search results cut at ~{DESCRIPTION_MAX_PX} px.",
            )
        )
    elif len(page.meta_description) < DESCRIPTION_MIN_CHARS:
        findings.append(
            _finding(
                "description-too-short",
                Severity.INFO,
                page.meta_description,
                f"Description is {len(page.meta_description)} characters; aim for "
                f"{DESCRIPTION_MIN_CHARS}-155.",
            )
        )
    return findings


def _heading_findings(page: Page) -> list[Finding]:
    findings = []
    previous = 1  # the page's h1
    for index, block in enumerate(page.blocks):
        if not block.is_heading:
            continue
        if block.level == 1:
            findings.append(
                _finding(
                    "multiple-h1",
                    Severity.WARNING,
                    block.text,
                    "Use one h1 (the page title); make this heading an h2.",
                    index,
                )
            )
        elif block.level > previous + 1:
            findings.append(
                _finding(
                    "heading-skipped-level",
                    Severity.WARNING,
                    block.text,
                    f"h{block.level} follows h{previous}: use h{previous + 1} so the outline has "
                    "no gaps.",
                    index,
                )
            )
        previous = block.level
    body_words = sum(len(b.text.split()) for b in page.blocks if not b.is_heading)
    if body_words > 300 and not any(b.is_heading for b in page.blocks):
        findings.append(
            _finding(
                "no-subheadings",
                Severity.INFO,
                "",
                f"{body_words} words without a subheading: break the text up with h2 headings.",
            )
        )
    return findings


def _readability_findings(page: Page) -> list[Finding]:
    score = readability(b.text for b in page.blocks if not b.is_heading)
    if score.words == 0:
        return [_finding("empty-body", Severity.ERROR, "", "The page has no body text.")]
    findings = []
    summary = (
        f"{score.sentences} sentences, {score.average_sentence_words} words per sentence, "
        f"Flesch reading ease {score.flesch_reading_ease}"
    )
    if score.average_sentence_words > LONG_SENTENCE_WORDS:
        findings.append(
            _finding(
                "long-sentences",
                Severity.WARNING,
                summary,
                f"Average sentence is over {LONG_SENTENCE_WORDS} words: split long sentences.",
            )
        )
    if score.flesch_reading_ease < HARD_READING_EASE:
        findings.append(
            _finding(
                "hard-to-read",
                Severity.WARNING,
                summary,
                "Very difficult to read (Flesch < 30): use shorter sentences and plainer words.",
            )
        )
    elif score.flesch_reading_ease < FAIRLY_HARD_READING_EASE:
        findings.append(
            _finding(
                "fairly-hard-to-read",
                Severity.INFO,
                summary,
                "Difficult to read (Flesch 30-50); patients read easier text (60+) more readily.",
            )
        )
    return findings


def _link_findings(page: Page) -> list[Finding]:
    if page.html is None:
        return []
    if internal_link_count(page.html, page.site_host) == 0:
        return [
            _finding(
                "no-internal-links",
                Severity.WARNING,
                "",
                "Link to at least one related page on this clinic's site.",
            )
        ]
    return []


def analyse_page(page: Page) -> list[Finding]:
    """SEO findings for one page, worst first."""
    return sort_findings(
        [
            *_length_findings(page),
            *_keyphrase_findings(page),
            *_heading_findings(page),
            *_readability_findings(page),
            *_link_findings(page),
        ]
    )


def blocks_from_text(text: str) -> list[Block]:
    """Plain text as blocks: short lines without final punctuation count as h2 headings."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        looks_like_heading = len(line.split()) <= 8 and not line.endswith((".", "!", ":", ";"))
        blocks.append(Block(line, 2 if looks_like_heading else 0))
    return blocks
