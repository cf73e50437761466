"""Programmes, set up by organisation admins."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from coordinator import permissions
from coordinator.models import Programme


@transaction.atomic
def programme_save(*, programme: Programme, by: User, follow_up_days: list[int]) -> Programme:
    """Create or change a programme (organisation admins)."""
    if not permissions.has_role(by, programme.organisation_id, "org_admin"):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan ändra program.")})
    programme.follow_up_days = follow_up_days
    programme.full_clean()
    programme.save()
    return programme
