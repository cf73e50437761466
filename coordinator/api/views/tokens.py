"""API tokens: asked for with a password and, for staff, a code from the authenticator app."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts import api_tokens, two_factor
from accounts.shared.api_errors import error_response
from coordinator.api import serializers as s


class TokenRateThrottle(AnonRateThrottle):
    """Guessing passwords through the API is slow: 10 tries a minute per address."""

    scope = "token"


@extend_schema(
    request=s.TokenRequestSerializer,
    responses={200: s.TokenSerializer},
    auth=[],
    summary="Get an API token for an e-mail address, a password and (for staff) a code",
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenRateThrottle])
def token_obtain(request):
    serializer = s.TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(
        request._request,  # the HttpRequest, on which django-axes marks a lockout
        email=serializer.validated_data["email"],
        password=serializer.validated_data["password"],
    )
    if user is None or not user.is_active:
        return error_response(_("Fel e-post eller lösenord."), code=status.HTTP_400_BAD_REQUEST)
    if two_factor.required_for(user):
        app = two_factor.authenticator(user)
        if app is None:
            return error_response(
                _("Ditt konto kräver tvåstegsverifiering: slå på den på webben (Inloggning) först."),
                field="code",
            )
        try:
            valid = two_factor.check_code(user, app, serializer.validated_data["code"], request=request._request)
        except two_factor.CodesLocked:
            return error_response(two_factor.locked_message(), field="code", code=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            return error_response(_("Ange en giltig kod från din autentiseringsapp."), field="code")
    instance, key = api_tokens.token_issue(user=user)
    return Response({"token": key, "expires": instance.expiry})
