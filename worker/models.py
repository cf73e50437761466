from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a worker last ran a task, so that staff can see the background work is alive."""

    source = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("livstecken")
        verbose_name_plural = _("livstecken")

    def __str__(self) -> str:
        return f"{self.source} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class SentNotification(models.Model):
    """An e-mail the worker has sent, by a key naming what it was about, so a redelivered task
    does not send it twice."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("skickat meddelande")
        verbose_name_plural = _("skickade meddelanden")

    def __str__(self) -> str:
        return self.key
