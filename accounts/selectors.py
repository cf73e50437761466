"""Reads about accounts."""

from accounts.models import Invitation, Membership, Organisation, Role


def organisation_admin_overview(*, organisation: Organisation) -> dict:
    """Staff, open and recently accepted invitations and programmes of one organisation (4 queries)."""
    staff = list(
        Membership.objects.filter(organisation=organisation)
        .exclude(role=Role.VOLUNTEER)
        .select_related("user")
        .order_by("role", "user__first_name", "user__email")
    )
    invitations = list(
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )
    accepted = list(
        Invitation.objects.filter(organisation=organisation, accepted_at__isnull=False).order_by("-accepted_at")[:10]
    )
    programmes = list(organisation.programmes.order_by("-active", "name"))
    return {"staff": staff, "invitations": invitations, "accepted": accepted, "programmes": programmes}


def invitation_to_send(*, invitation_id: int) -> Invitation | None:
    """An invitation still open, with what its e-mail says; None once accepted or revoked."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        return None
    return invitation
