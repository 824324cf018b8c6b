"""A network with something to hide: the other clinic's drafts, pages, images, files
and editors, and the library's drafts, each carrying a unique marker string.

Tests log in as Nova's editor and assert that no marker reaches them. Markers are
compared case-insensitively (a slug or a file name may lower-case them).
"""

from dataclasses import dataclass, field

import pytest
import wagtail_factories
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    Comment,
    GroupApprovalTask,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from blog.models import BlogIndexPage, BodyOverride, ClinicArticlePage
from clinics.models import LocationPage, TeamIndexPage, TeamMemberPage
from clinics.provisioning import CENTRAL_TEAM, provision_central_team
from tests.factories import (
    CallToActionFactory,
    ImageFactory,
    PersonFactory,
    TopicFactory,
    UserFactory,
    committed,
    get_library,
    make_clinic,
    make_library_article,
    paragraph,
)

# The other clinic's name is public (its own domain) and shown on purpose in a copy's
# similarity figures, so it is not a marker; its pages' titles are.
OTHER_CLINIC = "Lakeside Wellness"


class M:
    """The marker strings: none may reach Nova's editor."""

    other_blog = "Zqvotherblog"
    other_draft_title = "Zqvotherdrafttitle"
    other_draft_body = "Zqvotherdraftbody"
    other_own_title = "Zqvotherowntitle"
    other_own_body = "Zqvotherownbody"
    other_image_title = "Zqvotherimagetitle"
    other_image_file = "zqvotherimagefile"
    other_document_title = "Zqvotherdoctitle"
    other_document_file = "zqvotherdocfile"
    other_editor = "zqvothereditor"
    other_comment = "Zqvothercomment"
    other_password = "Zqvotherpassword"
    other_redirect = "zqvotherredirect"
    library_draft_title = "Zqvlibrarydrafttitle"
    library_draft_summary = "Zqvlibrarydraftsummary"
    library_draft_body = "Zqvlibrarydraftbody"
    library_revision_title = "Zqvlibraryrevisiontitle"
    library_revision_body = "Zqvlibraryrevisionbody"
    other_team_member = "Zqvotherteammember"
    other_team_bio = "Zqvotherteambio"
    other_location = "Zqvotherlocation"

    @classmethod
    def all(cls) -> list[str]:
        return [v for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, str)]


def leaks(content) -> list[str]:
    """The markers found in a response body (bytes or str)."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    text = content.lower()
    return [marker for marker in M.all() if marker.lower() in text]


def response_text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", errors="replace")
    return response.content.decode("utf-8", errors="replace")


@dataclass
class World:
    nova: object
    other: object
    nova_blog: object
    other_blog: object
    article: object
    nova_copy: object
    other_copy: object
    other_own: object
    library_draft: object
    library_revised: object
    nova_image: object
    shared_image: object
    other_image: object
    other_document: object
    nova_editor: object
    other_editor: object
    central_editor: object
    workflow_state: object
    comment: object
    redirect: object
    extra: dict = field(default_factory=dict)

    def other_ids(self) -> dict[str, int]:
        """Ids Nova's editor must learn nothing through, by kind."""
        return {
            "page": [
                self.other.pk,
                self.other_blog.pk,
                self.other_copy.pk,
                self.other_own.pk,
                self.library_draft.pk,
                *self.extra.get("other_pages", ()),
            ],
            "image": [self.other_image.pk],
            "document": [self.other_document.pk],
        }


