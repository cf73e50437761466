"""API tokens: asked for with a password and, for staff, a code."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from coordinator.api import examples


@extend_schema_serializer(examples=examples.TOKEN_REQUEST)
class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    code = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="A current code from the authenticator app. Required of organisation admins, coordinators "
        "and data protection officers, who must first turn on two-factor authentication on the web.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once; Vänmatch keeps only its hash.")
    expires = serializers.DateTimeField(help_text="When the token stops working.")
