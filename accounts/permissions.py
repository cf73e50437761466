"""The one place that answers "may this user see or change this?".

Every view asks here, and so will the API. Lists come from the `*_visible` querysets;
a single record is fetched through them too, so that a record the user may not see is a
404 (they learn nothing of it) and an action they may not take on a record they can
see is a 403.

- a superuser may do everything (the platform's own operators);
- organisation admins and coordinators see their own organisations' programmes and
  the people and matches in them; coordinators screen volunteers; admins also invite
  staff and manage programmes;
- social workers register newcomers in their organisation and see and change the
  newcomers they registered (and their unit's, where the organisation allows it);
- volunteers see and change only their own profile and see their own matches.
"""

from django.db.models import Q, QuerySet

from accounts.models import Membership, Organisation, Role, User

STAFF_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR)
_CACHE = "_vanmatch_memberships"


def memberships(user: User) -> list[Membership]:
    """The user's memberships, fetched once per user object (that is, once per request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("organisation"))
        setattr(user, _CACHE, cached)
    return cached


def forget(user: User) -> None:
    """Drop the cached memberships after they change."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def organisation_ids(user: User, roles=None) -> list[int]:
    return sorted({m.organisation_id for m in memberships(user) if roles is None or m.role in roles})


def roles_of(user: User) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user: User, organisation_id: int, *roles: str) -> bool:
    return user.is_superuser or any(m.organisation_id == organisation_id and m.role in roles for m in memberships(user))


def needs_volunteer_application(user: User) -> bool:
    """Someone who signed up and has not yet applied as a volunteer, nor any other role."""
    from coordinator.models import Volunteer

    return (
        user.is_authenticated
        and not user.is_superuser
        and not memberships(user)
        and not Volunteer.objects.filter(user=user).exists()
    )


# --- Organisations and programmes ------------------------------------------------------


def organisations_administered(user: User) -> QuerySet:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=organisation_ids(user, [Role.ORG_ADMIN]))


def programmes_visible(user: User) -> QuerySet:
    from coordinator.models import Programme

    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES))


def programmes_manageable(user: User) -> QuerySet:
    """Programmes an organisation admin may change."""
    from coordinator.models import Programme

    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(organisation_id__in=organisation_ids(user, [Role.ORG_ADMIN]))


def programmes_open_for_volunteers() -> QuerySet:
    from coordinator.models import Programme

    return Programme.objects.filter(active=True).select_related("organisation")


# --- Newcomers -------------------------------------------------------------------------


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
    from coordinator.models import Newcomer

    if not user.is_authenticated:
        return Newcomer.objects.none()
    if user.is_superuser:
        return Newcomer.objects.all()
    if Role.SOCIAL_WORKER not in roles_of(user):
        return Newcomer.objects.none()
    return Newcomer.objects.filter(_followed_condition(user))


def newcomers_visible(user: User) -> QuerySet:
    """The newcomers a user may read: their organisations' (staff) and those they follow."""
    from coordinator.models import Newcomer

    if user.is_superuser:
        return Newcomer.objects.all()
    if not user.is_authenticated:
        return Newcomer.objects.none()
    condition = Q(organisation_id__in=organisation_ids(user, STAFF_ROLES))
    if Role.SOCIAL_WORKER in roles_of(user):
        condition |= _followed_condition(user)
    return Newcomer.objects.filter(condition)


def organisations_registering_newcomers(user: User) -> QuerySet:
    """Where the user may register newcomers: organisations they are a social worker in."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=organisation_ids(user, [Role.SOCIAL_WORKER]))


# --- Volunteers ------------------------------------------------------------------------


def volunteers_visible(user: User) -> QuerySet:
    from coordinator.models import Volunteer

    if user.is_superuser:
        return Volunteer.objects.all()
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(Q(organisation_id__in=organisation_ids(user, STAFF_ROLES)) | Q(user=user))


def volunteers_screenable(user: User) -> QuerySet:
    """Volunteers a coordinator (or organisation admin) may screen: never themselves."""
    from coordinator.models import Volunteer

    if user.is_superuser:
        return Volunteer.objects.all()
    if not user.is_authenticated:
        return Volunteer.objects.none()
    return Volunteer.objects.filter(organisation_id__in=organisation_ids(user, STAFF_ROLES)).exclude(user=user)


def may_screen(user: User, volunteer) -> bool:
    return volunteer.user_id != user.pk and has_role(user, volunteer.organisation_id, *STAFF_ROLES)


def matches_visible(user: User) -> QuerySet:
    from coordinator.models import Match

    if user.is_superuser:
        return Match.objects.all()
    if not user.is_authenticated:
        return Match.objects.none()
    return Match.objects.filter(
        Q(programme__organisation_id__in=organisation_ids(user, STAFF_ROLES)) | Q(volunteer__user=user)
    )


AUDIT_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.DATA_PROTECTION_OFFICER)


def audit_events_visible(user: User) -> QuerySet:
    """The audit trail of the organisations a user coordinates, administers or is the data
    protection officer of."""
    from accounts.models import AuditEvent

    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(organisation_id__in=organisation_ids(user, AUDIT_ROLES))


def require_recent_password(request) -> None:
    """Before an export or an erasure: the user must have given their password again in the
    last few minutes (allauth's reauthentication; its middleware shows the password page and
    comes back). Ask only after the permission check, so the wrong person still gets a 404."""
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
    from allauth.core.exceptions import ReauthenticationRequired

    if not did_recently_reauthenticate(request):
        raise ReauthenticationRequired()
