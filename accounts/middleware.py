"""Session timeouts, the Content-Security-Policy and the log of refused access, for every request."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from accounts import permissions

logger = logging.getLogger("vanmatch.security")
LOGGED_IN_AT = "vanmatch_logged_in_at"
LAST_SEEN = "vanmatch_last_seen"
SEEN_PRECISION = 60  # seconds: the last-seen time is written at most once a minute


def mark_login(session) -> None:
    now = time.time()
    session[LOGGED_IN_AT] = session[LAST_SEEN] = now


class SessionTimeouts:
    """A logged-in session ends after VANMATCH_IDLE_MINUTES without a request, and after
    VANMATCH_SESSION_HOURS however active. The last-seen time is kept to the minute, so an
    active user's requests do not each write the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(LOGGED_IN_AT)
            seen = request.session.get(LAST_SEEN)
            if started is None or seen is None:
                mark_login(request.session)
            elif (
                now - started > settings.VANMATCH_SESSION_HOURS * 3600
                or now - seen > settings.VANMATCH_IDLE_MINUTES * 60
            ):
                logger.info("session of user %s timed out", user.pk)
                idle = now - seen > settings.VANMATCH_IDLE_MINUTES * 60
                applying = _applying(user)
                request.vanmatch_session_timed_out = True  # the browser's session ends; API tokens stay
                logout(request)
                messages.info(request, _why_logged_out(idle=idle, applying=applying))
            elif now - seen > SEEN_PRECISION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def _applying(user) -> bool:
    return permissions.needs_volunteer_application(user)


def _why_logged_out(*, idle: bool, applying: bool) -> str:
    """Said on the next page, so that nobody is logged out without a word."""
    if idle:
        reason = _(
            "Du loggades ut eftersom ingenting hänt på %(minutes)s minuter. Det skyddar uppgifterna om "
            "någon annan kommer åt din dator eller telefon."
        ) % {"minutes": settings.VANMATCH_IDLE_MINUTES}
    else:
        reason = _("Du loggades ut eftersom du varit inloggad i %(hours)s timmar.") % {
            "hours": settings.VANMATCH_SESSION_HOURS
        }
    if applying:
        return reason + " " + _("Din ansökan är sparad: logga in igen så fortsätter du där du var.")
    return reason + " " + _("Logga in igen för att fortsätta.")


class ContentSecurityPolicy:
    """Sends VANMATCH_CSP with every response that does not set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.VANMATCH_CSP)
        return response


class RefusedAccessLog:
    """Every 401, 403 and 404 a logged-in user gets goes to the security log with who and where:
    a record outside someone's reach answers 404 (so as not to tell that it exists), and a run
    of those is what a data protection officer looks for. Anonymous 404s are left out (noise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (401, 403, 404):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                logger.info(
                    "refused user=%s status=%s %s %s", user.pk, response.status_code, request.method, request.path
                )
            elif response.status_code != 404:
                logger.info("refused anonymous status=%s %s %s", response.status_code, request.method, request.path)
        return response
