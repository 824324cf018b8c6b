"""Admin hooks of medical review.

- A library article goes live only with a medical reviewer's approval: anyone else's
  Publish is not offered, and refused if posted (the draft is kept; the message says to
  submit it to the Medical review workflow). A reviewer's own publish is their approval.
- A clinic copy whose own words (title, summary, call-to-action wording, replaced or
  added blocks) have an error-level finding is sent to the "Clinic medical review"
  workflow instead of being published; a clean edit publishes at once, whatever the
  library's text says.
"""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import WorkflowState

from blog.demo import demo_user
from blog.models import ClinicArticlePage, LibraryArticlePage
from clinics.models import Person
from clinics.provisioning import MEDICAL_REVIEWERS
from review.approvals import record_approval
from review.dashboard import MedicalReviewQueuePanel
from review.models import ReviewerProfile
from review.pages import errors, review_clinic_words
from review.views import REPORT_PERMISSION, NetworkReportView
from review.workflow import (
    CLINIC_WORKFLOW_NAME,
    WORKFLOW_NAME,
    clinic_workflow_for,
    is_medical_reviewer,
    setup_medical_review,
)

LIBRARY_REFUSAL = (
    "“{title}” was not published: every version of a library article that goes live is "
    "approved by a medical reviewer. Your changes are saved as a draft. To publish "
    "them, choose “Submit to " + WORKFLOW_NAME + "” in the actions menu at the foot of "
    "the editor; a medical reviewer approves it (or asks for changes) and it goes live."
)
SENT_TO_REVIEW = (
    "“{title}” was sent to medical review instead of being published: this clinic's "
    "own words have {findings} ({first}). Your live page is "
    "unchanged. A medical reviewer will approve it or ask for changes; to publish now "
    "instead, change those words (see Content review below) and publish again."
)
BULK_REFUSAL = "“{title}” was not published: {why} Open it and publish it from its edit view."


def _specific(page):
    return page.specific if hasattr(page, "specific_class") and page.specific_class else page


def latest_content(page):
    """The page as last saved (the revision the edit view just wrote)."""
    revision = page.get_latest_revision()
    return revision.as_object() if revision else page


def publish_refusal(user, page) -> str | None:
    """Why ``user`` may not publish library article ``page`` directly (None: they may)."""
    page = _specific(page)
    if not isinstance(page, LibraryArticlePage) or is_medical_reviewer(user):
        return None
    return LIBRARY_REFUSAL.format(title=page.title)


def blocking_words(page) -> list:
    """Error-level findings in a clinic copy's own words (none for other pages)."""
    page = _specific(page)
    if not isinstance(page, ClinicArticlePage):
        return []
    return errors(review_clinic_words(page))


def error_findings(count: int) -> str:
    return f"{count} error-level {ngettext('finding', 'findings', count)}"


def describe(finding) -> str:
    return f"“{finding.finding.title or finding.finding.rule}” in the {finding.where}"


def send_to_review(page, user):
    """Start (or resume) the copy's "Clinic medical review" workflow on its latest
    revision. Returns the workflow state, or None if there is no workflow."""
    state = page.current_workflow_state
    if state is not None:
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user=user)
        return state
    workflow = clinic_workflow_for(page)
    if workflow is None:
        return None
    return workflow.start(page, user)


@hooks.register("before_publish_page")
def review_before_publishing(request, page):
    page = _specific(page)
    user = request.user
    if isinstance(page, LibraryArticlePage):
        refusal = publish_refusal(user, page)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_pages:edit", page.pk)
        # A medical reviewer publishing it approves this revision.
        record_approval(page.get_latest_revision(), user)
        return None
    if not isinstance(page, ClinicArticlePage):
        return None
    if is_medical_reviewer(user):
        record_approval(page.get_latest_revision(), user)
        return None
    blocking = blocking_words(latest_content(page))
    if not blocking:
        return None
    if send_to_review(page, user) is None:
        messages.error(
            request,
            f"“{page.title}” was not published: this clinic's own words have "
            f"error-level findings ({describe(blocking[0])}) and no "
            f"{CLINIC_WORKFLOW_NAME} workflow is set up. Change those words, or ask the "
            "central team to set up medical review.",
        )
    else:
        messages.warning(
            request,
            SENT_TO_REVIEW.format(
                title=page.title,
                findings=error_findings(len(blocking)),
                first=describe(blocking[0]),
            ),
        )
    return redirect("wagtailadmin_pages:edit", page.pk)


