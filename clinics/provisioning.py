"""Setting up a clinic: its pages, its Site, and who may touch what.

Permissions are Wagtail's own: one group per clinic, one central team, through page,
collection and model permissions.

A clinic's editors get page permissions on their clinic's home page (so on its facts,
its blog and its article copies, nothing else), their own image collection, and may
*choose* the shared snippets but not change them. The central team owns the library
and the shared snippets.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from clinics.models import ClinicHomePage

PAGE_ACTIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
IMAGE_ACTIONS = ("add_image", "change_image", "choose_image")
CENTRAL_TEAM = "Central content team"
MEDICAL_REVIEWERS = "Medical reviewers"
SHARED_COLLECTION = "Shared"
SHARED_SNIPPETS = (("clinics", "calltoaction"), ("clinics", "topic"), ("clinics", "person"))


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _model_permissions(app_label: str, model: str, actions) -> list[Permission]:
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    return [
        Permission.objects.get(content_type=content_type, codename=f"{action}_{model}")
        for action in actions
    ]


def _grant_pages(group: Group, page) -> None:
    for codename in PAGE_ACTIONS:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission("wagtailcore", codename)
        )


def _grant_images(group: Group, collection: Collection, actions=IMAGE_ACTIONS) -> None:
    for codename in actions:
        GroupCollectionPermission.objects.get_or_create(
            group=group,
            collection=collection,
            permission=permission("wagtailimages", codename),
        )


def collection_named(name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def provision_clinic(clinic) -> Group:
    """Create (or complete) the editor group and image collection of one clinic."""
    group, _ = Group.objects.get_or_create(name=f"{clinic.title} editors")
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    for app_label, model in SHARED_SNIPPETS:
        group.permissions.add(*_model_permissions(app_label, model, ["view"]))
    _grant_pages(group, clinic)
    _grant_images(group, collection_named(clinic.title))
    _grant_images(group, collection_named(SHARED_COLLECTION), actions=("choose_image",))
    return group


def provision_central_team(library) -> Group:
    group, _ = Group.objects.get_or_create(name=CENTRAL_TEAM)
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    for app_label, model in SHARED_SNIPPETS:
        group.permissions.add(
            *_model_permissions(app_label, model, ["add", "change", "delete", "view"])
        )
    _grant_pages(group, library)
    _grant_images(group, collection_named(SHARED_COLLECTION))
    # The publishing runs report (Reports → Publishing runs) covers every clinic: the
    # central team reads it and retries failed jobs. By label, since clinics never
    # imports blog.
    group.permissions.add(
        permission("blog", "view_syndicationrun"), permission("blog", "change_syndicationrun")
    )
    return group


@transaction.atomic
def create_clinic_site(*, title: str, hostname: str, port: int = 80, **facts):
    """A clinic's home page, its Site, and its editors group and collection."""
    root = Page.get_first_root_node()
    clinic = root.add_child(instance=ClinicHomePage(title=title, **facts))
    clinic.save_revision().publish()
    Site.objects.create(
        hostname=hostname, port=port, root_page=clinic, site_name=title, is_default_site=False
    )
    provision_clinic(clinic)
    return clinic
