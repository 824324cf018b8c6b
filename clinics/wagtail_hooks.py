"""The shared snippets in the admin: the central team edits them, clinics choose them."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from clinics.models import CallToAction, Person, Topic


class CallToActionViewSet(SnippetViewSet):
    model = CallToAction
    icon = "pick"
    menu_label = "Calls-to-action"
    list_display = ["name", "headline", "link_type"]
    search_fields = ["name", "headline"]


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
