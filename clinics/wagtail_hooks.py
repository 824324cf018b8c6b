from django.db.models import Q
from wagtail import hooks
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from clinics.models import CallToAction


class CallToActionViewSet(SnippetViewSet):
    model = CallToAction
    icon = "pick"
    menu_label = "Calls-to-action"
    list_display = ["name", "headline", "link_type"]
    search_fields = ["name", "headline"]


register_snippet(CallToActionViewSet)


@hooks.register("construct_page_chooser_queryset")
def limit_chooser_to_own_clinic(pages, request):
    """Wagtail's page chooser lists every page; a clinic editor sees only the pages
    they may work on, plus the library's published articles (to carry one)."""
    user = request.user
    if user.is_superuser:
        return pages
    from blog.models import LibraryArticlePage

    explorable = PagePermissionPolicy().explorable_instances(user)
    published_library = LibraryArticlePage.objects.live()
    return pages.filter(Q(pk__in=explorable) | Q(pk__in=published_library.values("pk")))
