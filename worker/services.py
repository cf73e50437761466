from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from worker.models import Heartbeat, SentNotification


def heartbeat_record(*, source: str, hostname: str = "") -> Heartbeat:
    """Note that a worker ran a task now. Idempotent apart from the counter."""
    now = timezone.now()
    updated = Heartbeat.objects.filter(source=source).update(seen_at=now, hostname=hostname, count=F("count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(source=source, defaults={"seen_at": now, "hostname": hostname, "count": 1})
    return Heartbeat.objects.get(source=source)


def once(key: str, send: Callable[[], int]) -> int:
    """Send a notification unless one with this key was sent already.

    The key's row is locked while sending, so two deliveries of the same task do not
    both send; if the worker dies after sending and before committing, the redelivered
    task sends again (at least once, never silently lost).
    """
    SentNotification.objects.get_or_create(key=key)
    with transaction.atomic():
        record = SentNotification.objects.select_for_update().get(key=key)
        if record.sent_at is not None:
            return 0
        count = send()
        record.sent_at = timezone.now()
        record.count = count
        record.save(update_fields=["sent_at", "count"])
    return count
