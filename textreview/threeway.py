"""Three-way merge of a library correction into a clinic's reworded paragraph.

The library's block changed from ``base`` (the text the clinic wrote against) to
``theirs``; the clinic's block reads ``mine``. Version control merges text this way
line by line; here the unit is the sentence, because clinics reword sentence by
sentence:

- each sentence of ``base`` is found in ``mine`` when the clinic kept it word for word
  (same words, same markup; only the surrounding whitespace may differ) and it occurs
  there exactly once;
- the library's change is a list of hunks (``difflib`` over the sentences): a run of
  base sentences replaced, deleted, or new sentences inserted;
- a hunk applies cleanly when every base sentence it touches is found in ``mine``, in
  order and next to each other: they are replaced by the library's new sentences where
  the clinic has them. An insertion applies after the base sentence before it, or
  before the one after it, when the clinic kept that neighbour;
- a hunk that replaces one sentence by one sentence, where the clinic reworded that
  sentence, is merged **word by word** when it is unambiguous: the clinic's sentence is
  the one sentence between the clinic's copies of its neighbours (or the paragraph's
  edge), it keeps at least half of the library's old words, and the library's edits
  and the clinic's edits touch word ranges with at least one unchanged word between
  them (``merge_words``);
- any other hunk is a **conflict**: the clinic reworded, split, joined or dropped a
  sentence the library changed. Conflicts are never guessed at: the merge reports them
  and leaves ``mine`` as it is for the editor to decide. Where the clinic's text in
  place of the library's sentences can be told (between its copies of their
  neighbours), the conflict names that span, and ``MergeResult.resolve`` builds the
  text from the editor's choice for each conflict, with the clean hunks applied.

Sentences are split only outside inline markup (a link, emphasis) and paragraph
elements stay where they are, so a merge produces only markup that was already in one of
the three texts. Tokens such as ``{clinic}`` are text like any other.

No Django here: the text engine is used by the pipeline and by ``make bench``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

TAG = re.compile(r"<[^>]*>")
# Elements that hold sentences; everything else is inline markup inside a sentence.
BLOCK_TAGS = re.compile(r"^</?(p|h[1-6]|li|ul|ol|blockquote|br)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(\s+)")
TRAILING_SPACE = re.compile(r"[ \t]+(</(?:p|h[1-6]|li|blockquote)>)", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """One sentence (with the whitespace after it) or one block tag."""

    text: str
    sentence: bool

    @property
    def key(self) -> str:
        return self.text.strip()


def units(html: str) -> list[Unit]:
    """The text as sentences and block tags; joining every unit's text gives it back."""
    out: list[Unit] = []
    buffer = ""
    depth = 0

    def flush():
        nonlocal buffer
        if buffer:
            out.append(Unit(buffer, bool(buffer.strip())))
            buffer = ""

    position = 0
    for match in TAG.finditer(html):
        buffer, depth = _split_text(html[position : match.start()], buffer, depth, out)
        tag = match.group()
        if BLOCK_TAGS.match(tag):
            flush()
            out.append(Unit(tag, False))
        else:
            buffer += tag
            if not tag.endswith("/>"):
                depth += -1 if tag.startswith("</") else 1
        position = match.end()
    buffer, depth = _split_text(html[position:], buffer, depth, out)
    flush()
    return out


def _split_text(text: str, buffer: str, depth: int, out: list[Unit]) -> tuple[str, int]:
    """Add `text` to the sentence being read, ending sentences outside inline markup."""
    start = 0
    if depth == 0:
        for match in SENTENCE_END.finditer(text):
            out.append(Unit(buffer + text[start : match.end()], True))
            buffer, start = "", match.end()
    return buffer + text[start:], depth


@dataclass
class Conflict:
    """A library change the clinic's wording overlaps: the three versions of it."""

    base: str  # the library's sentences the clinic wrote against
    theirs: str  # the library's sentences now
    mine: str  # the clinic's text around them (its whole block when nothing is kept)
    # The clinic's units [start, end) that stand in place of the library's sentences
    # (``mine`` is their text), or None where that cannot be told.
    span: tuple[int, int] | None = None


