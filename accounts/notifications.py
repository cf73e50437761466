"""E-mails about accounts, and the one way every e-mail of Vänmatch is sent: in the recipient's
own language, with links to the address the service is reached on. Sent by the worker."""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import Invitation, User


def send(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    attach: Callable[[], tuple[str, bytes, str]] | None = None,
) -> None:
    """Render templates/emails/<template>_subject.txt and .txt in `language` and send them;
    every link in them starts with the address the service is reached on (SITE_URL).
    `attach` makes, in the same language, a file to attach: (name, content, content type)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
        attachment = attach() if attach is not None else None
    message = EmailMessage(subject, body, None, [to])
    if attachment is not None:
        message.attach(*attachment)
    message.send()


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
