"""The shared snippets in the admin: the central team edits them, clinics choose them."""

from django.urls import reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from clinics import two_factor
from clinics.models import CallToAction, Person, Topic


class CallToActionViewSet(SnippetViewSet):
    model = CallToAction
    icon = "pick"
    menu_label = "Calls-to-action"
    list_display = ["name", "headline", "link_type"]
    # Searched through the model's own index (name, headline): a viewset's search_fields
    # restrict the query to columns that SQLite's full-text table does not have (a 500).


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "credentials", "job_title"]


class LibraryMetadataGroup(SnippetViewSetGroup):
    items = (TopicViewSet, PersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Library"
    menu_name = "library"


register_snippet(CallToActionViewSet)
register_snippet(LibraryMetadataGroup)


# --- the second factor (clinics/two_factor.py) ----------------------------------------


@hooks.register("register_admin_urls")
def two_factor_urls():
    return two_factor.urlpatterns


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("clinics_two_factor_setup"),
        "label": "Two-factor authentication",
        "help_text": "Ask for a code from an authenticator app at each sign-in.",
    }
