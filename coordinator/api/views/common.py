"""What the API's views share: reads that leave an audit row, id filters that see only what the
user may, and the staff check."""

from django import forms
from django.core.exceptions import PermissionDenied
from django_filters import rest_framework as filters

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from coordinator import permissions


def staff_of(user, organisation_id: int) -> None:
    if not permissions.has_role(user, organisation_id, *permissions.STAFF_ROLES):
        raise PermissionDenied


class AuditedReads:
    """Every person the API hands out, one by one or a page at a time, leaves an audit row."""

    def get_object(self):
        person = super().get_object()
        audit_record(user=self.request.user, action=A.Action.VIEW, purpose=A.Purpose.API, subjects=[person])
        return person

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            audit_record(user=self.request.user, action=A.Action.VIEW, purpose=A.Purpose.API, subjects=page)
        return page


class IdFilter(filters.NumberFilter):
    """An id in a filter: only the rows the user may see are filtered, so an id elsewhere and a
    missing id both give an empty page, never "not a valid choice" for one of them; a number no
    id can be is refused at its field (a 20-digit one was a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
