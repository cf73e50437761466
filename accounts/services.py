"""Every write about accounts: invitations, memberships."""

import hashlib
import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import jobs, permissions
from accounts.models import Invitation, Membership, Organisation, Role, User

logger = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, by: User, email: str, role: str, unit: str = ""
) -> tuple[Invitation, str]:
    """An organisation admin invites someone; the e-mail with the link is sent after commit.

    Returns the invitation and the token (which is not stored: only its hash is).
    """
    if not permissions.has_role(by, organisation.pk, Role.ORG_ADMIN):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan bjuda in.")})
    if role not in dict(Invitation.ROLE_CHOICES):
        raise ValidationError({"role": _("Välj samordnare, socialsekreterare eller administratör.")})
    email = User.objects.normalize_email(email).strip()
    if Membership.objects.filter(organisation=organisation, role=role, user__email__iexact=email).exists():
        raise ValidationError({"email": _("%(email)s har redan den rollen här.") % {"email": email}})
    now = timezone.now()
    # A new invitation replaces an open one to the same address and role.
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, role=role, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        unit=unit.strip(),
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=now + timedelta(days=Invitation.VALID_DAYS),
    )
    jobs.send_invitation.after_commit(invitation.pk, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not permissions.has_role(by, invitation.organisation_id, Role.ORG_ADMIN):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan återkalla inbjudningar.")})
    if invitation.accepted_at:
        raise ValidationError({"__all__": _("Inbjudan är redan antagen.")})
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> tuple[Invitation, str]:
    """Send an open (or lapsed) invitation again, with a new link valid for another
    Invitation.VALID_DAYS days; the link sent before stops working (only a hash is kept, so the
    old one cannot be sent again)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not permissions.has_role(by, invitation.organisation_id, Role.ORG_ADMIN):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan skicka inbjudningar.")})
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError({"__all__": _("Inbjudan är redan antagen eller återkallad.")})
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=Invitation.VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    jobs.send_invitation.after_commit(invitation.pk, token)
    return invitation, token


@transaction.atomic
def organisation_set_contact(
    *, organisation: Organisation, by: User, area: str, contact_name: str, contact_phone: str, contact_email: str
) -> Organisation:
    """An organisation admin says where the organisation works and whom volunteers call."""
    if not permissions.has_role(by, organisation.pk, Role.ORG_ADMIN):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan ändra kontaktuppgifterna.")})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.area, organisation.contact_name = area.strip(), contact_name.strip()
    organisation.contact_phone, organisation.contact_email = contact_phone.strip(), contact_email.strip()
    organisation.full_clean(exclude=["name", "slug", "kind", "municipality_code"])
    organisation.save(update_fields=["area", "contact_name", "contact_phone", "contact_email"])
    return organisation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, if it is still open."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=token_hash(token or "")).first()
    if invitation is None or invitation.state(timezone.now()) != "pending":
        return None
    return invitation


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, first_name: str = "", last_name: str = "", password: str = ""
) -> Membership:
    """Accept an invitation: as the logged-in user with the invited address, or as a new user.

    A new user's address counts as verified: they got the link by e-mail.
    """
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_hash(token or "")).first()
    if invitation is None or invitation.state(timezone.now()) != "pending":
        raise ValidationError({"__all__": _("Inbjudan är ogiltig, har gått ut eller är redan använd.")})
    if user is not None and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            raise ValidationError(
                {
                    "__all__": _("Inbjudan gäller %(email)s. Logga ut och öppna länken igen.")
                    % {"email": invitation.email}
                }
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                {"__all__": _("Det finns redan ett konto för %(email)s: logga in först.") % {"email": invitation.email}}
            )
        user = User(username=invitation.email, email=invitation.email, first_name=first_name, last_name=last_name)
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password1": error.messages}) from None
        user.set_password(password)
        try:
            user.save()
        except IntegrityError:
            raise ValidationError(
                {"__all__": _("Det finns redan ett konto för %(email)s.") % {"email": invitation.email}}
            ) from None
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=invitation.email,
        defaults={"email": invitation.email, "verified": True, "primary": True},
    )
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role, defaults={"unit": invitation.unit}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    permissions.forget(user)  # a new role: her API tokens went with the membership (accounts/signals.py)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User) -> None:
    """An organisation admin removes a staff member's role (never the last admin)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not permissions.has_role(by, membership.organisation_id, Role.ORG_ADMIN):
        raise ValidationError({"__all__": _("Bara organisationens administratörer kan ta bort roller.")})
    if membership.role == Role.VOLUNTEER:
        raise ValidationError({"__all__": _("Volontärer avslutas av en samordnare, inte här.")})
    if membership.role == Role.ORG_ADMIN and (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.ORG_ADMIN).count() == 1
    ):
        raise ValidationError({"__all__": _("Organisationen måste ha minst en administratör.")})
    membership.delete()


@transaction.atomic
def signup_abandon(*, user: User) -> None:
    """Someone who signed up with a mistyped address starts over: the account she just made, never
    confirmed and never used, goes, and with it its address and the link sent there (allauth's
    link names the address's row, which no longer exists). She signs up again with the right one."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if (
        user.last_login is not None
        or EmailAddress.objects.filter(user=user, verified=True).exists()
        or user.memberships.exists()
    ):
        raise ValidationError({"__all__": _("Kontot används redan och tas inte bort.")})
    user.delete()
