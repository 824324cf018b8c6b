"""Page forms that keep each clinic's images its own.

Wagtail's image chooser lists only the collections an editor may choose from, but a
form posts image ids, and nothing re-checks them on save: an editor could place (and so
publish) an image from another clinic's collection by its id. These forms refuse any
image, in a field or inside a StreamField, that the editor may not choose.
"""

from django.db.models import Model
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamValue, StructValue
from wagtail.images import get_image_model, get_permission_policy

REFUSED_IMAGE = (
    "You may not use the image “{title}”: it belongs to a collection you cannot choose from."
)


def images_in(value) -> list:
    """Every image in a field value: an image, a StreamField or struct block, a list."""
    image_model = get_image_model()
    if isinstance(value, image_model):
        return [value]
    if isinstance(value, StreamValue):
        return [image for child in value for image in images_in(child.value)]
    if isinstance(value, StructValue | dict):
        return [image for item in value.values() for image in images_in(item)]
    if isinstance(value, list | tuple):
        return [image for item in value for image in images_in(item)]
    return []


def refuse_foreign_images(form, user) -> bool:
    """Add an error to each field of `form` holding an image `user` may not choose."""
    if user is None or user.is_superuser or not hasattr(form, "cleaned_data"):
        return True
    choosable = None
    valid = True
    for name, value in list(form.cleaned_data.items()):
        images = [image for image in images_in(value) if isinstance(image, Model)]
        if not images:
            continue
        if choosable is None:
            policy = get_permission_policy()
            choosable = set(
                policy.instances_user_has_permission_for(user, "choose").values_list(
                    "pk", flat=True
                )
            )
        for image in images:
            if image.pk not in choosable:
                form.add_error(name, REFUSED_IMAGE.format(title=image.title))
                valid = False
                break
    return valid


class ClinicPageForm(WagtailAdminPageForm):
    """The edit form of a clinic's pages: images are checked, in the page's own fields
    and in every inline row's."""

    def is_valid(self):
        valid = super().is_valid()
        valid = refuse_foreign_images(self, self.for_user) and valid
        for formset in self.formsets.values():
            for form in formset.forms:
                if form not in formset.deleted_forms:
                    valid = refuse_foreign_images(form, self.for_user) and valid
        return valid
