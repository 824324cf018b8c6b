"""The admin's forms: what they accept of what is posted.

Wagtail's image chooser lists only the collections an editor may choose from, but a
form posts image ids, and nothing re-checks them on save: an editor could place (and so
publish) an image from another clinic's collection by its id. The clinic page forms
refuse any image, in a field or inside a StreamField, that the editor may not choose,
and bound the text fields their models leave unbounded.

Every StreamField in every admin form (pages, snippets, inline rows) reads its posted
blocks through `GuardedBlockField`: Wagtail's own reader answers a post with a missing
or malformed management field (`body-count`, `body-0-order`, ...) with a 500. And every
chooser (page, image, document, snippet) shows a form again without the posted id when
it is not an id at all: Wagtail's looks it up as is, a 500 (`_chooser_instance`).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Model
from django.forms import ModelMultipleChoiceField
from wagtail.admin import widgets
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.blocks import BlockField, BlockWidget, StreamValue, StructValue
from wagtail.fields import StreamField
from wagtail.images import get_image_model, get_permission_policy

# The message names no image: the editor may not know what is in another collection.
REFUSED_IMAGE = "You may not use this image: it belongs to a collection you cannot choose from."
# Posted keys that hold an image chooser's id inside a StreamField: an ImageBlock's
# "image" child, or an ImageChooserBlock's own value.
IMAGE_KEY_ENDINGS = ("-image", "-value")


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
        refused = {image.pk for image in images if image.pk not in choosable}
        if refused:
            form.add_error(name, REFUSED_IMAGE)
            forget_posted_images(form, name, refused)
            valid = False
    return valid


def forget_posted_images(form, name, refused: set[int]) -> None:
    """Take refused image ids out of the form's data, so that the form shown again
    with its errors does not show those images (their titles, their previews)."""
    data = form.data.copy()
    key = form.add_prefix(name)
    if key in data:
        # A foreign key: back to the image the page has now.
        data[key] = form.initial.get(name) or ""
    refused_ids = {str(pk) for pk in refused}
    for item in list(data):
        if (
            item.startswith(f"{key}-")
            and item.endswith(IMAGE_KEY_ENDINGS)
            and data.get(item) in refused_ids
        ):
            data[item] = ""
    form.data = data


# Text shown on public pages and in JSON-LD that its model does not bound: Wagtail's
# own Page.search_description, and the blog's page fields this form also edits.
TEXT_BOUNDS = {"search_description": 320, "summary_override": 1000}


class ClinicPageForm(WagtailAdminPageForm):
    """The edit form of a clinic's pages: images are checked, in the page's own fields
    and in every inline row's, and unbounded text fields are bounded."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, limit in TEXT_BOUNDS.items():
            field = self.fields.get(name)
            if field is not None and getattr(field, "max_length", 0) is None:
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs["maxlength"] = str(limit)

    def is_valid(self):
        valid = super().is_valid()
        valid = refuse_foreign_images(self, self.for_user) and valid
        for formset in self.formsets.values():
            for form in formset.forms:
                if form not in formset.deleted_forms:
                    valid = refuse_foreign_images(form, self.for_user) and valid
        return valid


# Every other plain text field of every admin form (a blog's intro, a library summary):
# bounded too, generously, so that no form stores megabytes a page then shows. Replaces
# Wagtail's own override for TextField (its auto-height widget, kept), once.
TEXT_FIELD_LIMIT = 10_000
register_form_field_override(
    models.TextField,
    override=lambda db_field: {
        "widget": widgets.AdminAutoHeightTextInput,
        "max_length": db_field.max_length or TEXT_FIELD_LIMIT,
    },
    exact_class=True,
)


# --- StreamFields: a malformed post is a validation error, not a 500 ---------------------

MALFORMED_STREAM = (
    "This content was not sent completely (the page may have been edited in another "
    "window, or the connection interrupted). Reload the page and make your change again."
)


class MalformedStreamValue(StreamValue):
    """What a StreamField reads from a post it cannot read: empty, so the form can be
    shown again, and refused by `GuardedBlockField.clean`."""


class GuardedBlockWidget(BlockWidget):
    def value_from_datadict(self, data, files, name):
        # Wagtail's StreamBlock and ListBlock read `<name>-count`, then each child's
        # `-deleted`, `-type`, `-order` and value keys with data[...] and int(): a key
        # missing or not a number raises, anywhere in the nesting.
        try:
            return super().value_from_datadict(data, files, name)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError, AttributeError):
            return MalformedStreamValue(self.block_def, [])


class GuardedBlockField(BlockField):
    def __init__(self, block=None, **kwargs):
        if block is not None:
            kwargs.setdefault("widget", GuardedBlockWidget(block))
        super().__init__(block=block, **kwargs)

    def clean(self, value):
        if isinstance(value, MalformedStreamValue):
            raise ValidationError(MALFORMED_STREAM, code="malformed")
        return super().clean(value)


# Once for the project: every WagtailAdminModelForm builds its StreamFields' form fields
# through this registry (exact_class=False also covers StreamField subclasses).
register_form_field_override(StreamField, override={"form_class": GuardedBlockField})


# --- Choosers: a posted id that is not an id ----------------------------------------------
# A form shown again with its errors renders each chooser with the value posted. Wagtail's
# BaseChooser.get_instance looks that value up as a primary key and catches only
# DoesNotExist, so `hero_image=abc` (or " ", or 1e309) is a 500 instead of the form's
# "Select a valid choice" message. Every admin chooser widget inherits get_instance, and
# Wagtail offers no hook for it: wrapped here, once, as StreamFields are above.
_wagtail_get_instance = BaseChooser.get_instance


def _chooser_instance(self, value):
    try:
        return _wagtail_get_instance(self, value)
    except (ValueError, TypeError, OverflowError, ValidationError):
        return None  # shown empty; the field's own validation names the error


BaseChooser.get_instance = _chooser_instance


# --- Many-to-many choices: an id too large for the database ----------------------------
# Django's ModelMultipleChoiceField looks each posted id up as is and catches only
# ValueError and TypeError: on SQLite an id beyond 64 bits raises OverflowError (a 500,
# found by the form fuzz on a clinic's "syndication topics"). Such an id is refused as
# any other unknown choice. Registered once, for every many-to-many field of the admin.
MAX_ID = 2**63 - 1


class GuardedModelMultipleChoiceField(ModelMultipleChoiceField):
    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value if isinstance(value, list | tuple | set | frozenset) else [value]:
                try:
                    too_large = abs(int(str(pk).strip())) > MAX_ID
                except (TypeError, ValueError):
                    continue  # Django's own message for what is not an id
                if too_large:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


register_form_field_override(
    models.ManyToManyField, override={"form_class": GuardedModelMultipleChoiceField}
)
