"""The beat schedule, all in one place (times in TIME_ZONE, Europe/Stockholm)."""

from celery.schedules import crontab
from django.conf import settings


def beat_schedule() -> dict:
    return {
        "heartbeat": {
            "task": "worker.tasks.heartbeat",
            "schedule": float(settings.VANMATCH_HEARTBEAT_SECONDS),
            "kwargs": {"source": "beat"},
        },
        "nightly-matching": {"task": "worker.tasks.start_nightly_matching", "schedule": crontab(hour=2, minute=15)},
        "requeue-stale-runs": {"task": "worker.tasks.requeue_stale_runs", "schedule": crontab(minute="*/2")},
        "tidy-exports": {"task": "worker.tasks.tidy_exports", "schedule": crontab(minute="*/10")},
        "follow-up-digests": {
            "task": "worker.tasks.send_follow_up_digests",
            "schedule": crontab(day_of_week="mon", hour=7, minute=0),
        },
        "end-reminders": {"task": "worker.tasks.send_end_reminders", "schedule": crontab(hour=7, minute=30)},
        "ask-participants": {"task": "worker.tasks.ask_participants", "schedule": crontab(hour=17, minute=0)},
        "retention": {"task": "worker.tasks.apply_retention", "schedule": crontab(hour=3, minute=30)},
    }
