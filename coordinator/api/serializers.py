"""What the API reads and writes. No logic here: input is validated field by field, then handed
to the same services the web pages use; output shows what the permission module lets the
user see."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from accounts.models import Organisation
from coordinator import selectors, vocabulary
from coordinator.api import fields
from coordinator.api.fields import VisibleRelatedField
from coordinator.models import (
    FollowUp,
    Gender,
    GenderPreference,
    Match,
    MatchingRun,
    Newcomer,
    Programme,
    Proposal,
    SwedishLevel,
    TargetGroup,
    Volunteer,
)
from coordinator.validators import validate_person_name

SLOT_CHOICES = [(s, s) for s in vocabulary.SLOTS]
LANGUAGE_CHOICES = [(c, c) for c in vocabulary.LANGUAGES]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A municipality",
            value={
                "id": 1,
                "name": "Ekerö kommun",
                "slug": "ekero",
                "kind": "municipality",
                "municipality_code": "0125",
            },
            response_only=True,
        )
    ]
)
class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "kind", "municipality_code"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A language-friend programme",
            value={
                "id": 3,
                "organisation": 1,
                "name": "Språkvän Ekerö",
                "kind": "sprakvan",
                "description": "",
                "planned_length_months": 6,
                "trial_months": 1,
                "max_distance_km": 25.0,
                "follow_up_days": [14, 30, 90],
                "target_groups": ["nyanland", "asylsokande"],
                "nightly_matching": False,
                "active": True,
            },
        )
    ]
)
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
            "target_groups",
            "nightly_matching",
            "active",
        ]
        read_only_fields = fields


class PersonFactsSerializer(serializers.Serializer):
    """Input: the facts the engine matches on, the same for volunteers and newcomers."""

    first_name = serializers.CharField(max_length=100, validators=[validate_person_name])
    last_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", validators=[validate_person_name]
    )
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1900, max_value=2100)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), min_length=1, max_length=20
    )
    swedish_level = serializers.ChoiceField(choices=SwedishLevel.choices, default=SwedishLevel.NONE)
    interests = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list, max_length=20
    )
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOT_CHOICES), min_length=1, max_length=21
    )
    postcode = serializers.CharField(max_length=8, required=False, allow_blank=True, default="")
    locality = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    gender_preference = serializers.ChoiceField(
        choices=GenderPreference.choices, required=False, allow_blank=True, default=""
    )
    household_adults = serializers.IntegerField(min_value=1, max_value=10, default=1)
    household_children_ages = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=25), required=False, default=list, max_length=12
    )

    def validate_birth_year(self, value):
        from coordinator.validators import validate_birth_year

        if value is not None:
            validate_birth_year(value)
        return value

    def validate(self, data):
        from types import SimpleNamespace

        from django.core.exceptions import ValidationError

        from coordinator.services import person_locate

        if "postcode" in data or "locality" in data or not self.partial:
            place = SimpleNamespace(postcode="", locality="", latitude=None, longitude=None)
            try:
                person_locate(person=place, postcode=data.get("postcode", ""), locality=data.get("locality", ""))
            except ValidationError as error:
                raise serializers.ValidationError(error.message_dict) from None
            data["place"] = {
                "postcode": place.postcode,
                "locality": place.locality,
                "latitude": place.latitude,
                "longitude": place.longitude,
            }
        data.pop("postcode", None)
        data.pop("locality", None)
        if "interests" in data:
            data["interests"] = list(dict.fromkeys(tag.strip().lower() for tag in data["interests"] if tag.strip()))
        return data


class PersonOutMixin(serializers.Serializer):
    location = serializers.SerializerMethodField()

    def get_location(self, person) -> dict | None:
        return {"postcode": person.postcode, "locality": person.locality} if person.locality else None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An approved volunteer",
            value={
                "id": 12,
                "organisation": 1,
                "programmes": [3],
                "first_name": "Karin",
                "last_name": "Berg",
                "email": "karin@example.se",
                "phone": "070-123 45 67",
                "status": "approved",
                "languages": ["sv", "en"],
                "swedish_level": "native",
                "interests": ["matlagning"],
                "availability": ["mon-evening", "sat-morning"],
                "location": {"postcode": "178 32", "locality": "Ekerö"},
                "gender": "female",
                "birth_year": 1968,
                "gender_preference": "",
                "household_adults": 2,
                "household_children_ages": [9, 12],
                "capacity": 2,
                "open_matches": 1,
                "background_check_date": "2026-03-01",
                "background_check_expires": "2027-03-01",
            },
            response_only=True,
        )
    ]
)
class VolunteerSerializer(PersonOutMixin, serializers.ModelSerializer):
    email = serializers.CharField(read_only=True)
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    gender_preference = serializers.ChoiceField(choices=GenderPreference.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "organisation",
            "programmes",
            "first_name",
            "last_name",
            "email",
            "phone",
            "status",
            "languages",
            "swedish_level",
            "interests",
            "availability",
            "location",
            "gender",
            "birth_year",
            "gender_preference",
            "household_adults",
            "household_children_ages",
            "capacity",
            "open_matches",
            "background_check_date",
            "background_check_expires",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Change times and capacity",
            value={"availability": ["tue-evening", "sat-morning"], "capacity": 2},
            request_only=True,
        )
    ]
)
class VolunteerUpdateSerializer(PersonFactsSerializer):
    capacity = serializers.IntegerField(min_value=1, max_value=10, required=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Reject with a reason",
            value={"to_status": "rejected", "reason": "Kan inte åta sig ett halvår just nu."},
            request_only=True,
        )
    ]
)
class ScreeningSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(
        choices=[
            (Volunteer.Status.INTERVIEWED, "interviewed"),
            (Volunteer.Status.APPROVED, "approved"),
            (Volunteer.Status.REJECTED, "rejected"),
            (Volunteer.Status.PAUSED, "paused"),
        ]
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_serializer(
    examples=[
        OpenApiExample("Extract seen", value={"seen_on": "2026-11-20", "expires_on": "2027-11-20"}, request_only=True)
    ]
)
class BackgroundCheckSerializer(serializers.Serializer):
    seen_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A newcomer waiting for a match",
            value={
                "id": 40,
                "organisation": 1,
                "programmes": [3],
                "first_name": "Amal",
                "last_name": "Haddad",
                "status": "waiting",
                "target_group": "nyanland",
                "languages": ["ar", "en"],
                "swedish_level": "basic",
                "interests": ["matlagning"],
                "availability": ["mon-evening"],
                "location": {"postcode": "178 30", "locality": "Ekerö"},
                "gender": "female",
                "birth_year": 1994,
                "gender_preference": "female",
                "household_adults": 1,
                "household_children_ages": [3],
                "registered_on": "2026-09-01",
                "interpreter_needed": True,
                "interpreter_language": "ar",
                "consent_given_at": "2026-09-01T10:00:00+02:00",
                "consent_method": "oral_interpreter",
                "consent_withdrawn_at": None,
                "consent_shareable": ["first_name", "languages"],
            },
            response_only=True,
        )
    ]
)
class NewcomerSerializer(PersonOutMixin, serializers.ModelSerializer):
    gender = serializers.ChoiceField(choices=Gender.choices, allow_blank=True, read_only=True)
    gender_preference = serializers.ChoiceField(choices=GenderPreference.choices, allow_blank=True, read_only=True)
    consent_method = serializers.ChoiceField(choices=Newcomer.ConsentMethod.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Newcomer
        fields = [
            "id",
            "organisation",
            "programmes",
            "first_name",
            "last_name",
            "status",
            "target_group",
            "languages",
            "swedish_level",
            "interests",
            "availability",
            "location",
            "gender",
            "birth_year",
            "gender_preference",
            "household_adults",
            "household_children_ages",
            "registered_on",
            "interpreter_needed",
            "interpreter_language",
            "consent_given_at",
            "consent_method",
            "consent_withdrawn_at",
            "consent_shareable",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Register a newcomer",
            value={
                "programmes": [3],
                "first_name": "Yonas",
                "last_name": "Tesfay",
                "birth_year": 1990,
                "gender": "male",
                "target_group": "asylsokande",
                "languages": ["ti", "en"],
                "swedish_level": "basic",
                "interests": ["fotboll"],
                "availability": ["sat-morning", "wed-evening"],
                "postcode": "178 30",
                "household_adults": 1,
                "household_children_ages": [],
                "interpreter_needed": True,
                "interpreter_language": "ti",
                "consent_given_on": "2026-11-20",
                "consent_method": "oral_interpreter",
                "consent_shareable": ["first_name", "languages"],
            },
            request_only=True,
        )
    ]
)
class NewcomerWriteSerializer(PersonFactsSerializer):
    """Input: a newcomer a social worker registers (or changes), with the consent record."""

    organisation = VisibleRelatedField(fields.organisations_registering, required=False)
    programmes = VisibleRelatedField(fields.programmes_registering, many=True)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    needs = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    interpreter_needed = serializers.BooleanField(default=False)
    interpreter_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True, default=""
    )
    consent_given_on = serializers.DateField(required=False)
    consent_method = serializers.ChoiceField(choices=Newcomer.ConsentMethod.choices, required=False)
    consent_shareable = serializers.ListField(
        child=serializers.ChoiceField(choices=Newcomer.ShareableFact.choices), required=False, default=list
    )

    def validate(self, data):
        data = super().validate(data)
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            raise serializers.ValidationError({"interpreter_language": _("Ange vilket språk tolken ska tala.")})
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A finished run",
            value={
                "id": 7,
                "programme": 3,
                "status": "done",
                "phase": "",
                "trigger": "manual",
                "created_at": "2026-11-22T14:05:00+01:00",
                "started_at": "2026-11-22T14:05:01+01:00",
                "finished_at": "2026-11-22T14:05:02+01:00",
                "newcomers_count": 64,
                "volunteers_count": 54,
                "feasible_pairs": 1210,
                "matched_count": 53,
                "error": "",
            },
            response_only=True,
        )
    ]
)
class MatchingRunSerializer(serializers.ModelSerializer):
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
            "error",
        ]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[OpenApiExample("Run matching for a programme", value={"programme": 3}, request_only=True)]
)
class RunRequestSerializer(serializers.Serializer):
    programme = VisibleRelatedField(fields.programmes_coordinated)


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A pending proposal",
            value={
                "id": 101,
                "run": 7,
                "newcomer": {"id": 40, "first_name": "Amal", "last_name": "Haddad"},
                "volunteer": {"id": 12, "first_name": "Karin", "last_name": "Berg"},
                "score": 0.81,
                "parts": {
                    "language": 1.0,
                    "interests": 0.5,
                    "availability": 1.0,
                    "distance": 0.9,
                    "distance_km": 2.5,
                    "shared_languages": ["en"],
                    "shared_slots": ["mon-evening"],
                    "shared_interests": ["matlagning"],
                },
                "state": "pending",
                "decided_at": None,
                "decline_reason": "",
            },
            response_only=True,
        )
    ]
)
class ProposalSerializer(serializers.ModelSerializer):
    newcomer = PersonBriefSerializer(read_only=True)
    volunteer = PersonBriefSerializer(read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "run", "newcomer", "volunteer", "score", "parts", "state", "decided_at", "decline_reason"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Decline", value={"reason": "De bor för långt ifrån varandra för kvällsträffar."}, request_only=True
        )
    ]
)
class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A follow-up done",
            value={
                "id": 5,
                "match": 33,
                "due_on": "2026-12-06",
                "label": "Uppföljning efter 14 dagar",
                "done_on": "2026-12-06",
                "outcome": "going_well",
                "notes": "Ses varje måndag.",
            },
            response_only=True,
        )
    ]
)
class FollowUpSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=FollowUp.Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "match", "due_on", "label", "done_on", "outcome", "notes"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Going well",
            value={"outcome": "going_well", "done_on": "2026-12-06", "notes": "Ses varje måndag på biblioteket."},
            request_only=True,
        )
    ]
)
class FollowUpRecordSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FollowUp.Outcome.choices)
    done_on = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An active match",
            value={
                "id": 33,
                "programme": 3,
                "newcomer": {"id": 40, "first_name": "Amal", "last_name": "Haddad"},
                "volunteer": {"id": 12, "first_name": "Karin", "last_name": "Berg"},
                "state": "active",
                "started_on": "2026-11-22",
                "trial_ends_on": "2026-12-22",
                "planned_end_on": "2027-05-22",
                "intro_at": "2026-11-25T17:30:00+01:00",
                "intro_place": "Biblioteket",
                "intro_coordinator_attends": True,
                "activated_on": "2026-11-25",
                "ended_on": None,
                "end_reason": "",
                "follow_ups": [],
            },
            response_only=True,
        )
    ]
)
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


@extend_schema_serializer(
    examples=[
        OpenApiExample("Pair by hand", value={"programme": 3, "newcomer": 40, "volunteer": 12}, request_only=True)
    ]
)
class MatchCreateSerializer(serializers.Serializer):
    programme = VisibleRelatedField(fields.programmes_coordinated)
    newcomer = VisibleRelatedField(fields.newcomers_coordinated)
    volunteer = VisibleRelatedField(fields.volunteers_coordinated)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Book the first meeting",
            value={
                "at": "2026-11-25T17:30:00+01:00",
                "place": "Biblioteket i Ekerö centrum",
                "coordinator_attends": True,
            },
            request_only=True,
        )
    ]
)
class IntroSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    coordinator_attends = serializers.BooleanField(default=True)


@extend_schema_serializer(examples=[OpenApiExample("Three months more", value={"months": 3}, request_only=True)])
class ExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(min_value=1, max_value=24)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Moved away",
            value={"reason": "moved", "note": "", "newcomer_returns": False, "volunteer_returns": True},
            request_only=True,
        )
    ]
)
class EndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Match.EndReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    newcomer_returns = serializers.BooleanField(default=True)
    volunteer_returns = serializers.BooleanField(default=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Log in", value={"email": "samordnare@ekero.demo", "password": "…", "code": "123456"}, request_only=True
        )
    ]
)
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
