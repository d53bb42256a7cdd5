"""Production settings for the slow lane's stack (gunicorn, the worker), with two
differences: it speaks plain HTTP on 127.0.0.1, and static files keep their names (the
manifest needs `collectstatic`, which compresses every file for minutes on a busy machine;
nothing the load touches reads a static file)."""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
