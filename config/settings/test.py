"""Tests: the same settings as development, made fast and isolated."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789abcdef"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests read mail from django.core.mail.outbox; integration tests give a real SMTP
# server through EMAIL_URL, and the workers they start use it.
if not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests call tasks directly; integration tests start a real worker on a real broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
if not CELERY_BROKER_URL.startswith("filesystem:"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {}  # the filesystem broker keeps its folders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REGISTRATION_RATE_LIMIT = env.str("REGISTRATION_RATE_LIMIT", default="off")

# Concurrency tests run threads, each with its own connection: an in-memory SQLite database is
# private to one connection, so the SQLite test database is a file. One per test process (and
# pytest-xdist suffixes it per worker): a second run started meanwhile would delete a shared one.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
ORGANIZER_API_RATE_LIMIT = env.str("ORGANIZER_API_RATE_LIMIT", default="off")
