"""Production settings pass Django's deployment checks and refuse to start without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="agenda.example.org",
        DATABASE_URL="postgres://agenda@db.invalid:5432/agenda",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="agenda.example.org",
        DATABASE_URL="postgres://agenda@db.invalid:5432/agenda",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_sqlite():
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="agenda.example.org",
        DATABASE_URL="sqlite:////tmp/agenda-production-check.sqlite3",
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


DEV_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="localhost")
missing = client.get("/no-such-page/")
css = client.get("/static/pages/site.css")
print(settings.DEBUG, missing.status_code, "URLconf" in missing.content.decode(),
      css.status_code, css.get("Content-Type", "").split(";")[0])
"""


def _dev_probe(tmp_path: Path, **env: str) -> list[str]:
    environment = {
        key: value for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", AGENDA_VAR_DIR=str(tmp_path), **env
    )
    for args in (["manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                 ["-c", DEV_PROBE]):
        result = subprocess.run([sys.executable, *args], cwd=ROOT, env=environment,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()


def test_the_demo_runs_without_debug_and_serves_its_css_through_whitenoise(tmp_path):
    debug, missing, lists_urls, css, content_type = _dev_probe(tmp_path)

    assert (debug, missing, lists_urls) == ("False", "404", "False")
    assert (css, content_type) == ("200", "text/css")


def test_debug_true_turns_django_debug_pages_on_in_development(tmp_path):
    debug, missing, lists_urls, css, _content_type = _dev_probe(tmp_path, DEBUG="true")

    assert (debug, missing, lists_urls) == ("True", "404", "True")
    assert css == "200"
