"""A newcomer, registered by a social worker with the consent record."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from coordinator import facts, privacy, validators, vocabulary
from coordinator.forms.people import (
    BirthYearField,
    GenderField,
    HouseholdMixin,
    PersonFactsForm,
    conditional,
    first_name_field,
    gender_preference_field,
    phone_field,
)
from coordinator.models import (
    Newcomer,
    Programme,
    TargetGroup,
)


class NewcomerForm(PersonFactsForm, HouseholdMixin):
    """Everything a social worker registers about a newcomer, with the consent record."""

    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    programmes = forms.ModelMultipleChoiceField(
        label=_("Program"),
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett program.")},
    )
    first_name = first_name_field(own=False)
    last_name = forms.CharField(
        label=_("Efternamn"),
        max_length=facts.NAME_LENGTH,
        required=False,
        validators=[validators.validate_person_name],
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    phone = phone_field(help_text=_("Så att samordnaren kan nå personen."), own=False)
    birth_year = BirthYearField(own=False)
    gender = GenderField()
    target_group = forms.ChoiceField(label=_("Målgrupp"), choices=TargetGroup.choices, widget=forms.RadioSelect)
    gender_preference = gender_preference_field()
    needs = forms.CharField(
        label=_("Behov och önskemål"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad personen vill ha hjälp med eller göra. Inget om hälsa, religion eller etnicitet."),
    )
    interpreter_needed = forms.BooleanField(label=_("Behöver tolk vid första mötet"), required=False)
    interpreter_language = conditional(
        forms.ChoiceField(label=_("Tolkspråk"), required=False, help_text=_("Krävs när tolk behövs vid första mötet."))
    )
    duplicate_confirmed = forms.BooleanField(
        label=_("Det är en annan person med samma namn och födelseår"), required=False
    )
    consent_given_on = forms.DateField(
        label=_("Samtycke lämnat"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    consent_method = forms.ChoiceField(
        label=_("Hur samtycket lämnades"), choices=Newcomer.ConsentMethod.choices, widget=forms.RadioSelect
    )
    consent_notice_language = forms.ChoiceField(
        label=_("Integritetsmeddelandet gavs på"),
        help_text=_(
            "Språket personen fick integritetsmeddelandet på, uppläst eller översatt av tolken, innan samtycket."
        ),
    )
    consent_shareable = forms.MultipleChoiceField(
        label=_("Får lämnas till volontären"),
        required=False,
        choices=Newcomer.ShareableFact.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det den nyanlände har samtyckt till att volontären får veta. Annat omfattas av sekretess."),
    )

    # Consent first: nobody is registered without it, so the social worker records it before
    # anything else about the newcomer (issue 17).
    sections = [
        (
            _("Samtycke"),
            ["consent_notice_language", "consent_given_on", "consent_method", "consent_shareable"],
        ),
        (
            _("Person"),
            [
                "organisation",
                "programmes",
                "first_name",
                "last_name",
                "duplicate_confirmed",
                "phone",
                "birth_year",
                "gender",
                "target_group",
            ],
        ),
        (_("Språk"), ["languages", "swedish_level", "interpreter_needed", "interpreter_language"]),
        (_("Intressen och tider"), ["interests", "other_interests", "availability"]),
        (
            _("Plats och hushåll"),
            ["postcode", "locality", "gender_preference", "household_adults", "children_ages", "needs"],
        ),
    ]
    field_order = [name for _title, names in sections for name in names]

    def grouped(self):
        """The form's fields in sections, for a long form to read in parts. The box that confirms
        a namesake is someone else is shown only once the service has found one."""
        shown = [name for name in self.fields if name != "duplicate_confirmed" or self._namesake_found()]
        return [(title, [self[name] for name in names if name in shown]) for title, names in self.sections]

    def _namesake_found(self) -> bool:
        return bool(self.is_bound and (self.errors.get("duplicate_confirmed") or self.data.get("duplicate_confirmed")))

    def __init__(self, *args, organisations=None, newcomer: Newcomer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
        self.only_organisation = (
            newcomer.organisation if newcomer else (organisations[0] if len(organisations) == 1 else None)
        )
        if self.only_organisation is not None:
            # Nothing to choose: the field is not shown, and the one organisation is taken.
            del self.fields["organisation"]
        org_ids = [o.pk for o in organisations] if organisations is not None else []
        self.fields["programmes"].queryset = (
            Programme.objects.filter(organisation_id__in=org_ids, active=True)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )
        self.fields["programmes"].label_from_instance = lambda p: f"{p.name} ({p.get_kind_display()})"
        self.fields["interpreter_language"].choices = [("", "–"), *vocabulary.language_choices()]
        self.fields["consent_notice_language"].choices = [("", "–"), *vocabulary.language_choices()]
        self.notice_version = privacy.NEWCOMER_CURRENT
        self.fields["languages"].help_text = _("Alla språk personen kan samtala på, svenska också.")
        self.fields["availability"].label = _("När är personen ledig?")
        self.fields["availability"].help_text = _("De tider i veckan som brukar passa personen.")
        self.fields["gender_preference"].label = _("Vill träffa en kvinna eller en man?")
        self.fields["household_adults"].help_text = ""
        self.fields["locality"].help_text = _("Om personen inte vill ange postnummer.")
        # The browser may fill in the social worker's own name and address: never here.
        for name in ("last_name", "postcode", "locality"):
            self.fields[name].widget.attrs["autocomplete"] = "off"
        if newcomer is not None:
            # The consent record is kept as given; withdrawing it is its own action.
            for name in ("consent_given_on", "consent_method", "consent_notice_language", "duplicate_confirmed"):
                del self.fields[name]

    def clean_phone(self) -> str:
        return facts.clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if self.only_organisation is not None:
            cleaned["organisation"] = self.only_organisation
        organisation, programmes = cleaned.get("organisation"), cleaned.get("programmes")
        if organisation and programmes and any(p.organisation_id != organisation.pk for p in programmes):
            self.add_error("programmes", _("Programmen ska höra till den valda organisationen."))
        if cleaned.get("interpreter_needed") and not cleaned.get("interpreter_language"):
            self.add_error("interpreter_language", _("Ange vilket språk tolken ska tala."))
        given = cleaned.get("consent_given_on")
        if given and given > timezone.localdate():
            self.add_error("consent_given_on", _("Datumet ligger i framtiden."))
        return cleaned


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Den nyanlände har återkallat sitt samtycke. Ta bort personen ur matchningen nu."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta.")},
    )


class NewcomerSearchForm(forms.Form):
    """What a social worker looks her newcomers up by (a GET form: the address keeps the search)."""

    q = forms.CharField(label=_("Sök på namn eller födelseår"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Alla")), *Newcomer.Status.choices])
    programme = forms.TypedChoiceField(label=_("Program"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("Alla")), *[(p.pk, p.name) for p in programmes]]
