"""Where the befriending domain listens to the account layer: each receiver calls one service."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from coordinator import selectors, services
from coordinator.services.applications import CHOSEN_ORGANISATION


@receiver(user_signed_up)
def _keep_the_chosen_organisation(sender, request, user, **kwargs):
    """The organisation she chose before creating her account goes with the account, not the
    browser: she may confirm her address and go on applying on another device."""
    session = getattr(request, "session", None)
    organisation = selectors.organisation_by_slug(session.get(CHOSEN_ORGANISATION) if session is not None else None)
    if organisation is not None:
        services.application_draft_choose_organisation(user=user, organisation=organisation)
