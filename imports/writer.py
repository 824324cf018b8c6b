"""From posts read to pages written: merge, print (dry run), write.

Each group of posts that are one article (``textreview.merge.find_groups``) becomes one
library article, a draft submitted to the library's workflow (medical review) when one
is attached, never published here; each clinic in the group gets its copy with its
overrides, and no other clinic does. A copy is published when its library article is:
the import records the copy's revision as the one to restore (``CopyWithdrawal``, the
pipeline's record of "the revision this copy shows when its library article is live"),
so the fan-out that follows the library's publish puts exactly that revision live.
A clinic that takes library articles as drafts (``publish_syndicated`` off) keeps the
copy a draft to publish itself.

A clinic that already carries the article untouched (it took it from the library before
its own post was imported) has that copy take the post's wording; a copy the clinic
has changed is left alone and the post reported.

Each group is written in its own transaction: one failing group is reported and rolled
back, the others are written. Posts already imported (by source key) are not written
again, and later imports match new posts against them, so a clinic imported next month
joins the articles already in the library.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, ReferenceIndex, Site

from blog.models import (
    ArticleLibraryPage,
    BlogIndexPage,
    BodyOverride,
    ClinicArticlePage,
    CopyWithdrawal,
    LibraryArticlePage,
)
from clinics.models import ClinicHomePage, Person, Topic
from clinics.provisioning import SHARED_COLLECTION, collection_named
from clinics.tokens import clinic_token_values, render_tokens
from imports.cleaning import text_of
from imports.models import ImportedItem
from imports.sources import ImageRef, Refused, Report, SourcePost, counted
from textreview.merge import (
    END,
    START,
    Block,
    ClinicFacts,
    Group,
    Plan,
    Post,
    find_groups,
    plan_group,
    tokenise_text,
)

ACTIONS = {
    "replace": BodyOverride.Action.REPLACE,
    "hide": BodyOverride.Action.HIDE,
    "insert_before": BodyOverride.Action.INSERT_BEFORE,
    "insert_after": BodyOverride.Action.INSERT_AFTER,
}
POSITIONS = {START: BodyOverride.START, END: BodyOverride.END}
SUMMARY_CHARS = 300


@dataclass
class Options:
    dry_run: bool = False
    library_from: str = ""  # a clinic's slug: new library articles take its text
    user: object = None
    # New library articles are submitted to the library's workflow (medical review);
    # only the demo, which publishes its reviewed article itself, turns this off.
    submit_for_review: bool = True


@dataclass
class Outcome:
    groups: list[Group] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    articles: list[LibraryArticlePage] = field(default_factory=list)
    copies: list[ClinicArticlePage] = field(default_factory=list)
    unchanged: int = 0
    matching_seconds: float = 0.0
    writing_seconds: float = 0.0


def facts_of(clinic: ClinicHomePage) -> ClinicFacts:
    return ClinicFacts(clinic.title, clinic.city, clinic.phone)


def merge_post(post: SourcePost) -> Post:
    return Post(
        post.key, post.clinic, post.title, post.blocks, frozenset(s for s, _ in post.topics)
    )


def stored_post(item: ImportedItem) -> Post:
    data = item.data
    blocks = [Block(kind, value, text) for kind, value, text in data["blocks"]]
    return Post(
        item.source_key,
        item.clinic.slug,
        data.get("title"),
        blocks,
        frozenset(data.get("topics", [])),
        group=item.article_id,
    )


def library_blocks(article: LibraryArticlePage) -> tuple[list[Block], list[dict]]:
    """An existing library article's latest text as the merge engine compares it."""
    raw = list(article.body.raw_data)
    images = {
        image.pk: image.file_hash
        for image in get_image_model().objects.filter(
            pk__in=[b["value"].get("image") for b in raw if b["type"] == "image"]
        )
    }
    blocks = []
    for block in raw:
        kind, value = block["type"], block["value"]
        if kind == "paragraph":
            blocks.append(Block(kind, value, text_of(value)))
        elif kind == "heading":
            blocks.append(Block(kind, value, value))
        elif kind == "image":
            alt = value.get("alt_text") or ""
            sha1 = images.get(value.get("image"), "")
            blocks.append(Block(kind, json.dumps({"alt": alt, "sha1": sha1}, sort_keys=True)))
        else:
            blocks.append(Block(kind, json.dumps(value, sort_keys=True, default=str)))
    return blocks, raw


