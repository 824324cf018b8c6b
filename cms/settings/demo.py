"""`make demo`: production's choices on plain HTTP, on this machine.

DEBUG off (the branded 404 and 500), gunicorn, WhiteNoise, persistent database
connections and the page cache, as in production; without the HTTPS redirect and HSTS,
with the demo's hostnames and a demo-only secret key. The cache is Redis when REDIS_URL
is set (the RQ worker then drops pages too), else one process's memory (gunicorn runs
one worker with threads, so every request and invalidation sees the same cache).
"""

from cms.env import env_int, env_list, env_str
from cms.hosts import SiteHostnames

from .base import *  # noqa: F403

DEBUG = False
# Pages show image renditions from local media (no bucket in the demo): cms.media.
SERVE_IMAGE_RENDITIONS = MEDIA_S3 is None  # noqa: F405
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or "demo-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = SiteHostnames(
    env_list("DJANGO_ALLOWED_HOSTS", [".localhost", "127.0.0.1", "[::1]"])
)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PORT = env_int("PORT", 8000)
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", f"http://localhost:{PORT}")

DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }
}

_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1  # noqa: F405
MIDDLEWARE = [
    *MIDDLEWARE[:_security],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_security:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {"BACKEND": "cms.cache.ResilientRedisCache", "LOCATION": REDIS_URL}  # noqa: F405
    if REDIS_URL  # noqa: F405
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
