"""A clinic's blog and its articles: thin copies of library articles plus the clinic's
changes, or articles of the clinic's own."""

import logging

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection, models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from blog.admin_forms import ClinicArticlePageForm
from blog.blocks import ArticleBodyBlock
from blog.models.library import LibraryArticlePage, block_fingerprint
from blog.panels import BodyOverridesPanel, LibraryBodyPanel
from clinics.models import CallToActionWording, ClinicHomePage, Topic
from clinics.tokens import validate_tokens

logger = logging.getLogger(__name__)


class SourceWithdrawn(PublishPagePermissionError):
    """Raised when a copy would go live while its library article is not."""

    MESSAGE = (
        "The library article this page carries is withdrawn: its copies cannot be "
        "published until the central team publishes it again. Your changes are kept."
    )


def source_is_live(source_id: int) -> bool:
    """Whether the library article is live, read under a shared row lock on PostgreSQL:
    a concurrent publish or unpublish of the library article waits for this transaction
    (and this one for it), so a copy and its source never disagree once both commit."""
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT live FROM wagtailcore_page WHERE id = %s{lock}", [source_id])  # noqa: S608
        row = cursor.fetchone()
    return bool(row and row[0])


# The reviewer of record of what a visitor reads ("Medically reviewed by … on …" and
# the JSON-LD's reviewedBy / lastReviewed). The blog only asks: the review app answers
# from its approval records (registered in its AppConfig.ready()); nobody types it.
_review_of_record = []
_reviewed_by = []


def register_review_of_record(answer, reviewed_by=None) -> None:
    """`answer(article)` returns the approval a copy's byline names (with `reviewer`, a
    Person or None, `reviewer_name` and `reviewed_on`), or None for no byline;
    `reviewed_by(person_id)` the ids of the library articles whose pages may name that
    person as their reviewer (so that editing the person reaches those pages)."""
    _review_of_record[:] = [answer]
    _reviewed_by[:] = [reviewed_by] if reviewed_by else []


def articles_reviewed_by(person_id: int) -> list[int]:
    """Library articles whose copies may name `person_id` as their medical reviewer."""
    return list(_reviewed_by[0](person_id)) if _reviewed_by else []


def review_of_record(article):
    """The medical review a clinic copy's byline names, or None; asked once per render
    (the template and the JSON-LD share the answer)."""
    try:
        return article._review_of_record
    except AttributeError:
        pass
    answer = _review_of_record[0](article) if _review_of_record else None
    article._review_of_record = answer
    return answer


TOPIC_PAGE_SIZE = 24
RELATED_ARTICLES = 3


