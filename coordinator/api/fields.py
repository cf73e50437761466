"""Ids a client sends, resolved through the same visibility rules as reads before anything runs.

A record outside the user's reach answers exactly as a missing id does (the same status, the
same message), so no id can be probed, and no rule that runs after it (a match's checks, say)
ever sees, or names, a person the user may not see.
"""

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from coordinator import permissions
from coordinator.models import Newcomer, Programme, Volunteer

NOT_FOUND = _("Hittades inte.")  # as the 404 of a record out of reach: never the id, never a name


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key looked up only among what `visible(user)` returns for the request's user."""

    default_error_messages = {
        "does_not_exist": NOT_FOUND,
        "incorrect_type": _("Ange ett id (ett heltal)."),
    }

    def __init__(self, visible: Callable[..., QuerySet], **kwargs):
        self.visible = visible
        super().__init__(queryset=Programme.objects.none(), **kwargs)  # the real one per request, below

    def get_queryset(self) -> QuerySet:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.queryset.none()
        return self.visible(user)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= pk <= 2**63 - 1:
            raise serializers.ValidationError(NOT_FOUND, code="does_not_exist")
        found = self.get_queryset().filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError(NOT_FOUND, code="does_not_exist")
        return found


def programmes_coordinated(user) -> QuerySet:
    return permissions.programmes_visible(user)


def newcomers_coordinated(user) -> QuerySet:
    """Newcomers of the organisations the user coordinates or administers (not those she follows
    as a social worker: pairing is a coordinator's work)."""
    return Newcomer.objects.filter(organisation_id__in=permissions.organisation_ids(user, permissions.STAFF_ROLES))


def volunteers_coordinated(user) -> QuerySet:
    return Volunteer.objects.filter(organisation_id__in=permissions.organisation_ids(user, permissions.STAFF_ROLES))


def organisations_registering(user) -> QuerySet:
    return permissions.organisations_registering_newcomers(user)


def programmes_registering(user) -> QuerySet:
    """The programmes a social worker may register a newcomer in: her organisations'."""
    return Programme.objects.filter(organisation__in=permissions.organisations_registering_newcomers(user))
