"""Responsive images for the slots of the clinics' templates (`clinics.brand.IMAGE_SLOTS`).

`{% responsive_picture image "article" class="…" %}` renders Wagtail's `<picture>`: AVIF
and WebP sources, then the fallback format's `<img>` with `srcset`, `sizes`, `width` and
`height`. `{% preload_image image "article" %}` is the `<link rel="preload">` of the same
AVIF renditions for the page's `<head>`, so the browser fetches the hero before it has
read the stylesheet. Both read the renditions through Wagtail (its rendition cache, one
query when they are not cached), and make any that are missing.
"""

from django import template
from django.utils.html import format_html
from wagtail.images.models import Filter, Picture, ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found

from clinics.brand import IMAGE_SLOTS

register = template.Library()


def _renditions(image, slot: str, formats: tuple[str, ...]):
    spec = IMAGE_SLOTS[slot]
    filters = [Filter(spec=s) for fmt in formats for s in spec.specs(fmt)]
    return get_renditions_or_not_found(image, filters)


@register.simple_tag
def responsive_picture(image, slot: str, **attrs):
    if not image:
        return ""
    spec = IMAGE_SLOTS[slot]
    renditions = _renditions(image, slot, ("avif", "webp", spec.fallback))
    attrs.setdefault("sizes", spec.sizes_attr)
    attrs.setdefault("decoding", "async")
    return Picture(renditions, attrs)


@register.simple_tag
def preload_image(image, slot: str):
    if not image:
        return ""
    renditions = list(_renditions(image, slot, ("avif",)).values())
    return format_html(
        '<link rel="preload" as="image" type="image/avif" imagesrcset="{}" imagesizes="{}" '
        'fetchpriority="high">',
        ResponsiveImage.get_width_srcset(renditions),
        IMAGE_SLOTS[slot].sizes_attr,
    )
