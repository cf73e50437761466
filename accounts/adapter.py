"""How django-allauth fits Vänmatch: where people land after logging in, and who must keep a
second factor."""

import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from accounts import permissions, two_factor
from accounts.middleware import LOGGED_IN_AT


def user_display(user) -> str:
    return user.first_name or user.email


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        # Anyone may sign up, and what they sign up as is a volunteer: someone with an
        # account but no role yet goes on to the volunteer application.
        if permissions.needs_volunteer_application(request.user):
            return reverse("volunteer_apply")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        return self.get_login_redirect_url(request)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # The mails greet her by her first name when she has given one (templates/account/email/).
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the authenticator app straight after logging in (as staff are sent to do):
        # the password was just given, so it is not asked for again.
        if app == "allauth.mfa" and self.request is not None:
            logged_in_at = self.request.session.get(LOGGED_IN_AT)
            if logged_in_at is not None and time.time() - logged_in_at < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)


class TwoFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": gettext_lazy(
            "Din roll kräver tvåstegsverifiering, så autentiseringsappen kan inte tas bort. Byter du "
            "telefon: lägg in samma hemlighet i den nya appen, eller använd en återställningskod."
        ),
    }

    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone whose role requires two factors keeps their authenticator app."""
        if authenticator.type == authenticator.Type.TOTP and two_factor.required_for(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
