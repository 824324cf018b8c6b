"""The demo's images, drawn here with Pillow: nothing is downloaded, nothing is a photo.

Each is abstract and geometric, drawn from fixed shapes and a seeded random generator,
so a second build draws the same pixels (the tests compare the bytes). The clinics'
logos are simple marks on a white disc (Nova's eight-pointed star, Three Rivers' three
waves); the heroes are shapes in each brand's colours (Nova: overlapping circles; Three
Rivers: river bands; the library article: a calm horizon; Three Rivers' own image for
that article: bands under a low sun). `blog.demo` stores them as Wagtail images (`store`)
in the clinics' collections and the shared one.
"""

# ruff: noqa: S311  (a seeded generator draws the same shapes each build; no secret)
import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

SCALE = 2  # drawn at twice the size, then reduced: smooth edges without Pillow's antialias
HERO = (1920, 1080)
LOGO = 512


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(size, top, bottom) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        column.putpixel((0, y), _mix(top, bottom, y / max(1, height - 1)))
    return column.resize(size)


def _finish(canvas: Image.Image, size, fmt: str) -> bytes:
    image = canvas.resize(size, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=88, optimize=True)
    return buffer.getvalue()


# --- logos ---------------------------------------------------------------------------


def _disc() -> tuple[Image.Image, ImageDraw.ImageDraw, int]:
    size = LOGO * SCALE
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((0, 0, size - 1, size - 1), fill=(255, 255, 255, 255))
    return canvas, draw, size


def star_logo(brand: str, accent: str) -> bytes:
    """An eight-pointed star (a nova) in the brand colour, a small accent disc at its heart."""
    canvas, draw, size = _disc()
    centre, outer, inner = size / 2, size * 0.38, size * 0.16
    points = []
    for n in range(16):
        radius = outer if n % 2 == 0 else inner
        angle = math.pi / 8 * n - math.pi / 2
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=_hex(brand))
    r = size * 0.07
    heart = _mix(_hex(accent), (255, 255, 255), 0.6)
    draw.ellipse((centre - r, centre - r, centre + r, centre + r), fill=heart)
    return _finish(canvas, (LOGO, LOGO), "PNG")


def waves_logo(brand: str, accent: str) -> bytes:
    """Three waves (three rivers) across the disc: brand, accent, brand."""
    canvas, draw, size = _disc()
    half = size * 0.0375  # half the band's thickness
    for n, colour in enumerate((brand, accent, brand)):
        y0 = size * (0.34 + 0.16 * n)
        xs = range(round(size * 0.16), round(size * 0.84) + 1, 4)
        middle = [(x, y0 + size * 0.05 * math.sin(x / size * 2 * math.pi * 1.5)) for x in xs]
        upper = [(x, y - half) for x, y in middle]
        lower = [(x, y + half) for x, y in reversed(middle)]
        draw.polygon(upper + lower, fill=_hex(colour))
    return _finish(canvas, (LOGO, LOGO), "PNG")


# --- heroes --------------------------------------------------------------------------


def circles_hero(brand: str, accent: str, seed: str) -> bytes:
    """Translucent circles in the brand's blues over a pale sky."""
    rng = random.Random(seed)
    size = (HERO[0] * SCALE, HERO[1] * SCALE)
    base = _gradient(size, (232, 241, 250), (250, 252, 255)).convert("RGBA")
    palette = [_hex(brand), _hex(accent), (120, 170, 220), (190, 215, 240)]
    for _ in range(14):
        layer = Image.new("RGBA", size, (0, 0, 0, 0))
        r = rng.uniform(0.08, 0.3) * size[1]
        x, y = rng.uniform(0.05, 0.95) * size[0], rng.uniform(0.05, 0.95) * size[1]
        colour = (*rng.choice(palette), rng.randint(60, 150))
        ImageDraw.Draw(layer).ellipse((x - r, y - r, x + r, y + r), fill=colour)
        base = Image.alpha_composite(base, layer)
    return _finish(base, HERO, "JPEG")


def rivers_hero(brand: str, accent: str, seed: str, *, sun: bool = False) -> bytes:
    """Layered river bands, each a sine of its own phase, in greens and an ochre."""
    rng = random.Random(seed)
    size = (HERO[0] * SCALE, HERO[1] * SCALE)
    base = _gradient(size, (246, 240, 226), (228, 238, 230)).convert("RGBA")
    draw = ImageDraw.Draw(base)
    if sun:
        r = size[1] * 0.16
        cx, cy = size[0] * 0.72, size[1] * 0.3
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(236, 190, 120))
    colours = [(160, 200, 180), _hex(accent), (90, 150, 130), _hex(brand), (40, 90, 80)]
    for n, colour in enumerate(colours):
        top = size[1] * (0.35 + 0.13 * n)
        phase, amplitude = rng.uniform(0, 2 * math.pi), size[1] * rng.uniform(0.03, 0.07)
        outline = [
            (x, top + amplitude * math.sin(x / size[0] * 2 * math.pi * 1.2 + phase))
            for x in range(0, size[0] + 16, 16)
        ]
        draw.polygon([*outline, (size[0], size[1]), (0, size[1])], fill=colour)
    return _finish(base, HERO, "JPEG")


def horizon_hero(seed: str) -> bytes:
    """A calm horizon: a soft sun over layered hills in teal and lavender (the library's)."""
    rng = random.Random(seed)
    size = (HERO[0] * SCALE, HERO[1] * SCALE)
    base = _gradient(size, (214, 222, 240), (244, 236, 230))
    mask = Image.new("L", size, 0)
    r = size[1] * 0.22
    cx, cy = size[0] * rng.uniform(0.3, 0.7), size[1] * 0.42
    ImageDraw.Draw(mask).ellipse((cx - r, cy - r, cx + r, cy + r), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(size[1] * 0.02))
    base.paste(Image.new("RGB", size, (255, 214, 170)), (0, 0), mask)
    draw = ImageDraw.Draw(base)
    for n, colour in enumerate([(170, 170, 205), (120, 150, 175), (70, 120, 130), (40, 85, 95)]):
        top = size[1] * (0.5 + 0.11 * n)
        phase = rng.uniform(0, 2 * math.pi)
        outline = [
            (x, top + size[1] * 0.05 * math.sin(x / size[0] * 2 * math.pi * 0.8 + phase))
            for x in range(0, size[0] + 16, 16)
        ]
        draw.polygon([*outline, (size[0], size[1]), (0, size[1])], fill=colour)
    return _finish(base, HERO, "JPEG")


# --- into Wagtail ----------------------------------------------------------------------


def store(title: str, data: bytes, filename: str, collection, description: str = ""):
    from wagtail.images import get_image_model

    image = get_image_model()(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(io.BytesIO(data), name=filename),
    )
    image._set_file_hash()
    image.save()
    return image
