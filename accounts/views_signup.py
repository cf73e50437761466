"""After signing up, before the address is confirmed ("Titta i din e-post"): send the link
again, or start over with the right address.

Both work on the sign-up waiting in the session (allauth's pending log-in) and answer the same
whether or not the address already had an account: with enumeration prevention on, that
sign-up made no account and the address's owner was told by e-mail instead."""

import contextlib

from allauth.account.internal.flows.email_verification import send_verification_email_at_login
from allauth.account.internal.stagekit import clear_login
from allauth.account.models import Login
from allauth.account.stages import EmailVerificationStage, LoginStageController
from allauth.account.utils import has_verified_email
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import services


def _pending(request) -> Login | None:
    stage = LoginStageController.enter(request, EmailVerificationStage.key)
    return stage.login if stage else None


@require_POST
def verification_resend(request):
    login = _pending(request)
    if login is None:
        messages.info(request, _("Logga in med din e-postadress och ditt lösenord, så skickar vi en ny länk."))
        return redirect("account_login")
    if login.user is not None and has_verified_email(login.user, login.email):
        # Confirmed meanwhile, from another browser: nothing to send, she logs in.
        clear_login(request)
        messages.info(request, _("Adressen är redan bekräftad. Logga in med den och ditt lösenord."))
        return redirect("account_login")
    # allauth's limit (ACCOUNT_RATE_LIMITS["confirm_email"]): one letter per address every few
    # minutes; the sent letter's own message says where it went.
    if not send_verification_email_at_login(request, login):
        messages.info(
            request,
            _("Vi skickade nyss en länk. Vänta några minuter och titta i skräpposten innan du ber om en ny."),
        )
    return redirect("account_email_verification_sent")


@require_POST
def signup_restart(request):
    login = _pending(request)
    if login is not None and login.signup and login.user is not None:
        with contextlib.suppress(ValidationError):  # a used account stays; this session just forgets it
            services.signup_abandon(user=login.user)
    clear_login(request)
    messages.info(request, _("Skriv in rätt e-postadress och välj ett lösenord, så skickar vi en ny länk dit."))
    return redirect("account_signup")
