"""Factories for clinics and articles: every test builds the network it needs."""

import uuid

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils.text import slugify
from wagtail.models import Page

from blog.models import ArticleLibraryPage, BodyOverride, LibraryArticlePage
from blog.provisioning import create_clinic
from clinics.models import CallToAction, Person, Topic


def paragraph(text: str, block_id: str | None = None) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": block_id or str(uuid.uuid4())}


def heading(text: str, block_id: str | None = None) -> dict:
    return {"type": "heading", "value": text, "id": block_id or str(uuid.uuid4())}


class CallToActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallToAction

    name = factory.Sequence(lambda n: f"Call-to-action {n}")
    headline = "Talk to {clinic} today"
    text = "Our team in {city} is here for you. Call {phone}."
    button_label = "Book now"
    link_type = CallToAction.Link.BOOKING


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    credentials = "MD"


_clinic_numbers = iter(range(1, 10_000))


def make_clinic(name: str | None = None, **facts):
    """A clinic with its Site (`<slug>.localhost`), blog, editor group and collection."""
    n = next(_clinic_numbers)
    name = name or f"Clinic {n}"
    slug = facts.pop("slug", None) or f"{name.lower().replace(' ', '-')}"
    values = {
        "city": "Springfield",
        "region": "IL",
        "phone": f"(217) 555-{n:04d}",
        "booking_url": f"https://{slug}.example/book",
        "email": f"hello@{slug}.example",
    }
    values.update(facts)
    return create_clinic(title=name, slug=slug, hostname=f"{slug}.localhost", **values)


def get_library() -> ArticleLibraryPage:
    library = ArticleLibraryPage.objects.first()
    if library is None:
        library = Page.get_first_root_node().add_child(
            instance=ArticleLibraryPage(title="Article library", slug="library")
        )
    return library


def committed():
    """Run the on-commit callbacks (fan-out, canonical refresh) a block registers, as
    the commit of a real request would; tests otherwise never commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def make_library_article(title="What Causes PTSD?", body=None, *, publish=True, **fields):
    """A library article; publishing it syndicates it to the subscribing clinics."""
    library = get_library()
    article = library.add_child(
        instance=LibraryArticlePage(
            title=title,
            slug=fields.pop("slug", None) or slugify(title),
            summary=fields.pop("summary", "A summary."),
            body=body if body is not None else [paragraph("Library text.")],
            live=False,
            **fields,
        )
    )
    if publish:
        with committed():
            article.save_revision().publish()
    else:
        article.save_revision()
    article.refresh_from_db()
    return article


def add_override(copy, anchor: str, action: str, blocks=(), *, fingerprint: str | None = None):
    override = BodyOverride(anchor=anchor, action=action, content=list(blocks))
    if copy.source_id:
        override.stamp(copy.source.blocks_by_id().get(anchor), copy.source.live_revision_id)
    else:
        override.stamp(None)
    if fingerprint is not None:  # a test's own stamp (e.g. written against older text)
        override.source_fingerprint = fingerprint
    copy.body_overrides.add(override)
    with committed():
        copy.save_revision().publish()
    copy.refresh_from_db()
    return copy


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*extracted)
        self.save()


ImageFactory = wagtail_factories.ImageFactory


def medical_reviewer(name="Dana Whitfield", credentials="MD, psychiatrist", **person):
    """A member of Medical reviewers, linked to the Person the byline names."""
    from django.contrib.auth.models import Group

    from clinics.provisioning import MEDICAL_REVIEWERS
    from review.models import ReviewerProfile

    group, _ = Group.objects.get_or_create(name=MEDICAL_REVIEWERS)
    user = UserFactory(groups=[group])
    person = PersonFactory(name=name, credentials=credentials, **person)
    ReviewerProfile.objects.create(user=user, person=person)
    return user


def approve(page, reviewer=None, *, when=None, publish=False):
    """A medical reviewer's approval of the page's live revision, as the workflow
    records it (`when`: back-date it). With `publish`, of its latest revision, which is
    then published, as the workflow does."""
    from review.approvals import record_approval

    page.refresh_from_db()
    revision = page.get_latest_revision() if publish else page.live_revision
    approval = record_approval(revision, reviewer or medical_reviewer())
    if when is not None:
        approval.approved_at = when
        approval.save(update_fields=["approved_at"])
    if publish:
        with committed():
            revision.publish()
        page.refresh_from_db()
    return approval
