"""Logins, failed logins and logouts, to the security log (no passwords, no e-mail addresses in
clear for failures: a hash of the address is enough to see a pattern)."""

import hashlib
import logging

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import email_added, password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from accounts.api_tokens import tokens_revoke
from accounts.middleware import mark_login
from accounts.models import User
from accounts.shared.client_ip import client_ip

logger = logging.getLogger("vanmatch.security")


def _client(request) -> str:
    return (client_ip(request) or "?") if request is not None else "?"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_login(request.session)
    logger.info("login user=%s from=%s", user.pk, _client(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s", getattr(user, "pk", None))
    timed_out = getattr(request, "vanmatch_session_timed_out", False)  # accounts/middleware.py
    if user is not None and not timed_out:
        tokens_revoke(user=user, why="logged out")


def login_identifier(request, credentials=None) -> str:
    """The account a log-in attempt is for, whichever way it came: allauth passes `email`, the
    Django admin and the API token `username` or `email`, a form posts `login`. django-axes
    counts failures by this (AXES_USERNAME_CALLABLE)."""
    credentials = credentials or {}
    who = credentials.get("email") or credentials.get("username")
    if not who and request is not None and request.method == "POST":
        who = request.POST.get("login") or request.POST.get("email")
    return str(who or "").strip().lower()


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    who = login_identifier(request, credentials)
    digest = hashlib.sha256(who.encode()).hexdigest()[:12]
    logger.warning("failed login for=%s from=%s", digest, _client(request))


@receiver(authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    """Setting up the authenticator app proves the user holds it: the session counts as having
    seen the second factor (accounts/two_factor.py)."""
    logger.info("authenticator %s added user=%s", authenticator.type, user.pk)
    if request is not None and authenticator.type == authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


@receiver(authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    logger.warning("authenticator %s removed user=%s", authenticator.type, user.pk)


@receiver(email_added)
def _email_added(sender, request, user, email_address, **kwargs):
    """Someone added an address to the account: every address the owner has verified hears of it,
    so that an address slipped in from an unattended session is seen (the reset it would allow
    goes to the verified primary address only: accounts/forms.py)."""
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    logger.info("email address added user=%s", user.pk)
    adapter = get_adapter(request)
    for known in EmailAddress.objects.filter(user=user, verified=True).exclude(pk=email_address.pk):
        adapter.send_notification_mail(
            "account/email/email_added", user, context={"added_email": email_address.email}, email=known.email
        )


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def _password_changed(sender, request, user, **kwargs):
    """A token was issued on the old password: it goes with it."""
    tokens_revoke(user=user, why="password changed")


@receiver(post_save, sender="accounts.Membership")
@receiver(post_delete, sender="accounts.Membership")
def _role_changed(sender, instance, **kwargs):
    """A role given or taken, whichever way (an invitation, an admin, the Django admin): tokens
    issued for what she was may not carry what she is now."""
    tokens_revoke(user=instance.user, why="role changed")


TOKEN_BEARING_FIELDS = {"password", "is_superuser", "is_staff", "is_active"}


@receiver(pre_save, sender="accounts.User")
def _password_or_powers_changed(sender, instance, **kwargs):
    """Whichever way a password or a superuser's powers change (the Django admin,
    `changepassword`, a shell), tokens issued before go."""
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and not set(update_fields) & TOKEN_BEARING_FIELDS):
        return  # a new account, or a save of other fields (last_login at every log-in): nothing to look up

    before = User.objects.filter(pk=instance.pk).values(*TOKEN_BEARING_FIELDS).first()
    if before is None:
        return
    changed = sorted(key for key in TOKEN_BEARING_FIELDS if before[key] != getattr(instance, key))
    if changed:
        tokens_revoke(user=instance, why="changed: " + ", ".join(changed))
