"""The shared snippets in the admin: the central team edits them, clinics choose them."""

from django.db import models
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.html import escape
from wagtail import hooks
from wagtail.admin.compare import ForeignObjectComparison, TextDiff, register_comparison_class
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
    list_display = ["name", "slug", "call_to_action"]


class CallToActionComparison(ForeignObjectComparison):
    """Revisions compared: an empty call-to-action field says which one is shown
    instead (Wagtail's comparison reads "None")."""

    def empty_label(self) -> str:
        if self.field.name == "default_call_to_action":
            return "None chosen: only articles whose topic has a call-to-action show one"
        return "Not chosen: the article topic's call-to-action, or the clinic's default"

    def htmldiff(self):
        obj_a, obj_b = self.get_objects()
        a = force_str(obj_a) if obj_a else self.empty_label()
        b = force_str(obj_b) if obj_b else self.empty_label()
        return escape(a) if a == b else TextDiff([("deletion", a), ("addition", b)]).to_html()


register_comparison_class(
    models.ForeignKey, to=CallToAction, comparison_class=CallToActionComparison
)


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
