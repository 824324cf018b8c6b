"""A generated corpus for the three-way merge (textreview.threeway): each case is a
library paragraph (base), the library's correction of it (theirs), a clinic's wording
(mine), and the expected outcome, built from the case's construction, never from the
engine: the merged text, or None where the right answer is a conflict for the editor.

Kinds: a correction to a sentence the clinic kept (clean), to one it reworded, split,
joined or dropped (conflicts), corrections after the clinic reordered its kept sentences,
token and link edits, sentences the library adds or deletes, and no change at all.

Word-level kinds: the clinic edited the first or the last words of a sentence and the
library changed one word of it: clean when at least one word neither side touched lies
between the two edits ("words-clean", the expected text built from both edits), else a
conflict ("words-overlap"); and hand-written cases with links, emphasis and tokens.
"""

from dataclasses import dataclass

SENTENCES = [
    "Trauma is the most significant risk factor for PTSD.",
    "Not everyone who lives through trauma develops the condition.",
    "Genetics may make some people more vulnerable than others.",
    "Changes in brain chemistry also play a part.",
    "Symptoms can start weeks or months after the event.",
    'The <a href="https://www.nimh.nih.gov/ptsd">NIMH</a> describes the common symptoms.',
    "Talk to the team at {clinic} in {city} about what you are going through.",
    "Support from family and friends can make recovery easier.",
    "Sleep problems are common in the first months.",
    "Call {phone} to book a first conversation.",
    "Ketamine therapy is one option that <em>some</em> patients discuss with a clinician.",
    "Every treatment plan starts with a careful assessment.",
]
REWORDED = [
    "At {clinic}, we see trauma as the biggest driver of PTSD.",
    "Many people who go through trauma never develop PTSD.",
    "Your genes can make you more likely to struggle after trauma.",
    "Brain chemistry matters too.",
    "Symptoms do not always appear straight away.",
    'The <a href="https://www.nimh.nih.gov/ptsd">NIMH</a> lists what to look out for.',
    "Our {city} team is here to listen.",
    "Loved ones can help a great deal.",
    "Many people sleep badly at first.",
    "Phone {phone} to talk to us.",
    "Some patients ask a clinician about <em>ketamine</em> therapy.",
    "We begin with an assessment.",
]
CORRECTED = [
    "Trauma is the strongest known risk factor for PTSD.",
    "Most people who live through trauma do not develop the condition.",
    "Genetics may make some people more vulnerable than others, research suggests.",
    "Changes in brain chemistry and stress hormones also play a part.",
    "Symptoms usually start within three months of the event, but can start later.",
    'The <a href="https://www.nimh.nih.gov/health/topics/ptsd">NIMH</a> describes the common '
    "symptoms.",
    "Talk to the team at {clinic} in {city} about what you are going through, in confidence.",
    "Support from family, friends and peers can make recovery easier.",
    "Sleep problems are common in the first months after trauma.",
    "Call {phone} or book online to start a first conversation.",
    "Ketamine therapy is one option that <em>some</em> patients discuss with a psychiatrist.",
    "Every treatment plan starts with a careful medical assessment.",
]
NEW = "A doctor can refer you to a specialist if you need one."
# Where the clinic's rewording of a sentence and the library's correction of it touch
# different words, the right result is both edits: the NIMH link's new address with the
# clinic's own words after it.
BOTH_EDITS = {
    5: 'The <a href="https://www.nimh.nih.gov/health/topics/ptsd">NIMH</a> lists what to '
    "look out for.",
}


def paragraph(sentences) -> str:
    return "<p>" + " ".join(sentences) + "</p>"


@dataclass
class Case:
    kind: str
    base: str
    theirs: str
    mine: str
    expected: str | None  # None: a conflict


def window(start: int, size: int = 4) -> list[int]:
    return [(start + i) % len(SENTENCES) for i in range(size)]