@dataclass
class MergeResult:
    text: str  # the merged text (``mine`` as it was where there are conflicts)
    applied: int = 0  # library hunks merged into the clinic's text
    conflicts: list[Conflict] = field(default_factory=list)
    words: int = 0  # of the hunks applied, those merged word by word inside a sentence
    _mine: list[Unit] = field(default_factory=list, repr=False)
    _replace: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _insert: dict[int, list[str]] = field(default_factory=dict, repr=False)

    @property
    def clean(self) -> bool:
        return not self.conflicts

    @property
    def resolvable(self) -> bool:
        """Whether each conflict can be decided on its own (`resolve`)."""
        if not self.conflicts or not self._mine:
            return False
        spans = sorted(c.span for c in self.conflicts if c.span)
        if len(spans) != len(self.conflicts):
            return False
        taken = set(self._replace) | set(self._insert)
        for (start, end), after in zip(spans, [*spans[1:], None], strict=True):
            if start >= end or (after and end > after[0]):
                return False
            if any(i in taken for i in range(start, end)):
                return False
        return True

    def resolve(self, choices: list[str]) -> str:
        """The clinic's text with the clean hunks applied and each conflict's span
        replaced by the text chosen for it (``choices[k]`` for ``conflicts[k]``)."""
        if not self.resolvable or len(choices) != len(self.conflicts):
            raise ValueError("these conflicts cannot be decided one by one")
        replace = dict(self._replace)
        for conflict, choice in zip(self.conflicts, choices, strict=True):
            start, end = conflict.span
            last = self._mine[end - 1]
            trailing = last.text[len(last.text.rstrip()) :]
            replace[start] = [choice.strip() + trailing] if choice.strip() else []
            for index in range(start + 1, end):
                replace[index] = []
        return _assemble(self._mine, replace, self._insert)


def _locate(base: list[Unit], mine: list[Unit]) -> dict[int, int]:
    """{base index: mine index} for each base sentence found exactly once in mine."""
    counts: dict[str, list[int]] = {}
    for index, unit in enumerate(mine):
        if unit.sentence:
            counts.setdefault(unit.key, []).append(index)
    return {
        i: counts[unit.key][0]
        for i, unit in enumerate(base)
        if unit.sentence and len(counts.get(unit.key, [])) == 1
    }


def _keep_spacing(new: list[Unit], old_last: Unit) -> list[str]:
    """The new sentences' texts, the last one ending with the whitespace the clinic's
    last replaced sentence ended with (so the paragraph keeps its spacing)."""
    texts = [unit.text for unit in new]
    if texts and new[-1].sentence:
        trailing = old_last.text[len(old_last.text.rstrip()) :]
        texts[-1] = texts[-1].rstrip() + trailing
    return texts


