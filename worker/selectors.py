from datetime import timedelta

from django.utils import timezone

from worker.models import Heartbeat

STALE_AFTER = timedelta(minutes=5)


def worker_status() -> dict:
    """{'seen_at': datetime | None, 'alive': bool}: whether a worker ran the heartbeat lately."""
    beat = Heartbeat.objects.filter(source="beat").first()
    if beat is None:
        return {"seen_at": None, "alive": False}
    return {"seen_at": beat.seen_at, "alive": timezone.now() - beat.seen_at < STALE_AFTER}
