"""Responsive images for the slots of the clinics' templates (`clinics.brand.IMAGE_SLOTS`).

`{% responsive_picture image "article" class="…" %}` renders a `<picture>` of Wagtail
renditions: AVIF and WebP sources, then the fallback format's `<img>` with `srcset`,
`sizes`, `width` and `height`; a slot with a `narrow` crop has sources for phones first
(`media`, with their own `width` and `height`). `{% preload_image image "article" %}` is
the `<link rel="preload">` of the same AVIF renditions (one per crop, each with its
`media`) for the page's `<head>`, so the browser fetches the hero before it has read the
stylesheet. Both read the renditions through Wagtail (its rendition cache, one query when
they are not cached), and make any that are missing.
"""

from django import template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from wagtail.images.models import Filter, ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found

from clinics.brand import IMAGE_SLOTS, NARROW, WIDE

register = template.Library()

MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}


def _renditions(image, slot, formats: tuple[str, ...]) -> dict[str, list]:
    """{(format, narrow?): [renditions, narrowest first]} in one call to Wagtail."""
    crops = (False, True) if slot.narrow else (False,)
    groups = {(fmt, narrow): slot.specs(fmt, narrow=narrow) for fmt in formats for narrow in crops}
    specs = [spec for group in groups.values() for spec in group]
    found = get_renditions_or_not_found(image, [Filter(spec=s) for s in specs])
    return {key: [found[s] for s in group] for key, group in groups.items()}


def _source(renditions, fmt: str, sizes: str, media: str | None) -> str:
    attrs = {"srcset": ResponsiveImage.get_width_srcset(renditions), "sizes": sizes}
    attrs["type"] = MIME[fmt]
    if media:
        # A crop of its own: its proportions, so the browser reserves the right space.
        attrs |= {"media": media, "width": renditions[0].width, "height": renditions[0].height}
    return format_html("<source{}>", flatatt(attrs))


@register.simple_tag
def responsive_picture(image, slot_name: str, **attrs):
    if not image:
        return ""
    slot = IMAGE_SLOTS[slot_name]
    formats = ("avif", "webp", slot.fallback)
    groups = _renditions(image, slot, formats)
    sizes = attrs.setdefault("sizes", slot.sizes_attr)
    attrs.setdefault("decoding", "async")
    sources = []
    if slot.narrow:
        sources += [_source(groups[(fmt, True)], fmt, sizes, NARROW) for fmt in formats]
    sources += [_source(groups[(fmt, False)], fmt, sizes, None) for fmt in formats[:2]]
    fallback = groups[(slot.fallback, False)]
    if len(fallback) > 1:
        attrs["srcset"] = ResponsiveImage.get_width_srcset(fallback)
    img = fallback[0].img_tag(attrs)
    return mark_safe(f"<picture>{''.join(sources)}{img}</picture>")  # noqa: S308 (escaped)


@register.simple_tag
def preload_image(image, slot_name: str):
    if not image:
        return ""
    slot = IMAGE_SLOTS[slot_name]
    groups = _renditions(image, slot, ("avif",))
    if slot.narrow:
        links = [(groups[("avif", True)], NARROW), (groups[("avif", False)], WIDE)]
    else:
        links = [(groups[("avif", False)], None)]
    return format_html_join(
        "",
        '<link rel="preload" as="image" type="image/avif"{} imagesrcset="{}" imagesizes="{}" '
        'fetchpriority="high">',
        (
            (
                format_html(' media="{}"', media) if media else "",
                ResponsiveImage.get_width_srcset(renditions),
                slot.sizes_attr,
            )
            for renditions, media in links
        ),
    )
