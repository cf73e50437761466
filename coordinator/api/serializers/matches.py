"""Matches and their follow-ups: made, introduced, extended, ended."""

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from coordinator import selectors
from coordinator.api import examples, fields
from coordinator.api.fields import VisibleRelatedField
from coordinator.api.serializers.runs import PersonBriefSerializer
from coordinator.models import (
    FollowUp,
    Match,
)


@extend_schema_serializer(examples=examples.FOLLOW_UP)
class FollowUpSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=FollowUp.Outcome.choices, allow_blank=True, read_only=True)
    label = serializers.CharField(source="title", read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "match", "due_on", "kind", "label", "done_on", "outcome", "notes", "meetings_since", "met_how",
            "activities", "volunteer_answers", "newcomer_answers", "concern", "safeguarding",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(examples=examples.FOLLOW_UP_RECORD)
class FollowUpRecordSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FollowUp.Outcome.choices)
    done_on = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    meetings_since = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    met_how = serializers.ListField(child=serializers.ChoiceField(choices=FollowUp.MetHow.choices), required=False)
    activities = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    volunteer_answers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, max_length=5
    )
    newcomer_answers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=5), required=False, max_length=5
    )
    concern = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    safeguarding = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(examples=examples.MATCH)
class MatchSerializer(serializers.ModelSerializer):
    """A match as the requesting user may see it: staff see both people and the follow-ups; the
    volunteer in the match sees the newcomer only as she consented (selectors.newcomer_seen_by),
    and never the coordinators' follow-up notes."""

    newcomer = serializers.SerializerMethodField()
    volunteer = PersonBriefSerializer(read_only=True)
    follow_ups = serializers.SerializerMethodField()
    end_reason = serializers.ChoiceField(choices=Match.EndReason.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "programme",
            "newcomer",
            "volunteer",
            "state",
            "started_on",
            "trial_ends_on",
            "planned_end_on",
            "intro_at",
            "intro_place",
            "intro_coordinator_attends",
            "activated_on",
            "ended_on",
            "end_reason",
            "follow_ups",
        ]
        read_only_fields = fields

    def _seen(self, match) -> dict:
        viewer = self.context["request"].user
        cache = self.context.setdefault("_seen", {})
        if match.newcomer_id not in cache:
            cache[match.newcomer_id] = selectors.newcomer_seen_by(match.newcomer, viewer=viewer)
        return cache[match.newcomer_id]

    @extend_schema_field(PersonBriefSerializer)
    def get_newcomer(self, match) -> dict:
        seen = self._seen(match)
        return {"id": seen["id"], "first_name": seen["first_name"], "last_name": seen["last_name"]}

    @extend_schema_field(FollowUpSerializer(many=True))
    def get_follow_ups(self, match) -> list:
        if not self._seen(match)["staff_notes"]:
            return []
        return FollowUpSerializer(match.follow_ups.all(), many=True).data


@extend_schema_serializer(examples=examples.MATCH_CREATE)
class MatchCreateSerializer(serializers.Serializer):
    programme = VisibleRelatedField(fields.programmes_coordinated)
    newcomer = VisibleRelatedField(fields.newcomers_coordinated)
    volunteer = VisibleRelatedField(fields.volunteers_coordinated)


@extend_schema_serializer(examples=examples.INTRO)
class IntroSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    coordinator_attends = serializers.BooleanField(default=True)


@extend_schema_serializer(examples=examples.EXTEND)
class ExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24)


@extend_schema_serializer(examples=examples.END)
class EndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Match.EndReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    newcomer_returns = serializers.BooleanField(default=True)
    volunteer_returns = serializers.BooleanField(default=True)
