"""The Celery app. Settings come from Django's (CELERY_*); the beat schedule from schedule.py."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("vanmatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["worker"])


@app.on_after_finalize.connect
def _install_schedule(sender, **kwargs):
    from worker.schedule import beat_schedule

    sender.conf.beat_schedule = beat_schedule()


@worker_init.connect
def _preload_the_matching_engine(**kwargs):
    """Import the engine's solver libraries before the pool starts (forked children share them),
    not during the first matching run."""
    from matching.engine import preload

    preload()


@beat_init.connect
def _first_heartbeat_at_once(sender, **kwargs):
    """An interval's first run is one interval after beat starts: without this, the start page
    would say the worker had not been heard of for the first minute after every start."""
    sender.app.send_task("worker.tasks.heartbeat", kwargs={"source": "beat"})
