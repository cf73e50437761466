"""Matching runs and the proposals they make."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from coordinator.api import examples, fields
from coordinator.api.fields import VisibleRelatedField
from coordinator.models import (
    MatchingRun,
    Proposal,
)


@extend_schema_serializer(examples=examples.MATCHING_RUN)
class MatchingRunSerializer(serializers.ModelSerializer):
    failure = serializers.CharField(
        read_only=True,
        help_text="Why a failed run failed: time_limit, gave_up or error; empty otherwise.",
    )

    class Meta:
        model = MatchingRun
        fields = [
            "id",
            "programme",
            "status",
            "phase",
            "trigger",
            "created_at",
            "started_at",
            "finished_at",
            "newcomers_count",
            "volunteers_count",
            "feasible_pairs",
            "matched_count",
            "time_limit",
            "failure",
            "error",
        ]
        read_only_fields = fields


@extend_schema_serializer(examples=examples.RUN_REQUEST)
class RunRequestSerializer(serializers.Serializer):
    programme = VisibleRelatedField(fields.programmes_coordinated)


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


@extend_schema_serializer(examples=examples.PROPOSAL)
class ProposalSerializer(serializers.ModelSerializer):
    newcomer = PersonBriefSerializer(read_only=True)
    volunteer = PersonBriefSerializer(read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "run", "newcomer", "volunteer", "score", "parts", "state", "decided_at", "decline_reason"]
        read_only_fields = fields


@extend_schema_serializer(examples=examples.DECLINE)
class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