@pytest.fixture
def world(nova, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    library = get_library()
    provision_central_team(library)
    central = UserFactory(username="central-editor", groups=[Group.objects.get(name=CENTRAL_TEAM)])
    other = make_clinic(OTHER_CLINIC, slug="lakeside", blog_title=M.other_blog)
    nova_editor = UserFactory(
        username="nova-editor", groups=[Group.objects.get(name="Nova Health Recovery editors")]
    )
    other_editor = UserFactory(
        username=M.other_editor,
        first_name=M.other_editor,
        groups=[Group.objects.get(name=f"{OTHER_CLINIC} editors")],
    )
    article = make_library_article(body=[paragraph("Trauma is a risk factor.", "b1")])

    # A published library article whose newer draft is the central team's own business.
    revised = make_library_article("Anxiety basics", body=[paragraph("Anxiety text.", "a1")])
    draft = revised.get_latest_revision_as_object()
    draft.title = M.library_revision_title
    draft.body = [paragraph(M.library_revision_body, "a1")]
    draft.save_revision(user=central, log_action=True)

    library_draft = make_library_article(
        M.library_draft_title,
        body=[paragraph(M.library_draft_body, "d1")],
        summary=M.library_draft_summary,
        publish=False,
    )

    nova_blog = BlogIndexPage.objects.child_of(nova).get()
    other_blog = BlogIndexPage.objects.child_of(other).get()
    nova_copy = ClinicArticlePage.objects.descendant_of(nova).get(source=article)
    other_copy = ClinicArticlePage.objects.descendant_of(other).get(source=article)

    # The other clinic's draft of its copy: a title and a paragraph of its own.
    other_copy = ClinicArticlePage.objects.get(pk=other_copy.pk)
    other_copy.title_override = M.other_draft_title
    other_copy.body_overrides.add(
        BodyOverride(
            anchor="b1",
            action=BodyOverride.Action.REPLACE,
            content=[paragraph(M.other_draft_body)],
            source_fingerprint=article.block_fingerprints()["b1"],
        )
    )
    other_copy.save_revision(user=other_editor, log_action=True)

    # The other clinic's own article, live, locked and password-protected.
    other_own = other_blog.add_child(
        instance=ClinicArticlePage(
            title=M.other_own_title,
            title_override=M.other_own_title,
            slug="zqv-own",
            live=False,
        )
    )
    other_own.body_overrides.add(
        BodyOverride(
            anchor=BodyOverride.START,
            action=BodyOverride.Action.INSERT_AFTER,
            content=[paragraph(M.other_own_body)],
        )
    )
    with committed():
        other_own.save_revision(user=other_editor, log_action=True).publish(user=other_editor)
    other_own.refresh_from_db()
    ClinicArticlePage.objects.filter(pk=other_own.pk).update(
        locked=True, locked_by=other_editor, locked_at=timezone.now()
    )
    PageViewRestriction.objects.create(
        page=other_own, restriction_type=PageViewRestriction.PASSWORD, password=M.other_password
    )

    comment = Comment.objects.create(
        page=other_copy,
        user=other_editor,
        text=M.other_comment,
        contentpath="title_override",
        revision_created=other_copy.latest_revision,
    )

    # A workflow the other clinic's editor started on its copy.
    task = GroupApprovalTask.objects.create(name="Clinic sign-off")
    task.groups.add(Group.objects.get(name=f"{OTHER_CLINIC} editors"))
    workflow = Workflow.objects.create(name="Clinic sign-off")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=other)
    workflow_state = workflow.start(other_copy, other_editor)

    collection = Collection.objects.get(name=OTHER_CLINIC)
    other_image = ImageFactory(
        title=M.other_image_title,
        file__filename=f"{M.other_image_file}.png",
        collection=collection,
        uploaded_by_user=other_editor,
    )
    log(instance=other_image, action="wagtail.create", user=other_editor)
    other_document = wagtail_factories.DocumentFactory(
        title=M.other_document_title,
        file__filename=f"{M.other_document_file}.txt",
        collection=collection,
        uploaded_by_user=other_editor,
    )
    log(instance=other_document, action="wagtail.create", user=other_editor)
    nova_image = ImageFactory(
        title="Nova's own image", collection=Collection.objects.get(name="Nova Health Recovery")
    )
    shared_image = ImageFactory(
        title="A shared image", collection=Collection.objects.get(name="Shared")
    )

    # The shared snippets (the central team's, visible to every clinic).
    CallToActionFactory().save_revision(user=central, log_action=True)
    TopicFactory()
    PersonFactory()

    # The other clinic's own pages: a draft team member and a draft location page.
    other_team = other.add_child(instance=TeamIndexPage(title="Their team", slug="team"))
    other_member = other_team.add_child(
        instance=TeamMemberPage(
            title=M.other_team_member, bio=M.other_team_bio, slug="zqv-member", live=False
        )
    )
    other_member.save_revision(user=other_editor, log_action=True)
    other_location = other.add_child(
        instance=LocationPage(title=M.other_location, slug="zqv-location", live=False)
    )
    other_location.save_revision(user=other_editor, log_action=True)

    redirect = Redirect.objects.create(
        old_path=f"/{M.other_redirect}",
        site=other.get_site(),
        redirect_link="https://example.com/",
    )

    return World(
        nova=nova,
        other=other,
        nova_blog=nova_blog,
        other_blog=other_blog,
        article=article,
        nova_copy=nova_copy,
        other_copy=other_copy,
        other_own=other_own,
        library_draft=library_draft,
        library_revised=revised,
        nova_image=nova_image,
        shared_image=shared_image,
        other_image=other_image,
        other_document=other_document,
        nova_editor=nova_editor,
        other_editor=other_editor,
        central_editor=central,
        workflow_state=workflow_state,
        comment=comment,
        redirect=redirect,
        extra={"other_pages": [other_team.pk, other_member.pk, other_location.pk]},
    )


@pytest.fixture
def as_nova(client, world):
    client.force_login(world.nova_editor)
    return client
