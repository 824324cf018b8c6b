"""Per-domain files of a clinic: robots.txt, favicon and the default social card.

Each answers for the clinic whose Site serves the request's host; an unknown host
gets a robots.txt that keeps everything out and 404s for the rest.
"""

import io
import re

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from clinics.models import ClinicHomePage

# Everything editors see, including previews and "view draft" (all under /admin/).
DISALLOWED = ["/admin/", "/documents/"]


@require_safe
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    clinic = ClinicHomePage.for_request(request)
    if clinic is None:
        body = "User-agent: *\nDisallow: /\n"
    else:
        root = Site.find_for_request(request).root_url
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
        lines += ["", f"Sitemap: {root}/sitemap.xml"]
        body = "\n".join(lines) + "\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in {"of", "the", "and"}]
    return "".join(w[0] for w in words[:2]).upper() or "?"


@require_safe
@cache_control(max_age=86400, public=True)
def favicon_svg(request):
    clinic = ClinicHomePage.for_request(request)
    if clinic is None:
        raise Http404
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{escape(clinic.brand_colour)}"/>'
        '<text x="32" y="42" font-family="system-ui,Arial,sans-serif" font-size="28" '
        f'font-weight="700" fill="#fff" text-anchor="middle">{escape(initials(clinic.title))}'
        "</text></svg>"
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@require_safe
def brand_css(request):
    """The clinic's colours and type pairing as CSS custom properties, in a stylesheet
    rather than inline, so pages need no CSP nonce and cached pages stay valid
    (`templates/base.html`)."""
    clinic = ClinicHomePage.for_request(request)
    if clinic is None:
        raise Http404
    colours = {
        name: value if re.fullmatch(r"#[0-9a-fA-F]{3,8}", value or "") else "inherit"
        for name, value in (("brand", clinic.brand_colour), ("accent", clinic.accent_colour))
    }
    # The stacks are the project's own constants (clinics.brand), never an editor's text.
    pairing = clinic.type
    css = (
        f":root{{--brand:{colours['brand']};--accent:{colours['accent']};"
        f"--font-heading:{pairing.heading};--font-body:{pairing.body};"
        f"--heading-weight:{pairing.heading_weight}}}\n"
    )
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == clinic.brand_version:
        patch_cache_control(response, public=True, max_age=31536000, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response


def favicon_ico(request):
    return HttpResponsePermanentRedirect("/favicon.svg")


@require_safe
@cache_control(max_age=86400, public=True)
def social_card(request):
    """A 1200×630 PNG in the clinic's colours: the share image of pages with none."""
    from PIL import Image, ImageDraw, ImageFont

    clinic = ClinicHomePage.for_request(request)
    if clinic is None:
        raise Http404
    image = Image.new("RGB", (1200, 630), clinic.brand_colour)
    draw = ImageDraw.Draw(image)
    title = ImageFont.load_default(size=72)
    small = ImageFont.load_default(size=40)
    draw.text((80, 220), clinic.title, fill="#ffffff", font=title)
    place = ", ".join(x for x in (clinic.city, clinic.region) if x)
    if place:
        draw.text((80, 330), place, fill="#ffffff", font=small)
    if clinic.phone:
        draw.text((80, 400), clinic.phone, fill="#ffffff", font=small)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return HttpResponse(buffer.getvalue(), content_type="image/png")
