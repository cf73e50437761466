"""Who a user is in which organisation, and what that lets them do with organisations, staff
and the audit trail. What they may do with the befriending domain's people and matches is
answered next to the domain, in `coordinator/permissions.py`, which builds on this.

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

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import Resolver404, resolve, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

from accounts.models import AuditEvent, Membership, Organisation, Role, User

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
    """Someone who signed up and has not yet applied, nor holds any role. The domain decides
    (settings.VANMATCH_NEEDS_APPLICATION names the rule), so that accounts never imports it."""
    return import_string(settings.VANMATCH_NEEDS_APPLICATION)(user)


# --- Organisations ---------------------------------------------------------------------


def organisations_administered(user: User) -> QuerySet:
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=organisation_ids(user, [Role.ORG_ADMIN]))


def organisations_registering_newcomers(user: User) -> QuerySet:
    """Where the user may register newcomers: organisations they are a social worker in."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(id__in=organisation_ids(user, [Role.SOCIAL_WORKER]))


AUDIT_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.DATA_PROTECTION_OFFICER)


def audit_events_visible(user: User) -> QuerySet:
    """The audit trail of the organisations a user coordinates, administers or is the data
    protection officer of."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(organisation_id__in=organisation_ids(user, AUDIT_ROLES))


# What a person is about to do when she is asked for her password again, said on the page that
# asks (templates/account/reauthenticate.html): the exports and erasures that ask for it here,
# by the purpose they name, and allauth's own account settings, by the page she was on its way to.
RECENT_PASSWORD_PURPOSES = {
    "export": gettext_lazy("ladda ner en fil med personuppgifter"),
    "person_data": gettext_lazy("ladda ner allt Vänmatch har sparat om en person"),
    "own_data": gettext_lazy("ladda ner allt Vänmatch har sparat om dig"),
    "erase": gettext_lazy("radera en persons uppgifter för gott"),
    "erase_own": gettext_lazy("avsluta ditt uppdrag och radera dina uppgifter för gott"),
}
ACCOUNT_PAGE_PURPOSES = {
    "account_email": gettext_lazy("ändra e-postadresserna på ditt konto"),
    "account_change_password": gettext_lazy("byta lösenord"),
    "mfa_activate_totp": gettext_lazy("slå på tvåstegsverifiering"),
    "mfa_deactivate_totp": gettext_lazy("ta bort autentiseringsappen från ditt konto"),
    "mfa_generate_recovery_codes": gettext_lazy("skapa nya återställningskoder"),
    "mfa_view_recovery_codes": gettext_lazy("visa dina återställningskoder"),
    "mfa_download_recovery_codes": gettext_lazy("ladda ner dina återställningskoder"),
}
_PURPOSE = "vanmatch_recent_password_purpose"


def require_recent_password(request, *, purpose: str) -> None:
    """Before an export or an erasure: the user must have given their password again in the
    last few minutes (allauth's reauthentication; its middleware shows the password page and
    comes back). Ask only after the permission check, so the wrong person still gets a 404.
    `purpose` (a key of RECENT_PASSWORD_PURPOSES) is what the password page says she is doing."""
    from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
    from allauth.core.exceptions import ReauthenticationRequired

    if purpose not in RECENT_PASSWORD_PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if did_recently_reauthenticate(request):
        return
    if purpose in DOWNLOADS and request.method == "GET":
        # After the password, a page that starts the download and stays in view: sent straight to
        # a file, the browser would keep showing the password page, as if it had failed.
        from allauth.account.adapter import get_adapter
        from allauth.core.exceptions import ImmediateHttpResponse
        from django.shortcuts import redirect

        methods = get_adapter().get_reauthentication_methods(request.user)
        if not methods:
            raise ReauthenticationRequired()
        landing = f"{reverse('download_ready')}?{urlencode({'fil': request.get_full_path()})}"
        request.session[_PURPOSE] = {"path": landing, "purpose": purpose}
        raise ImmediateHttpResponse(redirect(f"{methods[0]['url']}?{urlencode({'next': landing})}"))
    request.session[_PURPOSE] = {"path": request.get_full_path(), "purpose": purpose}
    raise ReauthenticationRequired()


DOWNLOADS = {"export", "person_data", "own_data"}  # purposes whose page is a file


def recent_password_purpose(request, next_url: str) -> str | None:
    """What the person asked for her password is about to do, from the page she goes on to
    (`next`): said in a few words ("byta lösenord"), or None when it is not known."""
    stashed = request.session.get(_PURPOSE)
    if next_url and stashed and stashed.get("path") == next_url:
        return str(RECENT_PASSWORD_PURPOSES[stashed["purpose"]])
    try:
        name = resolve(urlsplit(next_url).path).url_name if next_url else None
    except Resolver404:
        return None
    return str(ACCOUNT_PAGE_PURPOSES[name]) if name in ACCOUNT_PAGE_PURPOSES else None
