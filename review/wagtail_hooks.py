"""Admin hooks: a library article with error-level findings goes live only with a
medical reviewer's approval (through the "Medical review" workflow)."""

from django.contrib import messages
from django.contrib.auth.models import Group
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from blog.demo import demo_user
from blog.models import LibraryArticlePage
from clinics.provisioning import MEDICAL_REVIEWERS
from review.pages import errors, review_library_article
from review.views import REPORT_PERMISSION, NetworkReportView
from review.workflow import is_medical_reviewer, setup_medical_review

BLOCKED = (
    "“{title}” has {count} error-level medical-claims finding(s): it needs a medical "
    "reviewer's approval. Your changes are saved as a draft; submit it to the "
    "Medical review workflow."
)


def publish_refusal(user, page) -> str | None:
    """Why ``user`` may not publish ``page`` directly (None: they may)."""
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, LibraryArticlePage) or is_medical_reviewer(user):
        return None
    blocking = errors(review_library_article(page))
    if not blocking:
        return None
    return BLOCKED.format(title=page.title, count=len(blocking))


@hooks.register("before_publish_page")
def refuse_unreviewed_claims(request, page):
    refusal = publish_refusal(request.user, page)
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unreviewed_claims(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    for page in objects:
        refusal = publish_refusal(request.user, page)
        if refusal:
            messages.error(request, refusal)
            return redirect("wagtailadmin_home")
    return None


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
    setup_medical_review(library)
    demo_user("medical-reviewer", groups=[Group.objects.get(name=MEDICAL_REVIEWERS)])
