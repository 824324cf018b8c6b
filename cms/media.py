"""Where uploaded images, their renditions and documents are kept.

Without ``MEDIA_S3_BUCKET`` (the demo, development, tests): local files under
``MEDIA_ROOT``, which only the machine that received them can serve. With it: an
S3-compatible bucket through django-storages, which every app server and worker reads and
writes, so any machine serves any image.

The media URLs are public and stable (no signed query string): cached pages and the CDN
keep them for a day. The bucket's policy decides what anyone may read (README: images
public, documents not); documents are served through Wagtail's view, which checks their
collection's privacy, rather than by a redirect to the bucket.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class S3Media:
    bucket: str
    endpoint_url: str = ""  # an S3-compatible server; AWS itself when empty
    region: str = ""
    custom_domain: str = ""  # a CDN in front of the bucket, named in the media URLs

    @property
    def storage(self) -> dict:
        """The ``STORAGES["default"]`` entry."""
        options = {
            "bucket_name": self.bucket,
            # Wagtail names files itself; an upload never replaces another's file.
            "file_overwrite": False,
            "querystring_auth": False,
            "default_acl": None,  # the bucket's policy decides, not each object
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        }
        if self.endpoint_url:
            # Path-style URLs: S3-compatible servers rarely have a name per bucket.
            options |= {"endpoint_url": self.endpoint_url, "addressing_style": "path"}
        if self.region:
            options["region_name"] = self.region
        if self.custom_domain:
            options |= {"custom_domain": self.custom_domain, "url_protocol": "https:"}
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}

    @property
    def origin(self) -> str:
        """Where the media URLs point, for the pages' ``img-src``."""
        if self.custom_domain:
            return f"https://{self.custom_domain}"
        if self.endpoint_url:
            parts = urlsplit(self.endpoint_url)
            return f"{parts.scheme}://{parts.netloc}"
        return f"https://{self.bucket}.s3.amazonaws.com"


def serve_rendition(request, path: str):
    """One rendition file from local media, cached by browsers for a day (as the bucket's
    are): for the demo and the audit, which serve with DEBUG off and no bucket."""
    from django.conf import settings
    from django.utils.cache import patch_cache_control
    from django.views.static import serve

    response = serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "images")
    patch_cache_control(response, public=True, max_age=86400)
    return response
