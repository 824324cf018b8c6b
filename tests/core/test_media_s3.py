"""Media in object storage: an image uploaded through the admin lands in an S3 bucket, and a
clinic's page shows its renditions from there. The S3 server is moto's, started by the
test on 127.0.0.1 (no other address is ever asked: credentials are given, the instance
metadata lookup is off)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import requests
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.media import S3Media
from tests.factories import make_library_article

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "clinic-media"


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    media = S3Media(bucket=BUCKET, endpoint_url=f"http://{host}:{port}", region="us-east-1")
    bucket = boto3.client("s3", endpoint_url=media.endpoint_url, region_name="us-east-1")
    bucket.create_bucket(Bucket=BUCKET)
    # The README's policy: anyone may read images, nothing else.
    public = [f"arn:aws:s3:::{BUCKET}/{prefix}/*" for prefix in ("original_images", "images")]
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": public}
    policy = {"Version": "2012-10-17", "Statement": [statement]}
    bucket.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    # What cms.settings.base does with MEDIA_S3_BUCKET (test_settings_from_the_environment).
    settings.STORAGES = {**settings.STORAGES, "default": media.storage}
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "img-src": [*settings.SECURE_CSP["img-src"], media.origin],
    }
    settings.MEDIA_ROOT = "/nonexistent/media"  # nothing may be written locally
    yield media, bucket
    server.stop()


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (40, 110, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def keys(bucket, prefix: str) -> list[str]:
    listing = bucket.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_an_uploaded_image_is_served_from_the_bucket_on_a_clinic_page(s3, nova, client):
    media, bucket = s3
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(admin)
    response = client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Calm room",
            "file": SimpleUploadedFile("calm-room.png", png(1600, 900), "image/png"),
            "collection": Collection.get_first_root_node().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    image = get_image_model().objects.get(title="Calm room")
    assert (image.width, image.height) == (1600, 900)
    assert keys(bucket, "original_images/") == [image.file.name]

    make_library_article(title="Rooms", hero_image=image)
    client.logout()
    page = client.get("/blog/rooms/", HTTP_HOST="nova.localhost")
    assert page.status_code == 200
    img = BeautifulSoup(page.content, "html.parser").select_one("picture img")
    src = img["src"]
    assert src.startswith(f"{media.origin}/{BUCKET}/images/"), src
    assert media.origin in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    # The browser's request: the rendition itself, from the bucket.
    served = requests.get(src, timeout=10)
    assert served.status_code == 200
    rendition = PILImage.open(io.BytesIO(served.content))
    assert rendition.size == (int(img["width"]), int(img["height"])) != (1600, 900)
    assert served.headers["Cache-Control"] == "public, max-age=86400"
    assert len(keys(bucket, "images/")) >= 3  # avif, webp and jpeg at each width


def test_settings_from_the_environment():
    """MEDIA_S3_* in the environment: the bucket is the default storage, its origin is in
    the pages' img-src, documents are served through Wagtail's view; without: files."""
    read = (
        "import json, importlib; s = importlib.import_module('cms.settings.test');"
        "print(json.dumps([s.STORAGES['default'], [str(v) for v in s.SECURE_CSP['img-src']],"
        " getattr(s, 'WAGTAILDOCS_SERVE_METHOD', None)]))"
    )

    def settings_with(**env):
        environment = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_S3")}
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", read],
            cwd=ROOT,
            env={**environment, **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return json.loads(output)

    storage, img_src, documents = settings_with(
        MEDIA_S3_BUCKET="media", MEDIA_S3_CUSTOM_DOMAIN="media.clinics.example"
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "media"
    assert storage["OPTIONS"]["querystring_auth"] is False
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert "https://media.clinics.example" in img_src
    assert documents == "serve_view"
    storage, img_src, documents = settings_with()
    assert storage["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert img_src == ["'self'", "data:"] and documents is None
