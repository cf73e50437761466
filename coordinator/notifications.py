"""E-mails to the people Vänmatch works for, each in the recipient's own language.

Sent by the worker (worker/tasks.py), enqueued after the transaction that caused them
commits. Only what the recipient needs: a social worker hears that their newcomer was
matched and with whom (first name), never the volunteer's contact details by e-mail.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation
from coordinator.models import Match


def _send(*, to: str, language: str, template: str, context: dict) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, None, [to])


def newcomer_matched(match: Match) -> int:
    """Tell the social worker who registered the newcomer that they have been matched."""
    social_worker = match.newcomer.registered_by
    if social_worker is None or not social_worker.is_active:
        return 0
    _send(
        to=social_worker.email,
        language=social_worker.preferred_language,
        template="newcomer_matched",
        context={
            "match": match,
            "newcomer": match.newcomer,
            "link": reverse("newcomer_detail", args=[match.newcomer_id]),
        },
    )
    return 1


def invitation(invitation: Invitation, token: str) -> int:
    _send(
        to=invitation.email,
        language=settings.LANGUAGE_CODE,
        template="invitation",
        context={"invitation": invitation, "link": reverse("invitation_accept", args=[token])},
    )
    return 1
