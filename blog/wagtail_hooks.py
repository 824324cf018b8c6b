from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.models import ClinicArticlePage, LibraryArticlePage, SourceWithdrawn


@hooks.register("construct_page_chooser_queryset")
def limit_chooser_to_own_clinic(pages, request):
    """Wagtail's page chooser lists every page; a clinic editor sees only the pages
    they may work on, plus the library's published articles (to carry one)."""
    user = request.user
    if user.is_superuser:
        return pages
    explorable = PagePermissionPolicy().explorable_instances(user)
    published_library = LibraryArticlePage.objects.live()
    return pages.filter(Q(pk__in=explorable) | Q(pk__in=published_library.values("pk")))


@hooks.register("construct_clinic_home_context")
def latest_articles(clinic, request, context):
    context["latest_articles"] = ClinicArticlePage.objects.for_listing(clinic)[:6]


def _withdrawn(page) -> bool:
    page = page.specific
    return isinstance(page, ClinicArticlePage) and bool(page.source_id) and not page.source.live


@hooks.register("before_publish_page")
def refuse_publishing_a_withdrawn_copy(request, page):
    """The model refuses it on every path (`ClinicArticlePage.save`); here the editor
    gets a message instead of an error, and the edit stays saved as a draft."""
    if _withdrawn(page):
        messages.error(request, SourceWithdrawn.MESSAGE)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_withdrawn_copies(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(_withdrawn(page) for page in objects):
        messages.error(request, SourceWithdrawn.MESSAGE)
        return redirect("wagtailadmin_home")
    return None
