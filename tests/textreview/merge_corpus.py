"""A generated corpus for the three-way merge (textreview.threeway): each case is a
library paragraph (base), the library's correction of it (theirs), a clinic's wording
(mine), and the expected outcome, built from the case's construction, never from the
engine: the merged text, or None where the right answer is a conflict for the editor.

Kinds: a correction to a sentence the clinic kept (clean), to one it reworded, split,
joined or dropped (conflicts), corrections after the clinic reordered its kept sentences,
token and link edits, sentences the library adds or deletes, and no change at all.
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
            out.append(Case("reworded", paragraph(base), theirs, paragraph(mine), None))
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
    return out
