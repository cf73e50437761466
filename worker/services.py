from django.db.models import F
from django.utils import timezone

from worker.models import Heartbeat


def heartbeat_record(*, source: str, hostname: str = "") -> Heartbeat:
    """Note that a worker ran a task now. Idempotent apart from the counter."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(source=source).update(seen_at=now, hostname=hostname, count=F("count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(source=source, defaults={"seen_at": now, "hostname": hostname, "count": 1})
    return Heartbeat.objects.get(source=source)
