"""The one place that answers "may this user see or change this?" for the befriending domain:
programmes, newcomers, volunteers and matches. Who holds which role where comes from
`accounts.permissions`.

Lists come from the `*_visible` querysets; a single record is fetched through them too, so
that a record the user may not see is a 404 (they learn nothing of it) and an action they may
not take on a record they can see is a 403.

- a superuser may do everything (the platform's own operators);
- organisation admins and coordinators see their own organisations' programmes and the people
  and matches in them; coordinators screen volunteers; admins also manage programmes;
- social workers register newcomers in their organisation and see and change the newcomers
  they registered (and their unit's, where the organisation allows it);
- volunteers see and change only their own profile and see their own matches.
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role, User
from accounts.permissions import (
    STAFF_ROLES,
    has_role,
    memberships,
    organisation_ids,
    organisations_registering_newcomers,
    require_recent_password,
    roles_of,
)
from coordinator.models import Match, Newcomer, Programme, Volunteer

# Coordinator code asks this module alone; these role helpers come from accounts unchanged.
__all__ = [
    "STAFF_ROLES",
    "has_role",
    "matches_visible",
    "may_screen",
    "needs_volunteer_application",
    "newcomers_followed",
    "newcomers_visible",
    "organisation_ids",
    "organisations_registering_newcomers",
    "programmes_manageable",
    "programmes_visible",
    "require_recent_password",
    "roles_of",
    "volunteers_screenable",
    "volunteers_visible",
]


def needs_volunteer_application(user: User) -> bool:
    """Someone who signed up and has not yet applied as a volunteer, nor any other role."""
    return (
        user.is_authenticated
        and not user.is_superuser
        and not memberships(user)
        and not Volunteer.objects.filter(user=user).exists()
    )


def programmes_visible(user: User) -> QuerySet:
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES))


def programmes_manageable(user: User) -> QuerySet:
    """Programmes an organisation admin may change."""

    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(organisation_id__in=organisation_ids(user, [Role.ORG_ADMIN]))


def _followed_condition(user: User) -> Q:
    """The newcomers a social worker follows: those they registered, and their unit's where shared."""
    condition = Q(registered_by=user)
    for membership in memberships(user):
        if (
            membership.role == Role.SOCIAL_WORKER
            and membership.unit
            and membership.organisation.social_workers_share_unit
        ):
            colleagues = Membership.objects.filter(
                organisation_id=membership.organisation_id, role=Role.SOCIAL_WORKER, unit=membership.unit
            ).values("user_id")
            condition |= Q(organisation_id=membership.organisation_id, registered_by_id__in=colleagues)
    return condition


def newcomers_followed(user: User) -> QuerySet:
    """The newcomers a social worker may see and change."""

    if not user.is_authenticated:
        return Newcomer.objects.none()
    if user.is_superuser:
        return Newcomer.objects.all()
    if Role.SOCIAL_WORKER not in roles_of(user):
        return Newcomer.objects.none()
    return Newcomer.objects.filter(_followed_condition(user))


def newcomers_visible(user: User) -> QuerySet:
    """The newcomers a user may read: their organisations' (staff) and those they follow."""

    if user.is_superuser:
        return Newcomer.objects.all()
    if not user.is_authenticated:
        return Newcomer.objects.none()
    condition = Q(organisation_id__in=organisation_ids(user, STAFF_ROLES))
    if Role.SOCIAL_WORKER in roles_of(user):
        condition |= _followed_condition(user)
    return Newcomer.objects.filter(condition)


# --- Volunteers ------------------------------------------------------------------------


def volunteers_visible(user: User) -> QuerySet:
    if user.is_superuser:
        return Volunteer.objects.all()
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(Q(organisation_id__in=organisation_ids(user, STAFF_ROLES)) | Q(user=user))


def volunteers_screenable(user: User) -> QuerySet:
    """Volunteers a coordinator (or organisation admin) may screen: never themselves."""

    if user.is_superuser:
        return Volunteer.objects.all()
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES)).exclude(user=user)


def may_screen(user: User, volunteer: Volunteer) -> bool:
    return volunteer.user_id != user.pk and has_role(user, volunteer.organisation_id, *STAFF_ROLES)


def matches_visible(user: User) -> QuerySet:
    if user.is_superuser:
        return Match.objects.all()
    if not user.is_authenticated:
        return Match.objects.none()
    return Match.objects.filter(
        Q(programme__organisation_id__in=organisation_ids(user, STAFF_ROLES)) | Q(volunteer__user=user)
    )
