"""A generated network of clinic blogs with planted near-copies (no Django).

Each article is written once, then carried by one to five clinics, each reworded in its
own way: words swapped for synonyms (so five-word shingles mostly break, as between the
two seeds), sentences dropped or added, paragraphs reworded, missing or extra, headings
dropped, the clinic's own name, city and phone in the closing paragraph. Articles on the
same topic share their vocabulary, and some different articles share a title, so telling
them apart takes more than words in common. Words are made up from syllables (a seeded
generator), so the corpus is the same on every run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

SYLLABLES = [
    "ba", "ce", "di", "fo", "gu", "ha", "ke", "li", "mo", "nu", "pa", "re", "si", "to",
    "vu", "wa", "ze", "bro", "cla", "dre", "fli", "gro", "pla", "tri", "sto", "mar",
    "len", "tor", "vin", "sel", "dar", "pen", "rus", "tal", "mik", "sor",
]  # fmt: skip

FUNCTION_WORDS = ["the", "of", "and", "can", "is", "to", "with", "for", "in", "a"]
TEMPLATES = [
    "The {a} {n} of {n} can {v} the {n} and {n}.",
    "{N} is a {a} {n} that can {v} {n} in {a} {n}.",
    "Many {n} {v} {a} {n} with {n} and {a} {n}.",
    "For {a} {n}, the {n} can {v} {n} of {n}.",
    "{N} and {n} {v} the {a} {n} in {n}.",
]
TITLES = [
    "What Causes {N}?",
    "{N} and {N}",
    "How {N} Can Help",
    "Understanding {N}",
    "{A} {N} Explained",
]


@dataclass(frozen=True)
class Clinic:
    slug: str
    name: str
    city: str
    phone: str
    host: str


CLINICS = [
    Clinic("nova", "Nova Health Recovery", "Portland", "(503) 555-0140", "nova.example"),
    Clinic("threerivers", "Three Rivers Wellness", "Pittsburgh", "(412) 555-0175", "tr.example"),
    Clinic("lakeside", "Lakeside Mind Care", "Madison", "(608) 555-0111", "lakeside.example"),
    Clinic("summit", "Summit Ketamine Center", "Denver", "(303) 555-0199", "summit.example"),
    Clinic("harbor", "Harbor Light Clinic", "Baltimore", "(410) 555-0123", "harbor.example"),
]


@dataclass
class GeneratedPost:
    """One clinic's post: its blocks as (kind, text) and the article it is a copy of."""

    clinic: Clinic
    article: int
    post_id: int
    title: str
    slug: str
    blocks: list[tuple[str, str]]  # ("heading" | "paragraph" | "image", text or image name)
    topic: str
    date: str
    featured: str | None = None
    extra_html: str = ""  # unsafe HTML planted in the post (cleaned by the importer)

    @property
    def link(self) -> str:
        return f"https://{self.clinic.host}/{self.date[:4]}/{self.date[5:7]}/{self.slug}/"


@dataclass
class Network:
    posts: list[GeneratedPost] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)

    def by_clinic(self, slug: str) -> list[GeneratedPost]:
        return [p for p in self.posts if p.clinic.slug == slug]


class _Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.made: set[str] = set(FUNCTION_WORDS)

    def word(self, syllables: int | None = None) -> str:
        while True:
            count = syllables or self.rng.choice((2, 3, 3, 4))
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(count))
            if word not in self.made:
                self.made.add(word)
                return word

    def many(self, count: int) -> list[str]:
        return [self.word() for _ in range(count)]


def _sentence(rng, vocab) -> str:
    template = rng.choice(TEMPLATES)
    out = template
    for slot, pool in (("{N}", "n"), ("{n}", "n"), ("{a}", "a"), ("{v}", "v")):
        while slot in out:
            word = rng.choice(vocab[pool])
            out = out.replace(slot, word.capitalize() if slot == "{N}" else word, 1)
    return out


def _reword(rng, sentence: str, synonyms: dict[str, str], share: float) -> str:
    words = sentence.rstrip(".").split()
    out = []
    for n, word in enumerate(words):
        bare = word.lower()
        if bare in synonyms and rng.random() < share:
            new = synonyms[bare]
            out.append(new.capitalize() if n == 0 else new)
        else:
            out.append(word)
    return " ".join(out) + "."


