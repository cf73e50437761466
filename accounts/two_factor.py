"""Two-factor authentication, required of everyone who sees across an organisation.

allauth.mfa does the work (an authenticator app's codes, TOTP, and recovery codes; the code step
after the password at log-in). What Vänmatch adds is the rule: organisation admins,
coordinators, data protection officers and superusers cannot use the service until they have
an authenticator and have used it in this session. The rule is kept in one place,
`RequireTwoFactor`, for every page and for the API when it is used with a session; API tokens
are only handed out against a code (coordinator/api/views/tokens.py).
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Role, SecondFactorFailures
from accounts.shared.client_ip import client_ip
from accounts.shared.errors import error_json

logger = logging.getLogger("vanmatch.security")
# The demo's staff logins (demo/load.py): with DEBUG on and VANMATCH_DEMO_TOTP_CODE set,
# and for these accounts alone, that code passes the code step.
DEMO_STAFF = ("admin@vanmatch.demo", "samordnare@ekero.demo", "samordnare@rodakorset.demo")
TWO_FACTOR_ROLES = (Role.ORG_ADMIN, Role.COORDINATOR, Role.DATA_PROTECTION_OFFICER)
# Reachable before the second factor: log-in and the code step, setting up an authenticator,
# logging out, the language switch, the privacy notice, static files and the icon a browser asks
# for by itself (redirecting that request would load the set-up page behind the person's back).
OPEN_PREFIXES = ("/konto/", "/i18n/", "/integritet/", "/static/")
OPEN_PATHS = ("/favicon.ico",)


def required_for(user) -> bool:
    return user.is_superuser or bool(permissions.roles_of(user) & set(TWO_FACTOR_ROLES))


def authenticator(user):
    """The user's authenticator app, or None."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def session_verified(request) -> bool:
    """Whether this session has seen the user's second factor: a code at log-in (or at
    reauthentication), or setting up the authenticator app in it."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def demo_code_passes(user, code: str) -> bool:
    """The demo's fixed code, for the demo's own staff logins only, and only with DEBUG on."""
    demo = settings.VANMATCH_DEMO_TOTP_CODE
    return bool(settings.DEBUG and demo and code and code.strip() == demo and user.email.lower() in DEMO_STAFF)


def code_is_valid(app, code: str) -> bool:
    """Whether `code` is a current code from the authenticator app `app` (each code works once),
    or the demo's code for a demo login."""
    from allauth.mfa.totp.internal.auth import TOTP

    return bool(code) and (demo_code_passes(app.user, code) or TOTP(app).validate_code(code.strip()))


class CodesLocked(Exception):
    """Too many wrong codes in a row: the account's code step is locked for a while."""


def code_locked(user) -> bool:
    """Whether the account's second factor is locked after too many wrong codes."""
    from django.utils import timezone

    return SecondFactorFailures.objects.filter(user=user, locked_until__gt=timezone.now()).exists()


def code_failed(user, *, request=None) -> None:
    """A wrong code: counted for the account, and after AXES_FAILURE_LIMIT in a row the code step
    is locked for AXES_COOLOFF_TIME, as a password is (the right code does not work meanwhile)."""
    from django.db import transaction
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        failures, created = SecondFactorFailures.objects.select_for_update().get_or_create(
            user=user, defaults={"last_failed_at": now}
        )
        if failures.locked_until is not None and failures.locked_until <= now:
            failures.count, failures.locked_until = 0, None  # a lock that has run out starts afresh
        failures.count += 1
        failures.last_failed_at = now
        if failures.count >= settings.AXES_FAILURE_LIMIT:
            failures.locked_until = now + settings.AXES_COOLOFF_TIME
        failures.save()

    address = (client_ip(request) or "?") if request is not None else "?"
    logger.warning("failed second factor user=%s count=%s from=%s", user.pk, failures.count, address)
    if failures.locked_until is not None:
        logger.warning("second factor locked user=%s until=%s", user.pk, failures.locked_until.isoformat())


def code_succeeded(user) -> None:
    SecondFactorFailures.objects.filter(user=user).delete()


def check_code(user, app, code: str, *, request=None) -> bool:
    """The one check of a code typed for a second factor outside allauth's own forms (the API):
    refused while locked (CodesLocked), counted when wrong, forgiven when right."""
    if code_locked(user):
        raise CodesLocked
    if code_is_valid(app, code):
        code_succeeded(user)
        return True
    code_failed(user, request=request)
    return False


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("För många felaktiga koder i rad. Försök igen om %(minutes)s minuter.") % {"minutes": minutes}


def _open(path: str) -> bool:
    static = "/" + settings.STATIC_URL.strip("/") + "/"
    return path.startswith(OPEN_PREFIXES) or path.startswith(static) or path in OPEN_PATHS


class RequireTwoFactor:
    """A user who must have two factors and has not used a second one in this session reaches
    only the log-in and set-up pages: without an authenticator they are sent to set one up;
    with one (a session begun some other way) they are logged out and asked to log in with
    their code. The API answers 403 in its own error shape instead of redirecting."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or _open(request.path)
            or session_verified(request)
            or not required_for(user)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Ditt konto kräver tvåstegsverifiering: logga in med din kod på webben först.")
            return error_json(message, code=403)
        if authenticator(user) is None:
            messages.info(
                request,
                _(
                    "Du ser personuppgifter för hela organisationen och behöver därför logga in med "
                    "två steg. Koppla en autentiseringsapp till ditt konto för att fortsätta."
                ),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        logout(request)
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