class Importer:
    def __init__(self, report: Report, options: Options | None = None) -> None:
        self.report = report
        self.options = options or Options()
        self.clinics = {c.slug: c for c in ClinicHomePage.objects.all()}
        self.facts = {slug: facts_of(c) for slug, c in self.clinics.items()}
        self._images: dict[tuple[int, str], object] = {}
        self._collections: dict[str, Collection] = {}

    # -- merging -----------------------------------------------------------------------

    def run(self, posts: list[SourcePost]) -> Outcome:
        started = time.monotonic()
        outcome = Outcome()
        fresh = self._new_posts(posts, outcome)
        by_key = {p.key: p for p in fresh}
        existing = [
            stored_post(item)
            for item in ImportedItem.objects.filter(article__isnull=False).select_related("clinic")
            if item.clinic.slug in self.clinics
        ]
        self.report.write(
            f"Matching {len(fresh)} new post{'s' if len(fresh) != 1 else ''} among themselves "
            f"and against {len(existing)} imported before..."
        )
        groups = [
            g
            for g in find_groups([merge_post(p) for p in fresh] + existing, self.facts)
            if g.new_posts
        ]
        plans = [self._plan(group) for group in groups]
        outcome.groups, outcome.plans = groups, plans
        outcome.matching_seconds = time.monotonic() - started
        self._print(groups, plans, by_key)
        if self.options.dry_run:
            self.report.write("Dry run: nothing was written.")
            return outcome
        if not ArticleLibraryPage.objects.exists():
            raise Refused("there is no article library to import into")
        for number, (group, plan) in enumerate(zip(groups, plans, strict=True), start=1):
            try:
                with transaction.atomic():
                    article, copies = self._write(group, plan, by_key)
            except Exception as error:  # noqa: BLE001  (one group's failure is reported)
                for post in group.new_posts:
                    self.report.error(by_key[post.key].label, f"not imported: {error}")
            else:
                outcome.articles.append(article)
                outcome.copies.extend(copies)
            self.report.progress(number, len(groups), "articles written")
        outcome.writing_seconds = time.monotonic() - started - outcome.matching_seconds
        self._summary(outcome)
        return outcome

    def _new_posts(self, posts: list[SourcePost], outcome: Outcome) -> list[SourcePost]:
        seen: set[str] = set()
        unique = []
        for post in posts:
            if post.clinic not in self.clinics:
                self.report.error(post.label, f"no clinic “{post.clinic}”")
            elif post.key in seen:
                self.report.error(post.label, "the same post is given twice")
            else:
                seen.add(post.key)
                unique.append(post)
        done = dict(
            ImportedItem.objects.filter(source_key__in=seen).values_list(
                "source_key", "content_hash"
            )
        )
        fresh = []
        for post in unique:
            if post.key not in done:
                fresh.append(post)
            elif done[post.key] == post.content_hash():
                outcome.unchanged += 1
            else:
                self.report.warning(
                    post.label,
                    "changed since it was imported; not imported again (edit the page instead)",
                )
                outcome.unchanged += 1
        if outcome.unchanged:
            unchanged = counted(outcome.unchanged, "post")
            self.report.write(f"{unchanged} imported before: left as they are.")
        return fresh

    def _plan(self, group: Group) -> Plan:
        if group.existing is not None:
            article = LibraryArticlePage.objects.get(pk=group.existing)
            latest = article.get_latest_revision_as_object()
            blocks, _ = library_blocks(latest)
            return plan_group(
                group.new_posts, self.facts, library=blocks, library_title=latest.title
            )
        clinics = {p.clinic for p in group.posts}
        base = self.options.library_from if self.options.library_from in clinics else None
        return plan_group(group, self.facts, base=base)

    # -- the dry run's and the summary's output ---------------------------------------

    def _print(self, groups: list[Group], plans: list[Plan], by_key: dict[str, SourcePost]) -> None:
        merged = [(g, p) for g, p in zip(groups, plans, strict=True) if len(g.posts) > 1]
        singles = len(groups) - len(merged)
        self.report.write(
            f"{counted(len(groups), 'article')}: {len(merged)} merged from posts of several "
            f"clinics, {singles} from one clinic's post."
        )
        for number, (group, plan) in enumerate(merged, start=1):
            title = plan.title or by_key[group.new_posts[0].key].fallback_title
            where = (
                f"joins library article #{group.existing}"
                if group.existing is not None
                else "new library article"
            )
            self.report.write(f"Group {number}: “{title}” ({where}), {len(group.posts)} posts")
            for post in group.posts:
                source = by_key.get(post.key)
                label = source.label if source else f"{post.key} (imported before)"
                if post.key == plan.base:
                    role = "library text"
                elif post.key in plan.overrides:
                    rows = plan.overrides[post.key]
                    kinds = Counter(row.action.replace("_", " ") for row in rows)
                    detail = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
                    role = counted(len(rows), "override row") + (f": {detail}" if detail else "")
                else:
                    role = "carried already"
                self.report.write(f"  {post.clinic}: {label} — {role}")
            for pair in group.pairs:
                self.report.write(
                    f"  {_clinic(pair.first, group)} ~ {_clinic(pair.second, group)}: "
                    f"paragraphs aligned {pair.matched} of {pair.paragraphs[0]}/"
                    f"{pair.paragraphs[1]}, coverage {pair.coverage:.2f}, title "
                    f"{pair.title:.2f}, topics {pair.topics:.2f}, five-word shingles "
                    f"{pair.shingles:.3f}"
                )
            if len(plan.costs) > 1:
                costs = ", ".join(
                    f"{_clinic(key, group)} {rows}" for key, rows in plan.costs.items()
                )
                self.report.write(
                    f"  override rows with each clinic's text as the library's: {costs}"
                )
            self.report.write(f"  override rows in all: {plan.rows}")

    def _summary(self, outcome: Outcome) -> None:
        rows = sum(copy.body_overrides.count() for copy in outcome.copies)
        self.report.write(
            f"Written: {counted(len(outcome.articles), 'library article')} (drafts, through "
            f"the library's workflow), {counted(len(outcome.copies), 'clinic page')}, "
            f"{counted(rows, 'override row')}; {outcome.unchanged} unchanged; "
            f"{counted(len(self.report.errors), 'error')}, "
            f"{counted(len(self.report.warnings), 'warning')}. Matched in "
            f"{outcome.matching_seconds:.1f} s, written in {outcome.writing_seconds:.1f} s."
        )

    # -- writing -------------------------------------------------------------------------

    def _write(self, group: Group, plan: Plan, by_key: dict[str, SourcePost]):
        images = {
            sha1: ref for post in group.new_posts for sha1, ref in by_key[post.key].images.items()
        }
        for post in group.new_posts:
            if (featured := by_key[post.key].featured) is not None:
                images[featured.sha1] = featured
        shared = self._collection(SHARED_COLLECTION)
        if group.existing is not None:
            article = LibraryArticlePage.objects.get(pk=group.existing)
            latest = article.get_latest_revision_as_object()
            ids = [block["id"] for block in latest.body.raw_data]
            source_blocks = latest.blocks_by_id()
            library_title, library_summary = latest.title, latest.summary
            base_featured = latest.hero_image.file_hash if latest.hero_image else None
        else:
            base = by_key[plan.base]
            article = self._new_article(group, plan, base, images, shared, by_key)
            ids = [block["id"] for block in article.body.raw_data]
            source_blocks = article.blocks_by_id()
            library_title, library_summary = article.title, article.summary
            base_featured = base.featured.sha1 if base.featured else None
        copies = []
        for post in group.new_posts:
            source = by_key[post.key]
            copies.append(
                self._new_copy(
                    article,
                    source,
                    plan,
                    ids,
                    source_blocks,
                    images,
                    library_title,
                    library_summary,
                    base_featured,
                )
            )
        if (
            group.existing is None
            and self.options.submit_for_review
            and (workflow := article.get_workflow()) is not None
        ):
            workflow.start(article, self.options.user)
        return article, copies

    def _new_article(
        self, group, plan, base: SourcePost, images, shared, by_key
    ) -> LibraryArticlePage:
        library = ArticleLibraryPage.objects.first()
        facts = self.facts[base.clinic]
        title = plan.title or base.fallback_title
        blocks = [self._raw_block(block, images, shared) for block in plan.library]
        summary = tokenise_text(base.excerpt, facts) if base.excerpt else _summary(plan.library)
        topics = self._topics(source for p in group.new_posts for source in by_key[p.key].topics)
        article = LibraryArticlePage(
            title=title,
            slug=_free_slug(library, base.slug or slugify(title) or "article"),
            summary=summary,
            body=blocks,
            hero_image=self._image(base.featured, shared) if base.featured else None,
            author=self._person(base.author),
            # Carried at the clinics whose posts it merges, not fanned out to the network.
            offered_to_subscribers=False,
            live=False,
        )
        article.topics = topics
        library.add_child(instance=article)
        article.save_revision(user=self.options.user, log_action=True)
        return article

    def _new_copy(
        self,
        article,
        source: SourcePost,
        plan: Plan,
        ids,
        source_blocks,
        images,
        library_title: str,
        library_summary: str,
        base_featured,
    ) -> ClinicArticlePage:
        clinic = self.clinics[source.clinic]
        blog = BlogIndexPage.objects.child_of(clinic).first()
        if blog is None:
            raise Refused(f"{clinic.title} has no blog")
        carried = ClinicArticlePage.objects.child_of(blog).filter(source=article).first()
        if carried is not None:
            # Its latest revision, draft or live, so a clinic's pending edits count too.
            latest = carried.get_latest_revision_as_object()
            if latest.body_overrides.exists() or latest.title_override or latest.summary_override:
                raise Refused(
                    f"{clinic.title} already carries “{article.title}” with changes of its own"
                )
        own = self._collection(clinic.title)
        values = clinic_token_values(clinic)
        title_override = plan.titles.get(source.key) or ""
        facts = self.facts[source.clinic]
        summary = tokenise_text(source.excerpt, facts) if source.excerpt else ""
        summary_override = summary if summary and summary != library_summary else ""
        hero = None
        if source.featured is not None and source.featured.sha1 != base_featured:
            hero = self._image(source.featured, own)
        title = render_tokens(title_override or library_title, values)
        if carried is None:
            copy = ClinicArticlePage(
                source=article,
                title=title,
                slug=_free_slug(blog, source.slug or slugify(title) or "article"),
                title_override=title_override,
                summary_override=summary_override,
                hero_image_override=hero,
                first_published_at=source.date,
                live=False,
            )
            blog.add_child(instance=copy)
        else:
            # The clinic took the article from the library before its own post was
            # imported: its untouched copy takes the post's wording.
            copy = carried
            copy.title, copy.draft_title = title, title
            copy.title_override, copy.summary_override = title_override, summary_override
            copy.hero_image_override = hero
            copy.first_published_at = source.date or copy.first_published_at
            copy.save()
        rows = []
        for position, row in enumerate(plan.overrides[source.key]):
            anchor = POSITIONS.get(row.anchor) if isinstance(row.anchor, str) else ids[row.anchor]
            override = BodyOverride(
                page=copy,
                sort_order=position,
                anchor=anchor,
                action=ACTIONS[row.action],
                content=[self._raw_block(block, images, own) for block in row.blocks],
            )
            override.stamp(source_blocks.get(anchor))
            rows.append(override)
        # In one statement: saving rows one by one would re-index the whole page (its
        # references) once per row. The page's references are indexed once, below.
        BodyOverride.objects.bulk_create(rows)
        if rows:
            ReferenceIndex.create_or_update_for_object(copy)
        revision = copy.save_revision(user=self.options.user, log_action=True)
        if carried is not None and not copy.live:
            # A draft the clinic publishes itself, or a copy withdrawn with its library
            # article: it comes back with this revision.
            CopyWithdrawal.objects.filter(page=copy).update(revision=revision)
        elif carried is not None or clinic.publish_syndicated:
            if article.live:
                revision.publish(user=self.options.user)
            else:
                CopyWithdrawal.objects.update_or_create(page=copy, defaults={"revision": revision})
        self._redirect(source, clinic, copy)
        ImportedItem.objects.create(
            source_key=source.key,
            clinic=clinic,
            article=article,
            page=copy,
            content_hash=source.content_hash(),
            data=source.data(),
        )
        return copy

    def _raw_block(self, block: Block, images: dict[str, ImageRef], collection) -> dict:
        raw = {"type": block.kind, "id": str(uuid.uuid4())}
        if block.kind == "image":
            value = json.loads(block.value)
            ref = images.get(value["sha1"])
            image = self._image(ref, collection) if ref else self._existing_image(value["sha1"])
            raw["value"] = {
                "image": image.pk,
                "decorative": not value.get("alt"),
                "alt_text": value.get("alt", ""),
            }
        elif block.kind in ("paragraph", "heading"):
            raw["value"] = block.value
        else:
            raw["value"] = json.loads(block.value)
        return raw

    # -- images, people, topics, redirects ------------------------------------------------

    def _collection(self, name: str) -> Collection:
        if name not in self._collections:
            self._collections[name] = collection_named(name)
        return self._collections[name]

    def _image(self, ref: ImageRef, collection):
        """The collection's image with this content, created once (by SHA-1, as Wagtail
        stores ``file_hash``): the same picture in a hundred posts is one image."""
        Image = get_image_model()
        key = (collection.pk, ref.sha1)
        if key not in self._images:
            image = Image.objects.filter(collection=collection, file_hash=ref.sha1).first()
            if image is None:
                with ref.path.open("rb") as handle:
                    image = Image(
                        title=ref.filename.rsplit(".", 1)[0][:255] or "Imported image",
                        file=ImageFile(handle, name=ref.filename),
                        collection=collection,
                    )
                    image._set_image_file_metadata()
                    image.save()
            self._images[key] = image
        return self._images[key]

    def _existing_image(self, sha1: str):
        image = get_image_model().objects.filter(file_hash=sha1).first()
        if image is None:
            raise Refused(f"an image of the library article (SHA-1 {sha1[:10]}) is gone")
        return image

    def _person(self, name: str):
        if not name:
            return None
        person = Person.objects.filter(name=name).first()
        return person or Person.objects.create(name=name[:120])

    def _topics(self, topics: Iterable[tuple[str, str]]) -> list[Topic]:
        found = {}
        for slug, name in topics:
            if slug in found:
                continue
            topic = (
                Topic.objects.filter(slug=slug).first() or Topic.objects.filter(name=name).first()
            )
            found[slug] = topic or Topic.objects.create(slug=slug, name=name)
        return list(found.values())

    def _redirect(
        self, source: SourcePost, clinic: ClinicHomePage, copy: ClinicArticlePage
    ) -> None:
        if not source.old_url:
            return
        site = Site.objects.filter(root_page=clinic).first()
        old_path = Redirect.normalise_path(source.old_url)
        if (
            site is None
            or old_path in ("", "/")
            or old_path == copy.url_path[len(clinic.url_path) - 1 :].rstrip("/")
        ):
            return
        redirect, created = Redirect.objects.get_or_create(
            site=site,
            old_path=old_path,
            defaults={"redirect_page": copy, "is_permanent": True},
        )
        if not created and redirect.redirect_page_id != copy.pk:
            self.report.warning(
                source.label, f"{old_path} already redirects elsewhere: left as it was"
            )


def _clinic(key, group: Group) -> str:
    return next((p.clinic for p in group.posts if p.key == key), str(key))


def _summary(blocks: list[Block]) -> str:
    first = next((b for b in blocks if b.kind == "paragraph" and b.plain), None)
    text = first.plain if first else ""
    return Truncator(strip_tags(text)).chars(SUMMARY_CHARS) or "Imported article."


def _free_slug(parent: Page, wanted: str) -> str:
    wanted = wanted[:200] or "article"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = wanted, 2
    while slug in taken:
        slug, n = f"{wanted}-{n}", n + 1
    return slug
