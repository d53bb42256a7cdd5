"""Settings shared by every environment; the one place that reads the environment."""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime state of the embedded default (SQLite file, broker folders, mail, secret key).
VAR_DIR = Path(environ.Env().str("AGENDA_VAR_DIR", default=str(BASE_DIR / "var"))).resolve()

env = environ.Env()
# The embedded default keeps its state here; make sure it exists before anything opens it.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
PORT = env.int("PORT", default=8000)
# The public address of the site, used for absolute links in the API, feeds and emails.
SITE_URL = env.str("SITE_URL", default=f"http://localhost:{PORT}").rstrip("/")
SITE_DOMAIN = urlsplit(SITE_URL).hostname or "localhost"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "rest_framework",
    # API tokens for organizers' scripts (``manage.py drf_create_token USERNAME``).
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    # The three floors, bottom first: imports only go down.
    "agenda",
    "registrations",
    "notifications",
    # Signed HTTP callbacks to organizers' systems, beside notifications (imports both below).
    "webhooks",
    # The attendee web pages, on top of all three.
    "pages",
    "orga",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agenda.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (config/errors.py).
    "config.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
# Organizers sign in to their own area; the admin keeps its own sign-in page for staff.
LOGIN_URL = "orga:login"
LOGIN_REDIRECT_URL = "orga:index"
# Sign-in attempts per address and per account (N/s, N/m, N/h); "off" disables it.
ORGA_LOGIN_RATE_LIMIT = env.str("ORGA_LOGIN_RATE_LIMIT", default="10/m")
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Security headers ------------------------------------------------------------------------
# Django's defaults, written down: nosniff, same-origin referrers, no framing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# django-csp: only this site's own files, no inline scripts or styles, never in a frame.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'agenda.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on the embedded default: WAL lets readers run beside the writer,
    # IMMEDIATE takes the write lock at BEGIN (so no transaction fails half-way on upgrade),
    # and the timeout makes the others wait for it instead of raising "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
else:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with a health check that polls the socket before any SELECT 1.
        DATABASES["default"]["ENGINE"] = "config.db.postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Seconds before an unanswered connection attempt is given up on (libpq waits forever):
    # a database host that drops packets makes requests answer 503 (config/errors.py) well
    # within gunicorn's 30 s, instead of hanging. A refused connection fails at once anyway;
    # much shorter would fail connections that an overloaded server is slow to accept.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=10)
    )
    # The hot paths' statements (config/db/postgresql) are prepared by the server after this
    # many runs on a connection; "off" where a pooler cannot keep prepared statements
    # (PgBouncer before 1.21 in transaction mode). Django's own cursors are never prepared.
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5").strip().lower()
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
        None if _prepare in ("", "off", "none", "false", "0") else int(_prepare)
    )
