"""Every read in the befriending domain that more than one caller needs."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from accounts import permissions
from accounts.models import User
from coordinator.models import Match, Newcomer, Programme, Proposal, Volunteer


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: Programme
    waiting_newcomers: int
    available_volunteers: int
    open_matches: int
    pending_proposals: int


def programme_overviews(*, user: User) -> list[ProgrammeOverview]:
    """The programmes a user may see, each with its headline figures.

    Queries: 1 for the user's memberships, 1 for the programmes with three counts
    annotated, 1 for the pending proposals per programme.
    """
    programmes = list(
        permissions.programmes_visible(user)
        .select_related("organisation")
        .annotate(
            waiting=Count(
                "newcomers",
                filter=Q(
                    newcomers__status=Newcomer.Status.WAITING,
                    newcomers__consent_given_at__isnull=False,
                    newcomers__consent_withdrawn_at__isnull=True,
                ),
                distinct=True,
            ),
            available=Count(
                "volunteers",
                filter=Q(
                    volunteers__status=Volunteer.Status.APPROVED, volunteers__open_matches__lt=F("volunteers__capacity")
                ),
                distinct=True,
            ),
            open_matches=Count("matches", filter=~Q(matches__state=Match.State.ENDED), distinct=True),
        )
        .order_by("organisation__name", "name")
    )
    pending = dict(
        Proposal.objects.filter(state=Proposal.State.PENDING, run__programme__in=programmes)
        .values_list("run__programme")
        .annotate(n=Count("id"))
    )
    return [ProgrammeOverview(p, p.waiting, p.available, p.open_matches, pending.get(p.pk, 0)) for p in programmes]


def newcomers_of_social_worker(*, user: User) -> list[Newcomer]:
    """The newcomers a social worker follows (their own, and their unit's where shared), newest first.

    Queries: 1 for the unit memberships, 1 for the newcomers, 1 for their programmes.
    """
    return list(permissions.newcomers_followed(user).prefetch_related("programmes").order_by("-registered_on", "-id"))


def volunteer_overview(*, user: User) -> tuple[Volunteer | None, list[Match]]:
    """A volunteer's own profile and matches (open ones first)."""
    volunteer = Volunteer.objects.filter(user=user).select_related("organisation").first()
    if volunteer is None:
        return None, []
    matches = list(volunteer.matches.select_related("newcomer", "programme").order_by("ended_on", "-started_on"))
    return volunteer, matches
