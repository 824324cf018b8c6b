"""Settings shared by every environment: secure by default.

`dev` and `test` relax only what they must; `production` adds hosting concerns.
Every environment variable is read through `cms.env`.
"""

import logging
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from cms import logs
from cms.env import env_bool, env_choice, env_int, env_list, env_str
from cms.hosts import SiteHostnames
from cms.media import S3Media

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# Required in production (see production.py); Django refuses to run with an empty key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
# The hosts named here (the admin's own, if it is not a clinic's), then every Site's
# hostname, read from the database and refreshed when a Site changes (cms/hosts.py).
ALLOWED_HOSTS = SiteHostnames(env_list("DJANGO_ALLOWED_HOSTS", []))
# Forms post to their own origin, which Django accepts without a list (cms/hosts.py).
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "clinics",
    "blog",
    "review",
    "seo",
    "pagecache",
    "imports",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_structlog",
]

MIDDLEWARE = [
    # First: load balancers ask by address over HTTP, before the host check (cms/health.py).
    "cms.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A request id for every log line of the request (cms/logs.py); after WhiteNoise in
    # production (static files are not logged), before the page cache (its hits are).
    "django_structlog.middlewares.RequestMiddleware",
    # Before sessions and auth: a cached page skips them (pagecache/middleware.py).
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(), then the admin's second factor (clinics/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinics.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinics.context_processors.clinic",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite by default so the demo needs nothing installed; PostgreSQL (production, CI)
# from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    INSTALLED_APPS.append("django.contrib.postgres")

# --- Editor accounts ------------------------------------------------------------------
# Logins throttled (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username, from wherever they come, that username is locked out for the cool-off
# (429), then may try again; a success clears its count. By username alone: editors sit
# behind shared office addresses and the CDN, and a password-guessing botnet changes
# address every try. The price: anyone can keep one editor locked out, 15 minutes at a
# time (`manage.py axes_reset_username <name>` lifts it).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# axes.W006 asks for the client's address in the lockout: it guards a lockout by user
# agent or cookie, which one rotates; a username cannot be rotated for the same account,
# and addresses are what a botnet rotates (above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The second factor (clinics/two_factor.py): optional for everyone; required for the
# members of these groups ("*": every admin user).
ADMIN_2FA_REQUIRED_GROUPS = env_list("ADMIN_2FA_REQUIRED_GROUPS", [])
OTP_TOTP_ISSUER = "Clinic network"
# Sessions are the admin's alone (public pages set no cookie). One lasts a working day at
# most (server-side, from its last change), and ends with the browser unless the editor
# ticks "Remember me" at sign-in (Wagtail's login form).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_HOURS", 8) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = False  # Wagtail's "Remember me" decides, per login

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Background work (the publishing pipeline, canonical decisions, Wagtail's own search
# and reference index) goes through the `django_tasks` API, which Wagtail 8 uses too.
# With REDIS_URL it is queued on Redis when the transaction commits (cms/tasks.py) and
# run by RQ workers (`make worker`). Without it (the embedded demo) a task runs in the
# process as it is queued; the pipeline queues its own work after the commit.
REDIS_URL = env_str("REDIS_URL", "")
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 900}}
INSTALLED_APPS.append("django_rq")
# Every `manage.py rqworker`: django-tasks-rq's job class, and a worker that runs jobs
# in its own process with Django's connection handling (cms/worker.py says why); every
# queue puts the log context of whoever queues a job into it (cms/tasks.py).
RQ = {
    "JOB_CLASS": "django_tasks_rq.Job",
    "WORKER_CLASS": "cms.worker.DjangoWorker",
    "QUEUE_CLASS": "cms.tasks.ContextQueue",  # jobs carry their log context
}
TASKS = {
    "default": {"BACKEND": "cms.tasks.OnCommitRQBackend", "QUEUES": ["default"]}
    if REDIS_URL
    else {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}

# Security: on unless an environment explicitly relaxes it.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames the site.
# The public pages carry no inline script or style at all, so cached HTML never holds a
# per-request nonce: the clinic's colours come from its own stylesheet (/brand.css) and
# the JSON-LD block is data, which script-src does not govern. The Wagtail admin is
# exempted in cms.urls (it still ships inline scripts).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
}

# Uploaded media (cms/media.py): local files, or with MEDIA_S3_BUCKET an S3-compatible
# bucket that every machine shares (credentials from AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY or the machine's role, as boto3 finds them).
MEDIA_S3 = (
    S3Media(
        bucket=env_str("MEDIA_S3_BUCKET"),
        endpoint_url=env_str("MEDIA_S3_ENDPOINT_URL", ""),
        region=env_str("MEDIA_S3_REGION", ""),
        custom_domain=env_str("MEDIA_S3_CUSTOM_DOMAIN", ""),
    )
    if env_str("MEDIA_S3_BUCKET", "")
    else None
)
if MEDIA_S3 is not None:
    STORAGES["default"] = MEDIA_S3.storage
    SECURE_CSP["img-src"].append(MEDIA_S3.origin)
    # Through Wagtail's view, which checks a private collection (not a bucket redirect).
    WAGTAILDOCS_SERVE_METHOD = "serve_view"

# With DEBUG off, Django serves no media: the bucket (or the web server in front) does.
# The demo and the audit, on local files, serve the images' renditions themselves.
SERVE_IMAGE_RENDITIONS = False

# The page cache (pagecache/): anonymous visitors' pages, dropped when what they are
# built from changes. CDN: s-maxage, then stale-while-revalidate; browsers revalidate.
PAGECACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGECACHE_CACHE = "default"
PAGECACHE_VERSION = 1
PAGECACHE_TTL = env_int("PAGE_CACHE_TTL", 60 * 60 * 24)
PAGECACHE_GOOD_COPY_TTL = 60 * 60 * 24 * 30
PAGECACHE_CDN_MAX_AGE = env_int("PAGE_CACHE_CDN_MAX_AGE", 300)
PAGECACHE_STALE_WHILE_REVALIDATE = 60
PAGECACHE_STALE_IF_ERROR = 60 * 60 * 24
PAGECACHE_QUERY_PARAMS = ["page", "v"]
PAGECACHE_EXCLUDE = ["/admin/", "/documents/", "/static/", "/media/", "/_util/"]

# Wagtail
WAGTAIL_SITE_NAME = "Clinic network"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "png", "webp": "webp", "avif": "avif"}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# No third-party avatars: they leak a hash of each editor's e-mail and fail offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Structured logs (cms/logs.py): JSON lines, or readable ones (LOG_FORMAT=console, the
# default in dev). One line per request (request_finished, with its request_id).
LOG_FORMAT = env_choice("LOG_FORMAT", ("json", "console"), "json")
logs.configure_structlog()
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = logs.logging_config(json=LOG_FORMAT == "json", level=LOG_LEVEL)
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG  # request_started: not by default
# Visitors of a clinic's site are patients: their addresses stay out of the logs.
DJANGO_STRUCTLOG_IP_LOGGING_ENABLED = False