class BlogIndexPage(RoutablePageMixin, Page):
    """A clinic's blog: lists its articles, newest first. Its route
    `topics/<slug>/` lists the articles of one topic on this clinic's blog."""

    intro = models.TextField(blank=True)
    page_size = 12

    parent_page_types = ["clinics.ClinicHomePage"]
    subpage_types = ["blog.ClinicArticlePage"]
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "blog"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(ClinicArticlePage.objects.for_listing(self), self.page_size)
        try:
            articles = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            raise Http404 from None
        context["articles"] = articles
        # The topics with a live article on this blog, for their pages (one query).
        topics = (
            Topic.objects.filter(
                library_articles__clinic_copies__in=ClinicArticlePage.objects.live()
                .descendant_of(self)
                .values("pk")
            )
            .distinct()
            .order_by("name")
        )
        base = self.get_url(request) or ""
        context["topic_links"] = [
            (topic.name, base + self.topic_path(topic.slug)) for topic in topics
        ]
        return context

    @classmethod
    def topic_path(cls, slug: str) -> str:
        """A topic's page below a blog's URL (its `topic` route), as "topics/<slug>/"."""
        return cls.get_resolver().reverse("topic", slug).lstrip("/")

    @path("topics/<slug:slug>/", name="topic")
    def topic_view(self, request, slug):
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404("No such topic.")
        articles = list(
            ClinicArticlePage.objects.for_listing(self).filter(source__topics=topic)[
                :TOPIC_PAGE_SIZE
            ]
        )
        return TemplateResponse(
            request,
            "blog/topic_page.html",
            {
                **Page.get_context(self, request),
                "topic": topic,
                "topic_articles": articles,
                "routed_title": topic.name,
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request) or ""
        # Topics with a live article on this blog, each dated by its latest (one query).
        topics = (
            ClinicArticlePage.objects.live()
            .descendant_of(self)
            .filter(source__topics__isnull=False)
            .order_by()
            .values_list("source__topics__slug")
            .annotate(latest=models.Max("last_published_at"))
        )
        for slug, latest in sorted(topics):
            urls.append(
                {
                    "location": base + self.topic_path(slug),
                    "lastmod": latest,
                }
            )
        return urls


class ClinicArticleQuerySet(PageQuerySet):
    def for_listing(self, ancestor):
        """Live articles under `ancestor`, newest first, with what a card shows."""
        return (
            self.live()
            .descendant_of(ancestor)
            .select_related("source", "source__hero_image", "hero_image_override")
            .order_by("-first_published_at", "-pk")
        )


ClinicArticleManager = PageManager.from_queryset(ClinicArticleQuerySet)


class ClinicArticlePage(CallToActionWording, Page):
    """A clinic's copy of a library article: it stores only what the clinic overrides.

    With no source, it is the clinic's own article, written from its own blocks.
    `title` is kept equal to the effective title for Wagtail's admin; the public page
    always resolves the title from the override or the source's live title.
    """

    source = models.ForeignKey(
        LibraryArticlePage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinic_copies",
        help_text="The library article this page carries. Empty for the clinic's own article.",
    )
    title_override = models.CharField(
        "title",
        max_length=255,
        blank=True,
        help_text="Leave blank to use the library article's title.",
        validators=[validate_tokens],
    )
    summary_override = models.TextField(
        "summary",
        blank=True,
        help_text="Leave blank to use the library article's summary.",
        validators=[validate_tokens],
    )
    hero_image_override = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="hero image",
        help_text="Leave empty to use the library article's image.",
    )
    call_to_action = models.ForeignKey(
        "clinics.CallToAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Leave empty to use the call-to-action of the article's topic, or else the "
            "clinic's default."
        ),
    )

    class CanonicalPolicy(models.TextChoices):
        AUTO = "auto", "Decide from how different this copy is (recommended)"
        SELF = "self", "This page is the original: canonical to itself"
        PRIMARY = "primary", "Point search engines to the primary clinic's copy"
        NOINDEX = "noindex", "Keep this page out of search results"

    canonical_policy = models.CharField(
        "search engines",
        max_length=10,
        choices=CanonicalPolicy.choices,
        default=CanonicalPolicy.AUTO,
        help_text="Several clinics carry this article; decide which copy search engines index.",
    )
    objects = ClinicArticleManager()
    base_form_class = ClinicArticlePageForm

    parent_page_types = ["blog.BlogIndexPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("source"),
        TitleFieldPanel("title_override", placeholder="Title (blank: the library's)"),
        FieldPanel("summary_override"),
        FieldPanel("hero_image_override"),
        LibraryBodyPanel(heading="The library article and this clinic's changes"),
        BodyOverridesPanel(
            "body_overrides",
            heading="This clinic's changes to the article body",
            label="change",
            help_text=(
                "Pick a block of the library article, then replace it, hide it, "
                "or add this clinic's own blocks before or after it."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("call_to_action"), *CallToActionWording.cta_wording_panels],
            heading="Call-to-action",
            help_text=(
                "Leave blank to use the topic's or the clinic's call-to-action and the "
                "clinic's wording."
            ),
        ),
        # seo and review add their read-only panels here and below (their AppConfig.ready()).
    ]
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title", help_text="Leave blank to use the library's."),
                FieldPanel("search_description", help_text="Leave blank to use the library's."),
                FieldPanel("canonical_policy"),
            ],
            heading="For search engines",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("text_for_search")]
    # A copy is saved three times as a publishing job creates it: Wagtail's handler
    # would queue three index jobs. `blog.signal_handlers` indexes copies instead (once,
    # inside the job, for the pipeline's saves).
    search_auto_update = False

    class Meta:
        verbose_name = "clinic article"

    @cached_property
    def clinic(self) -> ClinicHomePage | None:
        return ClinicHomePage.owning(self)

    def text_for_search(self) -> str:
        """The summary and body as visitors read them on the clinic's site: the library's
        live text with the clinic's changes, so that site search finds a copy by the
        clinic's own words and not by library words the clinic replaced or hid. Empty
        while the copy is not live (search only looks at live pages)."""
        if not self.live:
            return ""
        from blog.resolution import resolve_article  # it reads this module's models

        article = resolve_article(self)
        return "\n".join([article.summary, article.plain_text()])

    def full_clean(self, *args, **kwargs):
        # Page.title is required: keep it equal to the effective title before validation.
        from blog.resolution import effective_title

        self.title = effective_title(self, self.clinic) or self.title
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        # Every way of publishing (edit view, bulk action, workflow approval, scheduled
        # publishing, the admin API, code) ends here: a copy is never live while its
        # library article is not.
        if self.live and self.source_id and not source_is_live(self.source_id):
            raise SourceWithdrawn(SourceWithdrawn.MESSAGE)
        return super().save(*args, **kwargs)

    def publish(self, revision, *args, log_action=True, **kwargs):
        try:
            return super().publish(revision, *args, log_action=log_action, **kwargs)
        except SourceWithdrawn:
            if log_action != "wagtail.publish.scheduled":
                raise
            # Scheduled publishing goes on with the other pages; this one is dropped.
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            logger.warning("Scheduled publish of %s dropped: %s", self, SourceWithdrawn.MESSAGE)
            return None

    def clean(self):
        super().clean()
        errors = {}
        if not self.source_id and not self.title_override:
            errors["title_override"] = ValidationError(
                "An article of the clinic's own (with no library source) needs a title."
            )
        if self.call_to_action_id and (clinic := self.clinic):
            missing = self.call_to_action.missing_clinic_fact(clinic)
            if missing:
                errors["call_to_action"] = ValidationError(
                    f"“{self.call_to_action}” links to the clinic's {missing}, which the "
                    f"clinic has not set."
                )
        if errors:
            raise ValidationError(errors)

    def effective(self, request=None):
        from blog.resolution import resolve_article

        return resolve_article(self, request=request)

    def get_context(self, request, *args, **kwargs):
        from blog.resolution import source_topics

        context = super().get_context(request, *args, **kwargs)
        context["article"] = article = self.effective(request)
        context["medical_review"] = review_of_record(article)
        topics = source_topics(article.source)
        context["related_articles"] = self.related_articles(article.clinic, topics)
        blog_url = (self.get_url(request) or "").rstrip("/").rsplit("/", 1)[0] + "/"
        context["topic_links"] = [
            (topic.name, blog_url + BlogIndexPage.topic_path(topic.slug))
            for topic in topics
            if self.pk
        ]
        return context

    def related_articles(self, clinic, topics, limit: int = RELATED_ARTICLES):
        """Other live articles of `clinic` on these topics, newest first (one query)."""
        if clinic is None or not topics:
            return []
        return list(
            ClinicArticlePage.objects.for_listing(clinic)
            .filter(source__topics__in=[topic.pk for topic in topics])
            .exclude(pk=self.pk)
            .distinct()[:limit]
        )


