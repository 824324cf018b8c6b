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
- any other hunk is a **conflict**: the clinic reworded, split, joined or dropped a
  sentence the library changed. Conflicts are never guessed at: the merge reports them
  and leaves ``mine`` as it is for the editor to decide.

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


@dataclass
class MergeResult:
    text: str  # the merged text (``mine`` as it was where there are conflicts)
    applied: int = 0  # library hunks merged into the clinic's text
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


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
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        touched = [i for i in range(i1, i2) if b[i].sentence]
        new = t[j1:j2]
        if any(not u.sentence for u in b[i1:i2]) or any(not u.sentence for u in new):
            result.conflicts.append(_conflict(b[i1:i2], new, m, found, i1, i2))
            continue  # block structure changed (a paragraph added or removed)
        if touched:
            spots = [found.get(i) for i in touched]
            if (
                None in spots
                or spots != list(range(spots[0], spots[0] + len(spots)))
                or any(s in replace or s in insert_before for s in spots)
            ):
                result.conflicts.append(_conflict(b[i1:i2], new, m, found, i1, i2))
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
            result.conflicts.append(_conflict(b[i1:i2], new, m, found, i1, i2))
            continue
        if anchor in insert_before:
            result.conflicts.append(_conflict(b[i1:i2], new, m, found, i1, i2))
            continue
        ends_block = anchor >= len(m) or not m[anchor].sentence
        texts[-1] = texts[-1].rstrip() + ("" if ends_block else " ")
        insert_before[anchor] = texts
        result.applied += 1
    if result.conflicts:
        result.text = mine
        return result
    pieces = []
    for index, unit in enumerate(m):
        pieces.extend(insert_before.get(index, []))
        pieces.extend(replace.get(index, [unit.text]))
    pieces.extend(insert_before.get(len(m), []))
    # A sentence deleted at the end of a paragraph leaves the space before it behind.
    result.text = TRAILING_SPACE.sub(r"\1", "".join(pieces))
    return result


def _conflict(old, new, mine, found, i1, i2) -> Conflict:
    spots = sorted(found[i] for i in range(i1, i2) if i in found)
    around = "".join(mine[i].text for i in spots) if spots else _plain(mine)
    return Conflict(
        base="".join(u.text for u in old).strip(),
        theirs="".join(u.text for u in new).strip(),
        mine=around.strip(),
    )


def _plain(mine: list[Unit]) -> str:
    return "".join(unit.text for unit in mine if unit.sentence)
