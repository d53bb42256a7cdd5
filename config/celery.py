"""The Celery application: one for web processes, workers and beat alike."""

import gc
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("agenda")
# Every Celery setting lives in Django settings under the CELERY_ namespace.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_before_create_process.connect
def freeze_inherited_objects(**kwargs) -> None:
    """Before the prefork pool forks a process, move every object the parent holds (Django,
    the apps, the settings) out of the collector's reach. A child's garbage collection then
    never writes to those objects' pages, which it would otherwise copy from its parent one
    by one: without this, each process's memory grows by tens of MiB at its first full
    collection, however little it does."""
    gc.freeze()
