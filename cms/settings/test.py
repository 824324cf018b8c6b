"""The test suite: SQLite unless DATABASE_URL names PostgreSQL (CI does)."""

from cms.env import env_str

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1", ".example"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Tasks run in the test process; tests/integration runs a real RQ worker on its own
# Redis database (TEST_REDIS_URL).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
TEST_REDIS_URL = env_str("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
RQ_QUEUES = {"default": {"URL": TEST_REDIS_URL, "DEFAULT_TIMEOUT": 300}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Off by default (the cache outlives each test's rolled-back database); tests/pagecache
# and the query budget turn it on with a cleared cache.
PAGECACHE_ENABLED = False
# The browser tests' live server shows the pages' images (local media, DEBUG off).
SERVE_IMAGE_RENDITIONS = True