def cases() -> list[Case]:
    out = []
    for start in range(len(SENTENCES)):
        ids = window(start)
        base = [SENTENCES[i] for i in ids]
        for c in range(1, 4):  # the sentence the library corrects (not the first)
            corrected = list(base)
            corrected[c] = CORRECTED[ids[c]]
            theirs = paragraph(corrected)
            # The clinic reworded the first sentence and kept the corrected one.
            mine = [REWORDED[ids[0]], *base[1:]]
            expected = [REWORDED[ids[0]], *corrected[1:]]
            out.append(Case("kept", paragraph(base), theirs, paragraph(mine), paragraph(expected)))
            # The clinic reworded the corrected sentence itself.
            mine = list(base)
            mine[c] = REWORDED[ids[c]]
            expected = None
            if ids[c] in BOTH_EDITS:
                expected = paragraph([*base[:c], BOTH_EDITS[ids[c]], *base[c + 1 :]])
            out.append(Case("reworded", paragraph(base), theirs, paragraph(mine), expected))
        c = 2
        corrected = list(base)
        corrected[c] = CORRECTED[ids[c]]
        theirs = paragraph(corrected)
        # Reordered: the clinic moved its last sentence first, every sentence kept.
        order = [3, 0, 1, 2]
        mine = [base[i] for i in order]
        expected = [corrected[i] for i in order]
        out.append(Case("reordered", paragraph(base), theirs, paragraph(mine), paragraph(expected)))
        # Split: the clinic made two sentences of the corrected one.
        words = base[c].rstrip(".").split(" ")
        half = len(words) // 2
        split = [" ".join(words[:half]) + ".", " ".join(words[half:]).capitalize() + "."]
        mine = [*base[:c], *split, *base[c + 1 :]]
        out.append(Case("split", paragraph(base), theirs, paragraph(mine), None))
        # Joined: the clinic joined the corrected sentence with the next one.
        joined = base[c].rstrip(".") + ", and " + base[c + 1][0].lower() + base[c + 1][1:]
        mine = [*base[:c], joined]
        out.append(Case("joined", paragraph(base), theirs, paragraph(mine), None))
        # Dropped: the clinic removed the corrected sentence.
        mine = [s for i, s in enumerate(base) if i != c]
        out.append(Case("dropped", paragraph(base), theirs, paragraph(mine), None))
        # The library adds a sentence after one the clinic kept.
        added = [*base[: c + 1], NEW, *base[c + 1 :]]
        mine = [REWORDED[ids[0]], *base[1:]]
        expected = [REWORDED[ids[0]], *base[1 : c + 1], NEW, *base[c + 1 :]]
        out.append(
            Case("added", paragraph(base), paragraph(added), paragraph(mine), paragraph(expected))
        )
        # The library deletes a sentence the clinic kept, and one it reworded.
        deleted = [s for i, s in enumerate(base) if i != c]
        mine = [REWORDED[ids[0]], *base[1:]]
        expected = [REWORDED[ids[0]], *[s for i, s in enumerate(base) if i not in (0, c)]]
        out.append(
            Case(
                "deleted-kept",
                paragraph(base),
                paragraph(deleted),
                paragraph(mine),
                paragraph(expected),
            )
        )
        mine = list(base)
        mine[c] = REWORDED[ids[c]]
        out.append(
            Case("deleted-reworded", paragraph(base), paragraph(deleted), paragraph(mine), None)
        )
        # No change in the library: the clinic's text stays as it is.
        mine = [REWORDED[ids[0]], *base[1:]]
        out.append(
            Case("unchanged", paragraph(base), paragraph(base), paragraph(mine), paragraph(mine))
        )
    # Token and link edits to sentences a clinic kept (the correction is in a token or
    # a link's address).
    for i in (5, 6, 9, 10):
        ids = [i, (i + 1) % len(SENTENCES), (i + 2) % len(SENTENCES)]
        base = [SENTENCES[k] for k in ids]
        corrected = [CORRECTED[ids[0]], *base[1:]]
        mine = [*base[:1], REWORDED[ids[1]], base[2]]
        expected = [corrected[0], REWORDED[ids[1]], base[2]]
        out.append(
            Case(
                "token-or-link",
                paragraph(base),
                paragraph(corrected),
                paragraph(mine),
                paragraph(expected),
            )
        )
    out.extend(word_cases())
    return out


