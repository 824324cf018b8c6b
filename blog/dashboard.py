"""Dashboard, for a clinic's editors: the library articles that reached their clinic
since they last signed in, as copies they may edit (live or waiting as drafts)."""

from django.utils.functional import cached_property
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from blog.admin_views import VIEW_PERMISSION
from blog.models import ClinicArticlePage, EditorVisit

PANEL_COPIES = 10


def editable_copies(user):
    """The clinic copies `user` may edit (Wagtail's page permissions)."""
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return ClinicArticlePage.objects.filter(pk__in=editable.values("pk"))


class NewLibraryArticlesPanel(Component):
    name = "new_library_articles"
    template_name = "blog/admin/new_library_articles_panel.html"
    order = 130

    def __init__(self, user):
        self.user = user

    @cached_property
    def since(self):
        return EditorVisit.previous_sign_in_of(self.user)

    @cached_property
    def copies(self):
        copies = editable_copies(self.user).filter(source__first_published_at__isnull=False)
        if self.since is not None:
            copies = copies.filter(source__first_published_at__gt=self.since)
        return list(
            copies.select_related("source").order_by("-source__first_published_at", "pk")[
                :PANEL_COPIES
            ]
        )

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["copies"] = self.copies
        context["since"] = self.since
        return context

    @staticmethod
    def is_shown_to(user) -> bool:
        # The central team sees the network's panels instead of every clinic's copies.
        return not user.has_perm(VIEW_PERMISSION)
