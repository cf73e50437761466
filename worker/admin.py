from django.contrib import admin

from worker.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["source", "seen_at", "hostname", "count"]
    readonly_fields = ["source", "seen_at", "hostname", "count"]
