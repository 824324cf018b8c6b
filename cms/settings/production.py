"""Production: one deployment serving every clinic domain.

Hosts come from the Site records (cms/hosts.py), plus any named in DJANGO_ALLOWED_HOSTS
(the admin's own domain, if no Site has it). REDIS_URL is required: the task queue and the
cache. WAGTAILADMIN_BASE_URL is required: the admin's own address, e.g.
https://admin.clinics.example, which Wagtail writes into password-reset and
notification e-mails (a wrong default would send editors to another host).
"""

from django.core.exceptions import ImproperlyConfigured

from cms.env import env_bool, env_int, env_str
from cms.hosts import SiteHostnames

from .base import *  # noqa: F403

if not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured("Set REDIS_URL: production runs background work on RQ workers.")

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL").rstrip("/")
if not WAGTAILADMIN_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be the admin's absolute URL, e.g. https://admin.example."
    )
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Off unless every clinic domain's owner has agreed: the preload list is a commitment for
# the whole domain and its subdomains, hard to undo (README: Security, check --deploy).
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)

# The page cache and Wagtail's own caches, shared by every web and worker process.
CACHES = {
    "default": {
        "BACKEND": "cms.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,  # noqa: F405
        "KEY_PREFIX": "cms",
    }
}

# One PostgreSQL connection per worker, kept between requests and checked before reuse.
DATABASES = {
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 600),
        "CONN_HEALTH_CHECKS": True,
    }
}

# Static files from the app servers themselves (compressed, hashed names, cached forever).
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

# The CDN: the page cache's dependency list purges every clinic URL an edit affects
# (a library article's copies, listings, feed and sitemap on every clinic carrying it,
# once its fan-out finishes), through wagtail.contrib.frontend_cache's PurgeBatch in a
# background task (pagecache.tasks). With purging, the CDN may keep pages for a day.
FRONTEND_CACHE_URL = env_str("FRONTEND_CACHE_URL", "")
PAGECACHE_CDN_MAX_AGE = env_int("PAGE_CACHE_CDN_MAX_AGE", 86400 if FRONTEND_CACHE_URL else 300)
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_URL,
            # Every Site's hostname, as ALLOWED_HOSTS: a new clinic is purged too.
            "HOSTNAMES": SiteHostnames([]),
        }
    }

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": env_str("EMAIL_HOST", "localhost"), "use_tls": True},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "webmaster@localhost")
