"""What a clinic's brand chooses beyond its colours: a type pairing and a home layout.

The type pairings are a small vetted set of system font stacks (after the "modern font
stacks" families): nothing is loaded from another server, every stack ends in a generic
family, and each was checked for the readable sizes and weights the stylesheet uses. A
clinic picks one; `/brand.css` (clinics.views.brand_css) sets them as `--font-heading`
and `--font-body`, which `cms/static/css/site.css` reads.
"""

from dataclasses import dataclass

from django.db import models

SYSTEM_SANS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", '
    "Arial, sans-serif"
)
HUMANIST_SANS = (
    'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif'
)
OLD_STYLE_SERIF = (
    '"Iowan Old Style", "Palatino Linotype", "URW Palladio L", P052, "DejaVu Serif", Georgia, serif'
)
TRANSITIONAL_SERIF = (
    'Charter, "Bitstream Charter", "Sitka Text", Cambria, "Liberation Serif", serif'
)
ROUNDED_SANS = (
    'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, '
    '"Arial Rounded MT", "Arial Rounded MT Bold", Calibri, source-sans-pro, sans-serif'
)


@dataclass(frozen=True)
class TypePairing:
    label: str
    heading: str
    body: str
    heading_weight: int


class TypePairings(models.TextChoices):
    SYSTEM = "system", "Clean: the reader's system sans-serif throughout"
    CLASSIC = "classic", "Classic: old-style serif headings, humanist sans-serif text"
    EDITORIAL = "editorial", "Editorial: transitional serif headings and text"
    FRIENDLY = "friendly", "Friendly: rounded headings, humanist sans-serif text"


TYPE_PAIRINGS: dict[str, TypePairing] = {
    TypePairings.SYSTEM: TypePairing(TypePairings.SYSTEM.label, SYSTEM_SANS, SYSTEM_SANS, 700),
    TypePairings.CLASSIC: TypePairing(
        TypePairings.CLASSIC.label, OLD_STYLE_SERIF, HUMANIST_SANS, 600
    ),
    TypePairings.EDITORIAL: TypePairing(
        TypePairings.EDITORIAL.label, TRANSITIONAL_SERIF, TRANSITIONAL_SERIF, 700
    ),
    TypePairings.FRIENDLY: TypePairing(
        TypePairings.FRIENDLY.label, ROUNDED_SANS, HUMANIST_SANS, 700
    ),
}


class HomeLayouts(models.TextChoices):
    SPLIT = "split", "Split: the clinic's words beside its image"
    BANNER = "banner", "Banner: a wide image above the clinic's words"


def pairing_for(key: str) -> TypePairing:
    """The pairing a clinic chose; an unknown key (a removed pairing) reads as the default."""
    return TYPE_PAIRINGS.get(key) or TYPE_PAIRINGS[TypePairings.SYSTEM]


@dataclass(frozen=True)
class ImageSlot:
    """Where an image shows: the renditions it is cut to (Wagtail filter specs, one per
    width, each made as AVIF, WebP and the fallback format) and the `sizes` attribute
    telling the browser how wide the slot is, so it fetches the smallest that fits.
    `narrow`, when set, is a taller crop for phones (screens under 36rem, `NARROW`)."""

    sizes: tuple[str, ...]
    sizes_attr: str
    fallback: str = "jpeg"
    narrow: tuple[str, ...] = ()

    def specs(self, fmt: str, *, narrow: bool = False) -> list[str]:
        return [f"format-{fmt}|{size}" for size in (self.narrow if narrow else self.sizes)]


NARROW = "(max-width: 35.99rem)"
WIDE = "(min-width: 36rem)"


# The container is 60rem wide with 1.25rem padding each side (cms/static/css/site.css).
IMAGE_SLOTS = {
    # Beside the clinic's words from 48rem up (about half the container), full width below.
    "home-split": ImageSlot(
        ("fill-480x360", "fill-720x540", "fill-960x720"),
        "(min-width: 60rem) 28rem, (min-width: 48rem) 46vw, calc(100vw - 2.5rem)",
    ),
    # The container's width, at every width.
    "home-banner": ImageSlot(
        ("fill-480x200", "fill-960x400", "fill-1440x600"),
        "(min-width: 60rem) 57.5rem, calc(100vw - 2.5rem)",
    ),
    # 16:9, and 4:3 on a phone, where a 16:9 image is shorter than the intro beside it.
    "article": ImageSlot(
        ("fill-480x270", "fill-960x540", "fill-1440x810"),
        "(min-width: 60rem) 46rem, calc(100vw - 2.5rem)",
        narrow=("fill-480x360", "fill-960x720"),
    ),
    # Cards: a grid of 16rem-or-wider columns; one column on a phone.
    "card": ImageSlot(
        ("fill-400x225", "fill-800x450"),
        "(min-width: 60rem) 18rem, (min-width: 36rem) 45vw, calc(100vw - 2.5rem)",
    ),
    # The header's mark, 48 CSS pixels square; PNG keeps its transparency.
    "logo": ImageSlot(("fill-48x48", "fill-96x96"), "48px", fallback="png"),
}
