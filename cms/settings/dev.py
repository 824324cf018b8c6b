"""Local development and the demo: debug on, plain HTTP, the demo hostnames allowed."""

from cms import logs
from cms.env import env_bool, env_choice, env_list, env_str
from cms.hosts import SiteHostnames

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "") or "dev-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = SiteHostnames(
    env_list("DJANGO_ALLOWED_HOSTS", [".localhost", "127.0.0.1", "[::1]"])
)
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Templates change under a developer's hands: no page cache unless asked for (PAGE_CACHE=1).
PAGECACHE_ENABLED = env_bool("PAGE_CACHE", False)
# Readable log lines at a terminal (LOG_FORMAT=json for the production format).
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "console"), "console")
LOGGING = logs.logging_config(json=LOG_FORMAT == "json", level=LOG_LEVEL)  # noqa: F405