def generate(articles: int = 120, *, seed: int = 7, clinics: list[Clinic] | None = None) -> Network:
    rng = random.Random(seed)
    clinics = clinics or CLINICS
    words = _Words(rng)
    topics = [f"{words.word(2)}" for _ in range(6)]
    # Each topic's vocabulary; every word has one synonym, used when a clinic rewords.
    vocab = {
        topic: {"n": words.many(150), "a": words.many(50), "v": words.many(50)} for topic in topics
    }
    synonyms = {}
    for pools in vocab.values():
        for pool in pools.values():
            for word in pool:
                synonyms[word] = words.word()
    network = Network(topics=topics)
    shared_images = {}
    for n in range(25):
        name = f"figure-{n}.png"
        network.images[name] = tiny_png(rng, n)
        shared_images[n] = name

    post_id = 100
    titles_used: list[str] = []
    for article in range(articles):
        topic = rng.choice(topics)
        v = vocab[topic]
        if titles_used and rng.random() < 0.08:
            title = rng.choice(titles_used)  # a different article with a title in use
        else:
            title = rng.choice(TITLES)
            for slot, pool in (("{N}", "n"), ("{A}", "a")):
                while slot in title:
                    title = title.replace(slot, rng.choice(v[pool]).capitalize(), 1)
            titles_used.append(title)
        sections = []
        for _ in range(rng.randint(3, 6)):
            heading = f"{rng.choice(v['a']).capitalize()} {rng.choice(v['n'])}"
            paragraphs = [
                [_sentence(rng, v) for _ in range(rng.randint(2, 5))]
                for _ in range(rng.choice((1, 1, 2)))
            ]
            sections.append((heading, paragraphs))
        image = shared_images[rng.randrange(len(shared_images))] if rng.random() < 0.4 else None
        featured = shared_images[rng.randrange(len(shared_images))] if rng.random() < 0.5 else None
        carriers = rng.sample(clinics, min(len(clinics), rng.choice((1, 2, 2, 3, 3, 4, 5))))
        date = f"20{rng.randint(19, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        slug_words = [w.lower().strip("?") for w in title.split()]
        base_slug = "-".join(slug_words) + f"-{article}"
        for number, clinic in enumerate(carriers):
            # The first carrier keeps the text; the others reword it, each its own way.
            reword = 0.0 if number == 0 else rng.choice((0.3, 0.45, 0.6))
            keep_headings = number == 0 or rng.random() < 0.6
            blocks: list[tuple[str, str]] = []
            for heading, paragraphs in sections:
                if keep_headings:
                    blocks.append(("heading", heading))
                for sentences in paragraphs:
                    roll = rng.random()
                    if number and roll < 0.08:
                        continue  # a paragraph this clinic lacks
                    if number and roll < 0.25:
                        words_ = sentences  # kept word for word
                    else:
                        words_ = [_reword(rng, s, synonyms, reword) for s in sentences]
                        if number and len(words_) > 2 and rng.random() < 0.2:
                            words_ = words_[:-1]
                        if number and rng.random() < 0.15:
                            words_ = [*words_, _sentence(rng, v)]
                    blocks.append(("paragraph", " ".join(words_)))
                if number and rng.random() < 0.12:
                    extra = " ".join(_sentence(rng, v) for _ in range(3))
                    blocks.append(("paragraph", extra))  # a paragraph of this clinic's own
            if image and (number == 0 or rng.random() < 0.8):
                blocks.insert(min(2, len(blocks)), ("image", image))
            blocks.append(
                (
                    "paragraph",
                    f"At {clinic.name}, our team in {clinic.city} can help. "
                    f"Call {clinic.phone} to talk to us.",
                )
            )
            own_title = title if number == 0 or rng.random() < 0.7 else title + " Today"
            post_id += 1
            network.posts.append(
                GeneratedPost(
                    clinic=clinic,
                    article=article,
                    post_id=post_id,
                    title=own_title,
                    slug=base_slug if number == 0 else f"{base_slug}-{clinic.slug}",
                    blocks=blocks,
                    topic=topic,
                    date=date,
                    featured=featured,
                )
            )
    return network


def true_pairs(posts: list[GeneratedPost]) -> set[frozenset[tuple[str, int]]]:
    by_article: dict[int, list[GeneratedPost]] = {}
    for post in posts:
        by_article.setdefault(post.article, []).append(post)
    pairs = set()
    for members in by_article.values():
        keys = [(p.clinic.slug, p.post_id) for p in members]
        pairs.update(frozenset((a, b)) for n, a in enumerate(keys) for b in keys[n + 1 :])
    return pairs


def grouped_pairs(groups: list[list[tuple[str, int]]]) -> set[frozenset[tuple[str, int]]]:
    return {
        frozenset((a, b))
        for members in groups
        for n, a in enumerate(members)
        for b in members[n + 1 :]
    }


def precision_recall(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def tiny_png(rng: random.Random, n: int) -> bytes:
    """A tiny valid PNG, different for each ``n``."""
    import struct
    import zlib

    width = height = 4
    raw = b"".join(
        b"\x00" + bytes((n * 40 + x * 10 + y) % 256 for x in range(width) for _ in range(3))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