# Each web thread keeps its connection between requests: opening one costs more than a feed's
# 304 (a PostgreSQL login; on SQLite, the file and the PRAGMAs above, ~18 ms against 0.7 ms
# for the feed's state query). Django keeps connections per thread, so SQLite's are never
# shared between threads; an in-memory SQLite database is never closed anyway.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DATABASES["default"]["ATOMIC_REQUESTS"] = False

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
# Uploads (speakers' photos): under content-hashed names, so cacheable for a year. `make run`
# and development serve them (SERVE_MEDIA); production serves MEDIA_ROOT from the reverse
# proxy or object storage (README, "Production").
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))).resolve()
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email -----------------------------------------------------------------------------------
# Default: every message is written to a file under var/mail/ so a person can read it.
EMAIL_URL = env.str("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(env.email_url_config(EMAIL_URL))
if EMAIL_URL.startswith("filemail:"):
    # django-environ drops the leading "/" of an absolute path; read the path ourselves.
    EMAIL_FILE_PATH = urlsplit(EMAIL_URL).path or str(VAR_DIR / "mail")
# Seconds before a silent mail server is given up on: a worker must never hang on one.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=vars().get("EMAIL_TIMEOUT") or 30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"Agenda <noreply@{SITE_DOMAIN}>")
# The organizing network: the sender's name on attendee emails, and their signature.
NETWORK_NAME = env.str("NETWORK_NAME", default="Agenda")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How attendee emails are turned into bytes: "fast" writes them directly (notifications/wire.py,
# the bytes Django would write), "django" through Django's own EmailMultiAlternatives.
EMAIL_WIRE_FORMAT = env.str("EMAIL_WIRE_FORMAT", default="fast")
if EMAIL_WIRE_FORMAT not in ("fast", "django"):
    raise ImproperlyConfigured('EMAIL_WIRE_FORMAT must be "fast" or "django".')
# The organizing network's name: the ORGANIZER (with DEFAULT_FROM_EMAIL's address) of the
# calendars that emails carry.
NETWORK_NAME = env.str("NETWORK_NAME", default="Agenda")

# --- Celery ----------------------------------------------------------------------------------
# Default: kombu's filesystem transport, an embedded broker that needs no server; a real
# worker process consumes it. In production: redis://… or amqp://….
# (The host names nothing, the queue being folders, but spares kombu's warning at each start.)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost//")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem:"):
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
    for folder in ("queue", "control", "processed"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis:", "rediss:")):
    # A task not acknowledged within this time is handed to another worker; it must exceed
    # the longest countdown/ETA we use, or a delayed task would run twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 6 * 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds between two publishes of emails owed from one web process: what commits meanwhile
# goes out together (notifications.publisher). 0: each commit publishes its own, at once.
OUTBOX_PUBLISH_INTERVAL = env.int("OUTBOX_PUBLISH_INTERVAL_MS", default=100) / 1000
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# A task is acknowledged only once it has run, and a worker that dies mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Beat keeps its schedule in the database (editable in the admin); these entries are synced
# into it at start-up.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    # Records due reminders and publishes every email whose time has come (retries too).
    "notifications-dispatch": {
        "task": "notifications.dispatch",
        "schedule": 30.0,
    },
    # Publishes every webhook delivery whose time has come (retries, lost publishes).
    "webhooks-dispatch": {
        "task": "webhooks.dispatch",
        "schedule": 30.0,
    },
    "purge-idempotency-records": {
        "task": "registrations.purge_idempotency_records",
        "schedule": 3600.0,
    },
}
# A publish that cannot reach the broker gives up quickly: the outbox relay sends it later,
# and the attendee's request is not held up.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}

# --- REST framework --------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials to an organizer endpoint is then a 401 with
    # "WWW-Authenticate: Token", not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON nested deeper than any request needs is a 400 (not a RecursionError).
    "DEFAULT_PARSER_CLASSES": ["agenda.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "agenda.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agenda.api.errors.exception_handler",
    # "format" is an event filter here, not a renderer switch.
    "URL_FORMAT_OVERRIDE": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Agenda API",
    "DESCRIPTION": "Events, sessions, speakers and registrations of the Agenda service.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from drf-spectacular-sidecar's static files, not a CDN (see the CSP above).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The error body's recursive field errors; non-empty query parameters.
        "agenda.api.schema_errors.postprocess_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EventStatusEnum": "agenda.enums.EventStatus",
        "SessionStatusEnum": "agenda.enums.SessionStatus",
        "RegistrationStatusEnum": "registrations.enums.RegistrationStatus",
        "SessionChoiceStatusEnum": "registrations.enums.SessionChoiceStatus",
        "WebhookEventTypeEnum": "webhooks.enums.EventType",
        "WebhookDeliveryStatusEnum": "webhooks.enums.DeliveryStatus",
        "EventKindEnum": "agenda.enums.EventKind",
        "QuestionKindEnum": "registrations.enums.QuestionKind",
    },
}

# --- Registrations ---------------------------------------------------------------------------
# Requests per client address, as DRF writes rates ("20/m", "100/h"); "off" disables it.
REGISTRATION_RATE_LIMIT = env.str("REGISTRATION_RATE_LIMIT", default="20/m")
# Proxies in front of the web processes whose X-Forwarded-For is trusted (0: none).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES or None
# Recorded with every consent; raise it whenever the privacy notice changes.
PRIVACY_NOTICE_VERSION = env.str("PRIVACY_NOTICE_VERSION", default="2026-01")

# Requests per organizer account to the organizer endpoints of the API ("off" disables it).
ORGANIZER_API_RATE_LIMIT = env.str("ORGANIZER_API_RATE_LIMIT", default="600/m")

# --- Webhooks --------------------------------------------------------------------------------
# Webhooks never call private, loopback, link-local or other non-global addresses (checked on
# the address the name resolves to, at each send), except those in these networks (CIDR,
# comma-separated), or any when WEBHOOKS_ALLOW_PRIVATE is true (a closed network).
WEBHOOKS_ALLOWED_NETWORKS = env.list("WEBHOOKS_ALLOWED_NETWORKS", default=[])
WEBHOOKS_ALLOW_PRIVATE = env.bool("WEBHOOKS_ALLOW_PRIVATE", default=False)
# Seconds a receiver has to answer one delivery.
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10.0)

# --- Cache (rate limits) --------------------------------------------------------------------
# Shared by every process: a folder on one machine by default, Redis in production.
CACHES = {"default": env.cache_url("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}

# The largest request body accepted (JSON registrations are small).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=256 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # fpdf2's font subsetting logs every glyph of every PDF at INFO.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
