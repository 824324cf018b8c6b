from django.db.models import Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.models import ClinicArticlePage, LibraryArticlePage


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
