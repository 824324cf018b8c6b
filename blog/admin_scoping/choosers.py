"""The page chooser's views, scoped to the pages the editor may see."""

from django.http import Http404
from django.urls import reverse
from wagtail.admin.views import chooser
from wagtail.models import Page

from blog.admin_scoping.scope import can_navigate, show_as_published, visible_pages


class ScopedBrowseView(chooser.BrowseView):
    """Wagtail hides the children the editor may not choose (the hooks), but shows the
    page being browsed, whatever its id: only a page the editor may see, or one of its
    ancestors, may be browsed."""

    def get_object_list(self):
        user = self.request.user
        if not can_navigate(user, self.parent_page):
            if self.kwargs.get("parent_page_id"):
                raise Http404
            # Wagtail starts a page type's chooser at the first common ancestor of every
            # page of that type, drafts included: start at the root instead.
            self.parent_page = Page.get_first_root_node().specific
        show_as_published(user, self.parent_page)
        return super().get_object_list()


class ScopedChosenMultipleView(chooser.ChosenMultipleView):
    """Answers the chosen pages' titles and URLs: only for pages the editor may see."""

    def get(self, request):
        ids = [pk for pk in request.GET.getlist("id") if pk.isdigit()]
        pages = visible_pages(request.user).filter(pk__in=ids).specific()
        result = [
            {
                "id": page.pk,
                "parentId": page.get_parent().pk,
                "adminTitle": show_as_published(request.user, page).get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return self.render_chosen_response(result)