def clinic_edit(words: list[str], where: str) -> tuple[list[str], int, int]:
    """The clinic's edit of a sentence's words: (its words, the first and last word
    index of the library's sentence it touched)."""
    if where == "start":
        return ["Often,", words[0][0].lower() + words[0][1:], *words[1:]], 0, 0
    last = words[-1]
    return [*words[:-1], last[:-1] + ", we find" + last[-1]], len(words) - 1, len(words) - 1


def word_cases() -> list[Case]:
    """One sentence edited by both sides, between two sentences both kept."""
    out = []
    plain = [i for i, text in enumerate(SENTENCES) if "<" not in text]
    for n, i in enumerate(plain):
        before = SENTENCES[plain[n - 1]]
        after = SENTENCES[plain[(n + 1) % len(plain)]]
        words = SENTENCES[i].split(" ")
        positions = sorted({0, 1, 2, len(words) - 3, len(words) - 2, len(words) - 1})
        for where in ("start", "end"):
            mine_words, first, last = clinic_edit(words, where)
            for k in positions:
                if "{" in words[k] or words[k].upper() == words[k]:
                    continue  # a token, or a word upper case already, is no correction
                # The library corrects word k (an upper-case stand-in for a new word).
                theirs_words = list(words)
                theirs_words[k] = words[k].upper()
                gap = range(min(last, k) + 1, max(first, k))
                separated = k not in (first, last) and len(gap) >= 1
                expected = None
                if separated:
                    merged, _, _ = clinic_edit(theirs_words, where)
                    expected = paragraph([before, " ".join(merged), after])
                out.append(
                    Case(
                        "words-clean" if separated else "words-overlap",
                        paragraph([before, SENTENCES[i], after]),
                        paragraph([before, " ".join(theirs_words), after]),
                        paragraph([before, " ".join(mine_words), after]),
                        expected,
                    )
                )
    # Links, emphasis and tokens inside a sentence both sides changed.
    link = SENTENCES[5]
    new_link = link.replace("nimh.nih.gov/ptsd", "nimh.nih.gov/health/topics/ptsd")
    em = SENTENCES[10]
    token = SENTENCES[6]
    for base, theirs, mine, expected in [
        # The library moves the link; the clinic rewords the words after it.
        (
            link,
            new_link,
            link.replace("common symptoms", "usual signs"),
            new_link.replace("common symptoms", "usual signs"),
        ),
        # The clinic rewords the link's text next to the address the library changed.
        (link, new_link, link.replace(">NIMH<", ">the NIMH<"), None),
        # The clinic removes the emphasis; the library corrects the last word.
        (
            em,
            em.replace("clinician", "psychiatrist"),
            em.replace("<em>some</em>", "some"),
            em.replace("<em>some</em>", "some").replace("clinician", "psychiatrist"),
        ),
        # Both change the emphasised word.
        (
            em,
            em.replace("<em>some</em>", "<em>many</em>"),
            em.replace("<em>some</em>", "few"),
            None,
        ),
        # The library adds a token at the end; the clinic rewords the start.
        (
            token,
            token.replace("going through.", "going through, at {city}."),
            token.replace("Talk to", "Speak with"),
            token.replace("Talk to", "Speak with").replace(
                "going through.", "going through, at {city}."
            ),
        ),
        # Both change the words around the same token.
        (
            token,
            token.replace("in {city}", "near {city}"),
            token.replace("in {city}", "at {city}"),
            None,
        ),
    ]:
        out.append(
            Case(
                "words-markup",
                paragraph([SENTENCES[0], base, SENTENCES[1]]),
                paragraph([SENTENCES[0], theirs, SENTENCES[1]]),
                paragraph([SENTENCES[0], mine, SENTENCES[1]]),
                paragraph([SENTENCES[0], expected, SENTENCES[1]]) if expected else None,
            )
        )
    return out