class BodyOverride(Orderable):
    """One change a clinic makes to its copy's body, anchored on a library block's id."""

    START = "__start__"
    END = "__end__"

    class Action(models.TextChoices):
        REPLACE = "replace", "Replace it with this clinic's wording"
        HIDE = "hide", "Hide it on this clinic's site"
        INSERT_BEFORE = "insert_before", "Add this clinic's blocks before it"
        INSERT_AFTER = "insert_after", "Add this clinic's blocks after it"

    INSERTS = (Action.INSERT_BEFORE, Action.INSERT_AFTER)

    page = ParentalKey(ClinicArticlePage, on_delete=models.CASCADE, related_name="body_overrides")
    anchor = models.CharField(
        "library block",
        max_length=64,
        help_text="The block of the library article this change applies to.",
    )
    action = models.CharField(max_length=16, choices=Action.choices, default=Action.REPLACE)
    content = StreamField(ArticleBodyBlock(), blank=True)
    # The fingerprint of the library block when this change was written or last
    # reviewed: when the library block changes, the override is stale.
    source_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    # That library block itself (type and value), so that the clinic can compare the
    # text it wrote against with the library's text now. It is kept even though
    # `source_revision` names the revision it came from: revisions can be purged
    # (`purge_revisions`), and the three-way merge needs this base text for as long as
    # the change exists.
    source_block = models.JSONField(null=True, blank=True, editable=False)
    # The library article's live revision when this change was written or last reviewed
    # (who wrote that text, and when). No database constraint: the id is also stored in
    # the copy's own revisions, which must still publish after that library revision is
    # purged (Django's deletion sets it to null; the stale-changes view tolerates a
    # missing row).
    source_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,
        related_name="+",
        editable=False,
    )
    # Whether the library block changed since: stored by the publishing jobs (and after
    # each publish of the copy), so dashboards and listings read it without resolving.
    is_stale = models.BooleanField("stale", default=False, editable=False, db_index=True)

    class MergeState(models.TextChoices):
        NONE = "", "No library correction merged"
        APPLIED = "applied", "A library correction merged into this wording"
        WAITING = "waiting", "A library correction merged into a draft not yet published"
        CONFLICT = "conflict", "A library correction conflicts with this wording"

    # What the publishing pipeline did with the library's last edit of the block: written
    # by the jobs (`blog.stale_changes.merge_library_changes`), cleared when the change
    # is re-stamped (an editor's decision). A revision holding a merge says APPLIED; the
    # live row says WAITING until that revision is published, which brings APPLIED.
    merge_state = models.CharField(
        max_length=10,
        choices=MergeState.choices,
        default=MergeState.NONE,
        blank=True,
        editable=False,
        db_index=True,
    )

    panels = [
        FieldPanel("anchor"),
        FieldPanel("action"),
        FieldPanel("content"),
        FieldPanel("keep_wording"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "body change"

    def __str__(self):
        return f"{self.get_action_display()} ({self.anchor})"

    @classmethod
    def merge_counts(cls, relation: str = "") -> dict[str, models.Count]:
        """Aggregates counting changes per merge state ("applied", "waiting",
        "conflicts"): of the queryset's own rows, or of its `relation` to its changes."""
        prefix = f"{relation}__" if relation else ""
        states = {"applied": cls.MergeState.APPLIED, "waiting": cls.MergeState.WAITING}
        states["conflicts"] = cls.MergeState.CONFLICT
        return {
            name: models.Count(
                relation or "pk", filter=models.Q(**{f"{prefix}merge_state": state}), distinct=True
            )
            for name, state in states.items()
        }

    def stamp(self, library_block: dict | None, source_revision_id: int | None = None) -> None:
        """Record that this change was written (or re-checked) against `library_block`,
        the library's stored block it is anchored on (None: there is none), from the
        library revision `source_revision_id` (by default the library article's live
        revision, whose body is the stored one)."""
        if library_block is None:
            self.source_fingerprint, self.source_block = "", None
            self.source_revision_id = None
        else:
            self.source_fingerprint = block_fingerprint(
                library_block["type"], library_block["value"]
            )
            self.source_block = {"type": library_block["type"], "value": library_block["value"]}
            self.source_revision_id = source_revision_id or self._library_live_revision_id()
        self.is_stale = False
        self.merge_state = self.MergeState.NONE

    def _library_live_revision_id(self) -> int | None:
        try:
            source_id = self.page.source_id
        except ClinicArticlePage.DoesNotExist:  # a row not attached to a page yet
            return None
        if not source_id:
            return None
        return (
            LibraryArticlePage.objects.filter(pk=source_id)
            .values_list("live_revision_id", flat=True)
            .first()
        )

    @property
    def is_positional(self) -> bool:
        return self.anchor in (self.START, self.END)

    def clean(self):
        super().clean()
        if self.is_positional and self.action not in self.INSERTS:
            raise ValidationError(
                {"action": "At the start or end of the article you can only add blocks."}
            )
        if self.action == self.Action.REPLACE and len(self.content) != 1:
            raise ValidationError({"content": "A replacement is exactly one block."})
        if self.action in self.INSERTS and not len(self.content):
            raise ValidationError({"content": "Add at least one block."})
        if self.action == self.Action.HIDE and len(self.content):
            raise ValidationError({"content": "A hidden block needs no content; remove it."})