def merge(base: str, theirs: str, mine: str) -> MergeResult:
    """Merge the library's change ``base`` → ``theirs`` into ``mine``."""
    if base == theirs:
        return MergeResult(mine)
    if base == mine:
        return MergeResult(theirs, applied=1)
    b, t, m = units(base), units(theirs), units(mine)
    found = _locate(b, m)
    matcher = difflib.SequenceMatcher(a=[u.key for u in b], b=[u.key for u in t], autojunk=False)
    # {mine index: texts replacing it} and {mine index: texts inserted before it}
    replace: dict[int, list[str]] = {}
    insert_before: dict[int, list[str]] = {}
    result = MergeResult(mine)
    for _op, i1, i2, j1, j2 in _hunks(matcher, b, found):
        touched = [i for i in range(i1, i2) if b[i].sentence]
        new = t[j1:j2]
        if any(not u.sentence for u in b[i1:i2]) or any(not u.sentence for u in new):
            result.conflicts.append(_conflict(b, new, m, found, i1, i2))
            continue  # block structure changed (a paragraph added or removed)
        if touched:
            spots = [found.get(i) for i in touched]
            if None in spots and len(touched) == 1 and len(new) == 1:
                spot = _counterpart(b, m, found, i1)
                merged = (
                    merge_words(b[i1].key, new[0].key, m[spot].key)
                    if spot is not None and spot not in replace and spot not in insert_before
                    else None
                )
                if merged is not None:
                    replace[spot] = _keep_spacing([Unit(merged, True)], m[spot])
                    result.applied += 1
                    result.words += 1
                    continue
            if (
                None in spots
                or spots != list(range(spots[0], spots[0] + len(spots)))
                or any(s in replace or s in insert_before for s in spots)
            ):
                result.conflicts.append(_conflict(b, new, m, found, i1, i2))
                continue
            replace[spots[0]] = _keep_spacing(new, m[spots[-1]]) if new else []
            for spot in spots[1:]:
                replace[spot] = []
            result.applied += 1
            continue
        # An insertion: after the base sentence before it, or before the one after it,
        # where the clinic kept that sentence.
        texts = [unit.text for unit in new]
        if i1 > 0 and (i1 - 1) in found:
            anchor = found[i1 - 1] + 1
            if not m[anchor - 1].text[len(m[anchor - 1].text.rstrip()) :]:
                texts[0] = " " + texts[0].lstrip()  # that sentence ended the paragraph
        elif i1 < len(b) and i1 in found:
            anchor = found[i1]
        else:
            result.conflicts.append(_conflict(b, new, m, found, i1, i2))
            continue
        if anchor in insert_before:
            result.conflicts.append(_conflict(b, new, m, found, i1, i2))
            continue
        ends_block = anchor >= len(m) or not m[anchor].sentence
        texts[-1] = texts[-1].rstrip() + ("" if ends_block else " ")
        insert_before[anchor] = texts
        result.applied += 1
    result._mine, result._replace, result._insert = m, replace, insert_before
    if result.conflicts:
        result.text = mine
        return result
    result.text = _assemble(m, replace, insert_before)
    return result


def _assemble(m: list[Unit], replace: dict, insert_before: dict) -> str:
    pieces = []
    for index, unit in enumerate(m):
        pieces.extend(insert_before.get(index, []))
        pieces.extend(replace.get(index, [unit.text]))
    pieces.extend(insert_before.get(len(m), []))
    # A sentence deleted at the end of a paragraph leaves the space before it behind.
    return TRAILING_SPACE.sub(r"\1", "".join(pieces))


def _hunks(matcher, b: list[Unit], found: dict[int, int]):
    """The library's changes; a replacement of as many sentences by as many, some of
    which the clinic reworded, is taken sentence by sentence (so that each can be merged
    word by word, or be a conflict of its own)."""
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if (
            op == "replace"
            and i2 - i1 == j2 - j1 > 1
            and all(b[i].sentence for i in range(i1, i2))
            and any(i not in found for i in range(i1, i2))
        ):
            for k in range(i2 - i1):
                yield op, i1 + k, i1 + k + 1, j1 + k, j1 + k + 1
        else:
            yield op, i1, i2, j1, j2


def _edges(b: list[Unit], m: list[Unit], found: dict[int, int], i1: int, i2: int):
    """The clinic's units [start, end) standing where the library's units [i1, i2) were:
    between its copies of the nearest base sentences before and after them (or the
    paragraph's first / last sentence where the library has none there), or None."""
    before = [i for i in range(i1) if b[i].sentence]
    after = [i for i in range(i2, len(b)) if b[i].sentence]
    sentences = [i for i, unit in enumerate(m) if unit.sentence]
    if not sentences:
        return None
    if before:
        if before[-1] not in found:
            return None
        start = found[before[-1]] + 1
    else:
        start = sentences[0]
    if after:
        if after[0] not in found:
            return None
        end = found[after[0]]
    else:
        end = sentences[-1] + 1
    if start > end or any(not m[i].sentence for i in range(start, end)):
        return None  # the span would cross a paragraph's edge
    return start, end


