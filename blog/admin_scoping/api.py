"""The admin API's image and document endpoints, scoped to the editor's collections.

Wagtail's admin API lists every image and document (with their file URLs) to anyone
with admin access, hiding only collections with view restrictions; the editor's own
collections and those they may choose from (the shared one) are what they may use.
"""

from wagtail.documents import get_permission_policy as document_policy
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images import get_permission_policy as image_policy
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

COLLECTION_ACTIONS = ["add", "change", "delete", "choose"]


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        usable = image_policy().instances_user_has_any_permission_for(
            self.request.user, COLLECTION_ACTIONS
        )
        return super().get_queryset().filter(pk__in=usable.values("pk"))


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        usable = document_policy().instances_user_has_any_permission_for(
            self.request.user, COLLECTION_ACTIONS
        )
        return super().get_queryset().filter(pk__in=usable.values("pk"))
