"""config.celery: what the worker processes inherit from their parent."""

import gc

from celery import signals

import config.celery  # noqa: F401  (connects the receivers)


def test_the_parent_freezes_its_objects_before_the_pool_forks_a_process():
    assert gc.get_freeze_count() == 0
    try:
        signals.worker_before_create_process.send(sender=None)

        # Out of the collector's reach: a child's collections leave their pages shared.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
