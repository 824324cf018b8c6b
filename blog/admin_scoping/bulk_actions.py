"""Wagtail's bulk actions (pages, images, documents), naming only what the editor may see.

A bulk action's confirmation page takes any ids (``?id=…``) and lists those the user may
not act on by title, "You don't have permission to delete these pages: …": another
clinic's page titles, the library's draft titles, another collection's image and
document titles. Each action here is Wagtail's own, registered in its place
(``register_bulk_action``, the registry keeps the last class per model and action),
with the objects the user may not see left out of that list; the pages the user may see
but not own (the live library) are named by their live titles.
"""

from wagtail import hooks
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.documents import get_permission_policy as document_policy
from wagtail.documents.views import bulk_actions as document_actions
from wagtail.images import get_permission_policy as image_policy
from wagtail.images.views import bulk_actions as image_actions

from blog.admin_scoping.api import COLLECTION_ACTIONS
from blog.admin_scoping.scope import show_as_published, visible_pages


class VisibleItemsOnlyMixin:
    def visible_ids(self, objects) -> set:
        raise NotImplementedError

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra["items_with_no_access"]
        if refused and not self.request.user.is_superuser:
            visible = self.visible_ids(refused)
            extra["items_with_no_access"] = [obj for obj in refused if obj.pk in visible]
        return objects, extra


class PageMixin(VisibleItemsOnlyMixin):
    def visible_ids(self, pages):
        ids = [page.pk for page in pages]
        return set(visible_pages(self.request.user).filter(pk__in=ids).values_list("pk", flat=True))

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        for page in extra["items_with_no_access"]:
            show_as_published(self.request.user, page)
        return objects, extra

    def object_context(self, obj):
        context = super().object_context(obj)
        show_as_published(self.request.user, context["item"])
        return context


class CollectionMixin(VisibleItemsOnlyMixin):
    policy = None

    def visible_ids(self, objects):
        usable = (
            type(self)
            .policy()
            .instances_user_has_any_permission_for(self.request.user, COLLECTION_ACTIONS)
        )
        return set(usable.filter(pk__in=[obj.pk for obj in objects]).values_list("pk", flat=True))


class ImageMixin(CollectionMixin):
    policy = staticmethod(image_policy)


class DocumentMixin(CollectionMixin):
    policy = staticmethod(document_policy)


def scoped(mixin, action_class):
    return type(action_class.__name__, (mixin, action_class), {"__module__": __name__})


SCOPED_ACTIONS = [
    *(scoped(PageMixin, getattr(page_actions, name)) for name in page_actions.__all__),
    *(scoped(ImageMixin, getattr(image_actions, name)) for name in image_actions.__all__),
    *(scoped(DocumentMixin, getattr(document_actions, name)) for name in document_actions.__all__),
]

for action_class in SCOPED_ACTIONS:
    # After Wagtail's own registrations (order 0): the registry keeps the last one.
    hooks.register("register_bulk_action", action_class, order=100)
