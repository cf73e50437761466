"""The beat schedule, all in one place."""

from django.conf import settings


def beat_schedule() -> dict:
    return {
        "heartbeat": {
            "task": "worker.tasks.heartbeat",
            "schedule": float(settings.VANMATCH_HEARTBEAT_SECONDS),
            "kwargs": {"source": "beat"},
        },
    }
