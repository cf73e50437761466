"""Organisations and their programmes, as the API shows them."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from accounts.models import Organisation
from coordinator.api import examples
from coordinator.models import (
    Programme,
)


@extend_schema_serializer(examples=examples.ORGANISATION)
class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind", "municipality_code"]


@extend_schema_serializer(examples=examples.PROGRAMME)
class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = [
            "id",
            "organisation",
            "name",
            "kind",
            "description",
            "planned_length_months",
            "trial_months",
            "max_distance_km",
            "follow_up_days",
            "follow_up_every_days",
            "target_groups",
            "nightly_matching",
            "active",
        ]
        read_only_fields = fields
