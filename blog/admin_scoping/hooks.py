"""The scoping hooks (registered on import, from BlogConfig.ready())."""

from wagtail import hooks
from wagtail.admin.auth import permission_denied

from blog.admin_scoping import bulk_actions  # noqa: F401  (registers the bulk actions)
from blog.admin_scoping.api import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet
from blog.admin_scoping.scope import with_published_titles


@hooks.register("construct_page_chooser_queryset", order=100)
def name_others_pages_by_their_live_title(pages, request):
    # After the hook that narrows the chooser to the editor's pages and the live library
    # (blog.wagtail_hooks): what is left that the editor does not own shows no draft.
    return with_published_titles(pages, request.user)


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    """Wagtail's move confirmation names both pages before checking the move (only the
    POST's action checks it): refuse it as soon as the view opens."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


@hooks.register("construct_admin_api", order=100)
def scope_the_admin_apis_images_and_documents(router):
    # After wagtail.images and wagtail.documents register their endpoints (order 0).
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
