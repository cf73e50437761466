"""The one place that answers "may this user see or change this?".

Every view asks here (and the API will). The Django admin is for the platform's
operators, who are superusers; issue 4 extends this module to every object and
scopes the admin by it. The rules so far:
- a superuser may do everything (the platform's own operators);
- organisation admins and coordinators see their own organisations' programmes
  and the people and matches in them;
- social workers see the newcomers they registered (and their unit's, where the
  organisation allows it);
- volunteers see only their own profile and matches.
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Role, User

STAFF_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)


def organisation_ids(user: User, roles=None) -> list[int]:
    if not user.is_authenticated:
        return []
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("organisation_id", flat=True).distinct())


def roles_of(user: User) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def programmes_visible(user: User) -> QuerySet:
    from coordinator.models import Programme

    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES))


def _followed_condition(user: User) -> Q:
    """The newcomers a social worker follows: those they registered, and their unit's where shared."""
    condition = Q(registered_by=user)
    units = Membership.objects.filter(
        user=user, role=Role.SOCIAL_WORKER, organisation__social_workers_share_unit=True
    ).exclude(unit="")
    for membership in units:
        condition |= Q(
            organisation_id=membership.organisation_id,
            registered_by__memberships__organisation_id=membership.organisation_id,
            registered_by__memberships__role=Role.SOCIAL_WORKER,
            registered_by__memberships__unit=membership.unit,
        )
    return condition


def newcomers_followed(user: User) -> QuerySet:
    from coordinator.models import Newcomer

    if not user.is_authenticated:
        return Newcomer.objects.none()
    return Newcomer.objects.filter(_followed_condition(user)).distinct()


def newcomers_visible(user: User) -> QuerySet:
    from coordinator.models import Newcomer

    if user.is_superuser:
        return Newcomer.objects.all()
    if not user.is_authenticated:
        return Newcomer.objects.none()
    condition = Q(organisation_id__in=organisation_ids(user, STAFF_ROLES)) | _followed_condition(user)
    return Newcomer.objects.filter(condition).distinct()


def volunteers_visible(user: User) -> QuerySet:
    from coordinator.models import Volunteer

    if user.is_superuser:
        return Volunteer.objects.all()
    return Volunteer.objects.filter(Q(organisation_id__in=organisation_ids(user, STAFF_ROLES)) | Q(user=user))
