from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["email"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("username", "email", "password")}),
        (_("Personuppgifter"), {"fields": ("first_name", "last_name", "preferred_language")}),
        (_("Behörighet"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Datum"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality_code", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "unit"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]


def _operators_only(request) -> bool:
    """The Django admin shows every organisation's records, so it is for the platform's operators
    (superusers) only; organisations work in the scoped pages, which ask accounts.permissions."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _operators_only
