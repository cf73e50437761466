"""Admin for platform operators. Special categories of data are never list columns or filters."""

from django.contrib import admin

from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent
from coordinator.models import FollowUp, Match, MatchingRun, Newcomer, Programme, Proposal, Volunteer


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "max_distance_km", "planned_length_months", "active"]
    list_filter = ["kind", "active", "organisation"]
    search_fields = ["name", "organisation__name"]


class AuditedAdmin(admin.ModelAdmin):
    """An operator opening a person's page in the Django admin reads her record: it is audited."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        person = self.get_object(request, object_id)
        if person is not None and response.status_code == 200:
            audit_read(user=request.user, purpose=AuditEvent.Purpose.ADMIN, subjects=[person])
        return response

    def delete_model(self, request, obj):
        audit_record(
            user=request.user, action=AuditEvent.Action.ERASE, purpose=AuditEvent.Purpose.ADMIN, subjects=[obj],
            detail="deleted in the Django admin",
        )  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        audit_record(
            user=request.user, action=AuditEvent.Action.ERASE, purpose=AuditEvent.Purpose.ADMIN,
            subjects=list(queryset), detail="deleted in the Django admin",
        )  # fmt: skip
        super().delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            user=request.user,
            action=AuditEvent.Action.CHANGE if change else AuditEvent.Action.CREATE,
            purpose=AuditEvent.Purpose.ADMIN,
            subjects=[obj],
            detail="edited: " + ", ".join(sorted(form.changed_data)) if change else "",
        )


@admin.register(Volunteer)
class VolunteerAdmin(AuditedAdmin):
    list_display = [
        "__str__",
        "organisation",
        "status",
        "locality",
        "capacity",
        "open_matches",
        "background_check_expires",
    ]
    list_filter = ["status", "organisation", "programmes"]
    search_fields = ["first_name", "last_name", "email", "locality", "postcode"]
    readonly_fields = ["open_matches", "latitude", "longitude", "created_at", "updated_at"]
    filter_horizontal = ["programmes"]
    raw_id_fields = ["user"]


@admin.register(Newcomer)
class NewcomerAdmin(AuditedAdmin):
    list_display = ["__str__", "organisation", "target_group", "status", "locality", "registered_on"]
    list_filter = ["status", "target_group", "organisation", "programmes"]
    search_fields = ["first_name", "last_name", "locality", "postcode"]
    readonly_fields = ["latitude", "longitude", "created_at", "updated_at"]
    filter_horizontal = ["programmes"]
    raw_id_fields = ["registered_by", "consent_recorded_by"]


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    fields = ["newcomer", "volunteer", "score", "state", "decided_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(MatchingRun)
class MatchingRunAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "programme",
        "status",
        "created_at",
        "finished_at",
        "newcomers_count",
        "volunteers_count",
        "feasible_pairs",
        "matched_count",
    ]
    list_filter = ["status", "programme"]
    readonly_fields = [f.name for f in MatchingRun._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("unmatched", "gaps")  # the list needs neither

    inlines = [ProposalInline]

    def has_add_permission(self, request):
        return False  # runs are started from the coordinator's pages (services.run_start)


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["id", "run", "newcomer", "volunteer", "score", "state", "decided_by"]
    list_filter = ["state", "run__programme"]
    raw_id_fields = ["run", "newcomer", "volunteer", "decided_by"]
    readonly_fields = ["run", "newcomer", "volunteer", "score", "parts", "state", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False  # proposals come from matching runs


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["due_on", "label", "done_on", "outcome"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["id", "newcomer", "volunteer", "programme", "state", "started_on", "planned_end_on", "ended_on"]
    list_filter = ["state", "programme", "end_reason"]
    search_fields = ["newcomer__first_name", "volunteer__first_name", "volunteer__last_name"]
    raw_id_fields = ["newcomer", "volunteer", "proposal", "created_by", "ended_by"]
    readonly_fields = [
        "state",
        "newcomer",
        "volunteer",
        "programme",
        "proposal",
        "ended_on",
        "end_reason",
        "ended_by",
        "created_by",
    ]
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        # Creating and ending a match moves the volunteer's capacity under a row lock:
        # that happens only in coordinator.services.
        return False


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["match", "due_on", "label", "done_on", "outcome"]
    list_filter = ["outcome"]
    date_hierarchy = "due_on"
    raw_id_fields = ["match", "recorded_by"]
