"""Settings of the benchmark servers: those `make run` serves (DEBUG off), plus the baselines'
URLs beside the project's."""

from config.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