def _counterpart(b, m, found, i) -> int | None:
    """The clinic's one sentence standing where base sentence `i` was, or None."""
    edges = _edges(b, m, found, i, i + 1)
    if edges is None or edges[1] - edges[0] != 1:
        return None
    return edges[0]


def _conflict(b, new, mine, found, i1, i2) -> Conflict:
    span = _edges(b, mine, found, i1, i2)
    if span is not None and span[0] == span[1]:
        span = None  # the clinic dropped them: nothing of its own stands there
    if span is not None:
        around = "".join(mine[i].text for i in range(*span))
    else:
        spots = sorted(found[i] for i in range(i1, i2) if i in found)
        around = "".join(mine[i].text for i in spots) if spots else _plain(mine)
    return Conflict(
        base="".join(u.text for u in b[i1:i2]).strip(),
        theirs="".join(u.text for u in new).strip(),
        mine=around.strip(),
        span=span,
    )


# A word or a tag with the whitespace after it (or the whitespace a sentence starts with).
TOKEN = re.compile(r"^\s+|<[^>]*>\s*|[^\s<]+\s*")
MIN_KEPT = 0.5  # the share of the library's old words the clinic's sentence must keep


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def merge_words(base: str, theirs: str, mine: str) -> str | None:
    """One sentence both sides changed, merged word by word, or None (a conflict) unless
    that is unambiguous: the clinic kept at least half of the old words, and every edit
    of the library's is separated from every edit of the clinic's by an unchanged word.
    The result's markup must be balanced and made only of tags the three texts have."""
    b, t, m = tokens(base), tokens(theirs), tokens(mine)
    key = str.strip
    kb = [key(x) for x in b]
    their_matcher = difflib.SequenceMatcher(a=kb, b=[key(x) for x in t], autojunk=False)
    my_matcher = difflib.SequenceMatcher(a=kb, b=[key(x) for x in m], autojunk=False)
    theirs_edits = [o for o in their_matcher.get_opcodes() if o[0] != "equal"]
    mine_ops = my_matcher.get_opcodes()
    mine_edits = [o for o in mine_ops if o[0] != "equal"]
    kept = sum(i2 - i1 for op, i1, i2, _, _ in mine_ops if op == "equal")
    if not b or kept / len(b) < MIN_KEPT or not theirs_edits or not mine_edits:
        return None
    for _, a1, a2, _, _ in theirs_edits:
        for _, c1, c2, _, _ in mine_edits:
            first, second = ((a1, a2), (c1, c2)) if (a1, a2) <= (c1, c2) else ((c1, c2), (a1, a2))
            gap = kb[first[1] : second[0]]
            if not any(word and not word.startswith("<") for word in gap):
                return None
    starts = {a1: (a2, j1, j2) for _, a1, a2, j1, j2 in theirs_edits}
    out: list[str] = []
    for op, i1, i2, j1, j2 in mine_ops:
        if op != "equal":
            out.extend(m[j1:j2])
            continue
        k = i1
        while k < i2:
            if k in starts:
                a2, t1, t2 = starts.pop(k)
                out.extend(t[t1:t2])
                if a2 > k:
                    k = a2
                    continue
            out.append(m[j1 + k - i1])
            k += 1
    for a2, t1, t2 in starts.values():  # an addition at the sentence's end
        if a2 == len(b):
            out.extend(t[t1:t2])
        else:
            return None
    merged = "".join(out)
    if merged.rstrip() != merged and not mine.endswith(merged[len(merged.rstrip()) :]):
        merged = merged.rstrip()
    allowed = set(TAG.findall(base + theirs + mine))
    if not set(TAG.findall(merged)) <= allowed or not balanced(merged):
        return None
    return merged


def balanced(html: str) -> bool:
    stack = []
    for tag in TAG.findall(html):
        if tag.endswith("/>"):
            continue
        name = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
        if name is None:
            return False
        if tag.startswith("</"):
            if not stack or stack.pop() != name.group(1).lower():
                return False
        else:
            stack.append(name.group(1).lower())
    return not stack


def _plain(mine: list[Unit]) -> str:
    return "".join(unit.text for unit in mine if unit.sentence)