# Kept under its old name for callers that refuse a library publish.
refuse_unreviewed_claims = review_before_publishing


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unreviewed_claims(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    for page in objects:
        page = _specific(page)
        why = None
        if publish_refusal(request.user, page):
            why = "a library article goes live with a medical reviewer's approval."
        elif not is_medical_reviewer(request.user) and (
            blocking := blocking_words(latest_content(page))
        ):
            why = (
                f"this clinic's own words have error-level findings ({describe(blocking[0])}),"
                " so it goes to medical review."
            )
        if why:
            messages.error(request, BULK_REFUSAL.format(title=page.title, why=why))
            return redirect("wagtailadmin_home")
    return None


@hooks.register("construct_page_action_menu")
def hide_refused_publish(menu_items, request, context):
    """Publish is not offered where it would be refused: on a library article, to
    anyone but a medical reviewer (they submit it to the Medical review workflow); on a
    clinic copy whose library article is withdrawn (``blog.SourceWithdrawn``)."""
    page = context.get("page")
    if page is None:
        return
    page = _specific(page)
    if isinstance(page, LibraryArticlePage):
        refused = not is_medical_reviewer(request.user)
    elif isinstance(page, ClinicArticlePage) and page.source_id:
        refused = not page.source.live
    else:
        refused = False
    if refused:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("construct_homepage_panels")
def add_medical_review_queue(request, panels):
    if is_medical_reviewer(request.user):
        panels.append(MedicalReviewQueuePanel())


@hooks.register("register_admin_urls")
def register_network_report_url():
    return [path("reports/content-review/", NetworkReportView.as_view(), name="content_review")]


@hooks.register("register_reports_menu_item")
def register_network_report_menu_item():
    class NetworkReportMenuItem(MenuItem):
        def is_shown(self, request):
            return request.user.has_perm(REPORT_PERMISSION)

    return NetworkReportMenuItem(
        "Content review", reverse("content_review"), icon_name="doc-full", order=700
    )


@hooks.register("after_load_demo")
def add_medical_review_to_demo(library):
    """The demo's workflows and reviewer (Dana Whitfield, MD), who has approved the
    library article and Three Rivers' own words, so both clinics show the byline."""
    setup_medical_review(library)
    reviewer = demo_user("medical-reviewer", groups=[Group.objects.get(name=MEDICAL_REVIEWERS)])
    person = Person.objects.filter(name="Dana Whitfield").first()
    if person is not None:
        ReviewerProfile.objects.get_or_create(user=reviewer, defaults={"person": person})
    for page in LibraryArticlePage.objects.live().descendant_of(library):
        record_approval(page.live_revision, reviewer)
        for copy in ClinicArticlePage.objects.live().filter(source=page):
            if copy.body_overrides.exists():
                record_approval(copy.live_revision, reviewer)


class ReviewerProfileViewSet(ModelViewSet):
    """Settings → Medical reviewer profiles: which Person the byline names when a user
    approves (superusers, or whoever is given the model's permissions)."""

    model = ReviewerProfile
    icon = "user"
    menu_label = "Medical reviewer profiles"
    add_to_settings_menu = True
    form_fields = ["user", "person"]
    list_display = ["user", "person"]


@hooks.register("register_admin_viewset")
def register_reviewer_profiles():
    return ReviewerProfileViewSet("reviewer_profiles")
