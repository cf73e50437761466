"""API tokens (django-rest-knox): stored only as a hash, each with an expiry, revoked when what
they were issued on changes (the password, a role, logging out), listed and revoked by their
owner. Staff get one only against a current code (coordinator/api/views/tokens.py), and
a token is refused for anyone who now needs two factors and has no authenticator app."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework.exceptions import AuthenticationFailed

from accounts import two_factor
from accounts.models import User

logger = logging.getLogger("vanmatch.security")


class VanmatchTokenAuthentication(TokenAuthentication):
    """knox's token check, and: someone whose role now asks for two factors uses no token until
    she has an authenticator app (a social worker made a coordinator in the Django admin kept a
    password-only token)."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if two_factor.required_for(user) and two_factor.authenticator(user) is None:
            raise AuthenticationFailed(_("Ditt konto kräver tvåstegsverifiering: slå på den på webben först."))
        return user, token


def token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`; the key is returned once and stored only as its hash."""
    instance, key = AuthToken.objects.create(user=user)
    logger.info("api token %s issued user=%s", instance.token_key, user.pk)
    return instance, key


def tokens_of(*, user: User) -> list[AuthToken]:
    """The user's own tokens that have not expired, newest first."""
    return list(
        AuthToken.objects.filter(user=user)
        .exclude(expiry__lt=timezone.now())
        .only("digest", "token_key", "created", "expiry")
        .order_by("-created")
    )


@transaction.atomic
def tokens_revoke(*, user: User, why: str, token_key: str | None = None) -> int:
    """Revoke the user's tokens (all, or the one whose key begins `token_key`); says why in the log."""
    tokens = AuthToken.objects.filter(user=user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    count, _deleted = tokens.delete()
    if count:
        logger.info("api tokens revoked user=%s count=%s why=%s", user.pk, count, why)
    return count


class VanmatchTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token: `Authorization: Token <key>`."""

    target_class = "accounts.api_tokens.VanmatchTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")  # noqa: S106
