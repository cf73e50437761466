"""The volunteer's application, a step at a time (coordinator/views/volunteering.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinator import facts, validators
from coordinator.forms.people import (
    BirthYearField,
    GenderField,
    HouseholdMixin,
    PersonFactsForm,
    add_errors,
    availability_field,
    first_name_field,
    gender_preference_field,
    locality_field,
    phone_field,
    place_into,
    postcode_field,
)
from coordinator.models import (
    Programme,
)


class AboutYouForm(forms.Form):
    title = _("Om dig")
    first_name = first_name_field()
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=facts.NAME_LENGTH,
        validators=[validators.validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": "family-name", "dir": "auto"}),
    )
    phone = phone_field()
    birth_year = BirthYearField()
    gender = GenderField()

    def clean_phone(self) -> str:
        return facts.clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        try:
            facts.check_adult_volunteer(cleaned.get("birth_year"), today=timezone.localdate())
        except ValidationError as error:
            add_errors(self, error)
        return cleaned


class ProgrammesForm(forms.Form):
    title = _("Program")
    programmes = forms.ModelMultipleChoiceField(
        label=_("Vad vill du göra?"),
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett program.")},
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Programme.objects.filter(active=True).select_related("organisation")
        if organisation is not None:
            queryset = queryset.filter(organisation=organisation)
        self.fields["programmes"].queryset = queryset.order_by("organisation__name", "name")
        self.fields["programmes"].label_from_instance = lambda p: f"{p.get_kind_display()}: {p.name} ({p.organisation})"

    def clean_programmes(self):
        programmes = self.cleaned_data["programmes"]
        if len({p.organisation_id for p in programmes}) > 1:
            raise ValidationError(
                _("Välj program hos en organisation i taget: du anmäler dig till en organisation."), code="mixed"
            )
        return programmes


class LanguagesForm(PersonFactsForm):
    title = _("Språk och intressen")
    field_order = ["languages", "swedish_level", "interests", "other_interests"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("availability", "postcode", "locality"):
            del self.fields[name]
        self.fields["languages"].help_text = _("Alla språk du kan samtala på, svenska också.")
        self.fields["swedish_level"].label = _("Din svenska")


class AvailabilityForm(forms.Form):
    title = _("Tider")
    availability = availability_field()


class PlaceForm(forms.Form):
    title = _("Var du bor")
    postcode = postcode_field()
    locality = locality_field()

    def clean(self):
        cleaned = super().clean()
        place_into(self, cleaned)
        return cleaned


class WishesForm(HouseholdMixin):
    title = _("Vem du vill träffa")
    WANTS = [("either", _("Det spelar ingen roll")), ("family", _("En familj")), ("single", _("En person"))]

    gender_preference = gender_preference_field()
    wants = forms.ChoiceField(
        label=_("En familj eller en person?"), choices=WANTS, initial="either", widget=forms.RadioSelect
    )
    wants_age_min = forms.IntegerField(
        label=_("Den nyanländes ålder, från"),
        required=False,
        min_value=0,
        max_value=110,
        help_text=_("Lämna tomt om åldern inte spelar någon roll."),
    )
    wants_age_max = forms.IntegerField(
        label=_("Den nyanländes ålder, till"), required=False, min_value=0, max_value=110
    )
    capacity = forms.IntegerField(
        label=_("Hur många nyanlända kan du träffa samtidigt?"),
        min_value=facts.CAPACITY[0],
        max_value=facts.CAPACITY[1],
        initial=1,
    )
    field_order = [
        "gender_preference",
        "wants",
        "wants_age_min",
        "wants_age_max",
        "capacity",
        "household_adults",
        "children_ages",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_adults"].help_text = _("Ditt hushåll: det spelar roll för vänfamiljer.")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("wants_age_min"), cleaned.get("wants_age_max")
        if low is not None and high is not None and low > high:
            self.add_error("wants_age_max", _("”Till” ska vara minst lika mycket som ”från”."))
        return cleaned


class ConsentForm(forms.Form):
    title = _("Samtycke")
    accept = forms.BooleanField(
        label=_("Jag har läst integritetsmeddelandet och samtycker till att uppgifterna sparas och används så."),
        error_messages={"required": _("Du behöver samtycka för att kunna bli volontär.")},
    )
