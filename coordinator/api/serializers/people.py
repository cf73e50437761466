"""Volunteers and newcomers: what the API reads (their facts, checked by coordinator/facts.py)
and what it shows (what the permission module lets the user see)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from coordinator import facts, vocabulary
from coordinator.api import examples, fields
from coordinator.api.fields import VisibleRelatedField
from coordinator.models import (
    Gender,
    GenderPreference,
    Newcomer,
    SwedishLevel,
    TargetGroup,
    Volunteer,
)
from coordinator.validators import validate_person_name

SLOT_CHOICES = [(s, s) for s in vocabulary.SLOTS]
LANGUAGE_CHOICES = [(c, c) for c in vocabulary.LANGUAGES]


def _checked(check, value):
    try:
        return check(value)
    except ValidationError as error:
        raise serializers.ValidationError(error.messages) from None


class PersonFactsSerializer(serializers.Serializer):
    """Input: the facts the engine matches on, the same for volunteers and newcomers."""

    first_name = serializers.CharField(max_length=facts.NAME_LENGTH, validators=[validate_person_name])
    last_name = serializers.CharField(
        max_length=facts.NAME_LENGTH, required=False, allow_blank=True, default="", validators=[validate_person_name]
    )
    phone = serializers.CharField(max_length=facts.PHONE_LENGTH, required=False, allow_blank=True, default="")
    birth_year = serializers.IntegerField(required=False, allow_null=True, default=None)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True, default="")
    languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CHOICES))
    swedish_level = serializers.ChoiceField(choices=SwedishLevel.choices, default=SwedishLevel.NONE)
    interests = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    availability = serializers.ListField(child=serializers.ChoiceField(choices=SLOT_CHOICES))
    postcode = serializers.CharField(max_length=facts.POSTCODE_LENGTH, required=False, allow_blank=True, default="")
    locality = serializers.CharField(max_length=facts.LOCALITY_LENGTH, required=False, allow_blank=True, default="")
    gender_preference = serializers.ChoiceField(
        choices=GenderPreference.choices, required=False, allow_blank=True, default=""
    )
    household_adults = serializers.IntegerField(default=1)
    household_children_ages = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    # Each fact is checked by coordinator.facts, as on the web form and in an import.
    def validate_phone(self, value):
        return _checked(facts.clean_phone, value)

    def validate_birth_year(self, value):
        return _checked(facts.clean_birth_year, value)

    def validate_languages(self, value):
        return _checked(facts.clean_languages, value)

    def validate_interests(self, value):
        return _checked(facts.clean_interests, value)

    def validate_availability(self, value):
        return _checked(facts.clean_availability, value)

    def validate_household_adults(self, value):
        return _checked(facts.clean_household_adults, value)

    def validate_household_children_ages(self, value):
        return _checked(facts.clean_children_ages, value)

    def validate(self, data):
        if "languages" in data and "swedish_level" in data:
            try:
                facts.check_swedish(data["languages"], data["swedish_level"])
            except ValidationError as error:
                raise serializers.ValidationError(error.message_dict) from None
        if "postcode" in data or "locality" in data or not self.partial:
            try:
                data["place"] = facts.locate(
                    postcode=data.get("postcode", ""), locality=data.get("locality", "")
                ).as_dict()
            except ValidationError as error:
                raise serializers.ValidationError(error.message_dict) from None
        data.pop("postcode", None)
        data.pop("locality", None)
        return data


class PersonOutMixin(serializers.Serializer):
    location = serializers.SerializerMethodField()

    def get_location(self, person) -> dict | None:
        return {"postcode": person.postcode, "locality": person.locality} if person.locality else None


@extend_schema_serializer(examples=examples.VOLUNTEER)
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


@extend_schema_serializer(examples=examples.VOLUNTEER_UPDATE)
class VolunteerUpdateSerializer(PersonFactsSerializer):
    capacity = serializers.IntegerField(required=False)

    def validate_capacity(self, value):
        return _checked(facts.clean_capacity, value)


@extend_schema_serializer(examples=examples.SCREENING)
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
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    programmes = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="An approval: the ids of the programmes it is for (some or all of hers; all when left out).",
    )


@extend_schema_serializer(examples=examples.BACKGROUND_CHECK)
class BackgroundCheckSerializer(serializers.Serializer):
    seen_on = serializers.DateField()
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(examples=examples.NEWCOMER)
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
            "consent_notice_version",
            "consent_notice_language",
            "consent_withdrawn_at",
            "consent_shareable",
        ]
        read_only_fields = fields


@extend_schema_serializer(examples=examples.NEWCOMER_WRITE)
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
    consent_notice_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text="The language the newcomers' privacy notice (/integritet/nyanland/) was read or interpreted in.",
    )
    duplicate_confirmed = serializers.BooleanField(
        default=False, help_text="Register her although someone with the same name and birth year exists."
    )

    def validate(self, data):
        data = super().validate(data)
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            raise serializers.ValidationError({"interpreter_language": _("Ange vilket språk tolken ska tala.")})
        return data
