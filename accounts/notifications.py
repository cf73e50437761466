"""E-mails about accounts, and the one way every e-mail of Vänmatch is sent: in the recipient's
own language, with links to the address the service is reached on. Sent by the worker."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation, User


def send(*, to: str, language: str, template: str, context: dict) -> None:
    """Render templates/emails/<template>_subject.txt and .txt in `language` and send them;
    every link in them starts with the address the service is reached on (SITE_URL)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, None, [to])


def language_of(user: User | None) -> str:
    return user.preferred_language if user is not None else settings.LANGUAGE_CODE


def invitation(invitation: Invitation, token: str) -> int:
    send(
        to=invitation.email,
        language=settings.LANGUAGE_CODE,
        template="invitation",
        context={"invitation": invitation, "link": reverse("invitation_accept", args=[token])},
    )
    return 1
