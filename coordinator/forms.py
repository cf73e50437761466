"""Forms for the people in a programme: what volunteers fill in, what social workers register.

Forms validate and clean; they never save. Views hand `cleaned_data` to services.py.
Every message names what is wrong at the field it belongs to.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from coordinator import facts, validators, vocabulary
from coordinator.models import (
    FollowUp,
    Gender,
    GenderPreference,
    Match,
    Newcomer,
    Programme,
    SwedishLevel,
    TargetGroup,
    Volunteer,
)


class SlotGrid(forms.CheckboxSelectMultiple):
    """The 21 weekly slots as a table: days down, morning/afternoon/evening across."""

    template_name = "widgets/slot_grid.html"
    use_fieldset = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        context["parts"] = [str(vocabulary.PART_NAMES[p]) for p in vocabulary.PARTS]
        context["days"] = [
            {
                "name": str(vocabulary.DAY_NAMES[day]),
                "cells": [
                    {
                        "value": f"{day}-{part}",
                        "id": f"{base_id}_{day}_{part}",
                        "label": vocabulary.slot_label(f"{day}-{part}"),
                        "checked": f"{day}-{part}" in chosen,
                    }
                    for part in vocabulary.PARTS
                ],
            }
            for day in vocabulary.DAYS
        ]
        return context


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _add_errors(form: forms.Form, error: ValidationError, field: str | None = None) -> None:
    """A check of coordinator.facts refused a value: show its message at the field."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(field, message)


def _place_into(form: forms.Form, cleaned: dict) -> None:
    """Look the place up from the postcode or locality given (coordinator.facts.locate)."""
    if "postcode" in form.errors or "locality" in form.errors:
        return
    try:
        cleaned["place"] = facts.locate(
            postcode=cleaned.get("postcode", ""), locality=cleaned.get("locality", "")
        ).as_dict()
    except ValidationError as error:
        _add_errors(form, error)


# Each form gets its own field objects: a field is made by a function, never shared between
# classes (a field object holds its choices and widget, which forms change).


def availability_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("När är du ledig?"),
        help_text=_("Kryssa i de tider i veckan som brukar passa."),
        widget=SlotGrid,
        choices=lambda: [(slot, vocabulary.slot_label(slot)) for slot in vocabulary.SLOTS],
        error_messages={"required": _("Välj minst en tid i veckan.")},
    )


def postcode_field() -> forms.CharField:
    return forms.CharField(
        label=_("Postnummer"),
        required=False,
        max_length=facts.POSTCODE_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


def locality_field() -> forms.CharField:
    return forms.CharField(
        label=_("Ort"),
        required=False,
        max_length=facts.LOCALITY_LENGTH,
        help_text=_("Om du inte vill ange postnummer."),
    )


def _autocomplete(token: str, own: bool) -> str:
    """The browser may fill in the user's own details, never into a field about someone else."""
    return token if own else "off"


def first_name_field(*, own: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Förnamn"),
        max_length=facts.NAME_LENGTH,
        validators=[validators.validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": _autocomplete("given-name", own), "dir": "auto"}),
    )


def phone_field(help_text=None, *, own: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Telefon"),
        max_length=facts.PHONE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": _autocomplete("tel", own), "inputmode": "tel"}),
        help_text=help_text or _("Så att samordnaren kan ringa dig."),
    )


def gender_preference_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Vill du träffa en kvinna eller en man?"),
        choices=[("", _("Det spelar ingen roll")), *GenderPreference.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class PersonFactsForm(forms.Form):
    """What the engine matches on, for volunteers and newcomers alike."""

    languages = forms.MultipleChoiceField(
        label=_("Språk"),
        help_text=_("Alla språk personen kan samtala på, svenska också."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
        error_messages={"required": _("Ange minst ett språk.")},
    )
    swedish_level = forms.ChoiceField(label=_("Svenska"), choices=SwedishLevel.choices, widget=forms.RadioSelect)
    interests = forms.MultipleChoiceField(
        label=_("Intressen"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "columns"}),
    )
    other_interests = forms.CharField(
        label=_("Andra intressen"),
        required=False,
        max_length=300,
        help_text=_("Skriv fler med komma emellan, till exempel: kör, bakning."),
    )
    availability = availability_field()
    postcode = postcode_field()
    locality = locality_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = vocabulary.language_choices()
        self.fields["interests"].choices = sorted(
            ((tag, str(label)) for tag, label in vocabulary.INTERESTS.items()), key=lambda item: item[1].casefold()
        )

    def clean_languages(self) -> list[str]:
        return facts.clean_languages(self.cleaned_data["languages"])

    def clean_other_interests(self) -> list[str]:
        return facts.clean_interests(_comma_list(self.cleaned_data.get("other_interests", "")))

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["all_interests"] = facts.clean_interests(
                [*cleaned.get("interests", []), *cleaned.get("other_interests", [])]
            )
        except ValidationError as error:
            _add_errors(self, error, "other_interests")
        if "postcode" in self.fields:
            _place_into(self, cleaned)
        return cleaned


class HouseholdMixin(forms.Form):
    household_adults = forms.IntegerField(
        label=_("Vuxna i hushållet"), min_value=facts.ADULTS[0], max_value=facts.ADULTS[1], initial=1
    )
    children_ages = forms.CharField(
        label=_("Barnens åldrar"),
        required=False,
        max_length=100,
        help_text=_("Skriv åldrarna med komma emellan, till exempel: 4, 9. Lämna tomt om inga barn bor hemma."),
    )

    def clean_children_ages(self) -> list[int]:
        return facts.parse_children_ages(self.cleaned_data.get("children_ages", ""))


class BirthYearField(forms.IntegerField):
    def __init__(self, *, own: bool = True, **kwargs):
        kwargs.setdefault("label", _("Födelseår"))
        kwargs.setdefault(
            "widget",
            forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": _autocomplete("bday-year", own)}),
        )
        super().__init__(validators=[validators.validate_birth_year], **kwargs)


# --- The volunteer's application, a step at a time -----------------------------------------


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
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices, widget=forms.RadioSelect)

    def clean_phone(self) -> str:
        return facts.clean_phone(self.cleaned_data.get("phone", ""))


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
        _place_into(self, cleaned)
        return cleaned


class WishesForm(HouseholdMixin):
    title = _("Vem du vill träffa")
    WANTS = [("either", _("Det spelar ingen roll")), ("family", _("En familj")), ("single", _("En person"))]

    gender_preference = gender_preference_field()
    wants = forms.ChoiceField(
        label=_("En familj eller en person?"), choices=WANTS, initial="either", widget=forms.RadioSelect
    )
    wants_age_min = forms.IntegerField(label=_("Ålder från"), required=False, min_value=0, max_value=110)
    wants_age_max = forms.IntegerField(label=_("Ålder till"), required=False, min_value=0, max_value=110)
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


def wants_from(value: str) -> bool | None:
    return {"family": True, "single": False}.get(value)


def wants_to(value: bool | None) -> str:
    return {True: "family", False: "single"}.get(value, "either")


# --- Screening ---------------------------------------------------------------------------


class ScreeningForm(forms.Form):
    to_status = forms.ChoiceField(
        label=_("Nytt beslut"),
        choices=[
            (Volunteer.Status.INTERVIEWED, _("Intervjuad")),
            (Volunteer.Status.APPROVED, _("Godkänn")),
            (Volunteer.Status.REJECTED, _("Avslå")),
            (Volunteer.Status.PAUSED, _("Pausa")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivering"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs när du avslår. Skriv inte om hälsa, religion eller etnicitet."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == Volunteer.Status.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Skriv varför ansökan avslås."))
        return cleaned


class BackgroundCheckForm(forms.Form):
    seen_on = forms.DateField(
        label=_("Utdraget uppvisat"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Utdrag ur belastningsregistret: krävs för att matchas med barn."),
    )
    expires_on = forms.DateField(
        label=_("Gäller till"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Lämna tomt om organisationen inte sätter något slutdatum."),
    )

    def clean_seen_on(self):
        seen = self.cleaned_data["seen_on"]
        if seen > timezone.localdate():
            raise ValidationError(_("Datumet ligger i framtiden."), code="future")
        return seen

    def clean(self):
        cleaned = super().clean()
        seen, expires = cleaned.get("seen_on"), cleaned.get("expires_on")
        if seen and expires and expires < seen:
            self.add_error("expires_on", _("Slutdatumet ligger före datumet då utdraget visades."))
        return cleaned


# --- Newcomers, registered by a social worker -------------------------------------------------


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
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices, widget=forms.RadioSelect)
    target_group = forms.ChoiceField(label=_("Målgrupp"), choices=TargetGroup.choices, widget=forms.RadioSelect)
    gender_preference = gender_preference_field()
    needs = forms.CharField(
        label=_("Behov och önskemål"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad vill personen ha hjälp med eller göra? Skriv inte om hälsa, religion eller etnicitet."),
    )
    interpreter_needed = forms.BooleanField(label=_("Behöver tolk vid första mötet"), required=False)
    interpreter_language = forms.ChoiceField(label=_("Tolkspråk"), required=False)
    consent_given_on = forms.DateField(
        label=_("Samtycke lämnat"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    consent_method = forms.ChoiceField(
        label=_("Hur samtycket lämnades"), choices=Newcomer.ConsentMethod.choices, widget=forms.RadioSelect
    )
    consent_shareable = forms.MultipleChoiceField(
        label=_("Får lämnas till volontären"),
        required=False,
        choices=Newcomer.ShareableFact.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Det den nyanlände har samtyckt till att volontären får veta. Annat omfattas av sekretess."),
    )

    field_order = [
        "organisation",
        "programmes",
        "first_name",
        "last_name",
        "phone",
        "birth_year",
        "gender",
        "target_group",
        "languages",
        "swedish_level",
        "interpreter_needed",
        "interpreter_language",
        "interests",
        "other_interests",
        "availability",
        "postcode",
        "locality",
        "gender_preference",
        "household_adults",
        "children_ages",
        "needs",
        "consent_given_on",
        "consent_method",
        "consent_shareable",
    ]

    sections = [
        (
            _("Person"),
            ["organisation", "programmes", "first_name", "last_name", "phone", "birth_year", "gender", "target_group"],
        ),
        (_("Språk"), ["languages", "swedish_level", "interpreter_needed", "interpreter_language"]),
        (_("Intressen och tider"), ["interests", "other_interests", "availability"]),
        (
            _("Plats och hushåll"),
            ["postcode", "locality", "gender_preference", "household_adults", "children_ages", "needs"],
        ),
        (_("Samtycke"), ["consent_given_on", "consent_method", "consent_shareable"]),
    ]

    def grouped(self):
        """The form's fields in sections, for a long form to read in parts."""
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.sections]

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
        self.fields["languages"].help_text = _("Alla språk personen kan samtala på, svenska också.")
        self.fields["availability"].label = _("När är personen ledig?")
        self.fields["availability"].help_text = _("Kryssa i de tider i veckan som brukar passa.")
        self.fields["gender_preference"].label = _("Vill träffa en kvinna eller en man?")
        self.fields["household_adults"].help_text = ""
        if newcomer is not None:
            # The consent record is kept as given; withdrawing it is its own action.
            for name in ("consent_given_on", "consent_method"):
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


class ProgrammeForm(forms.ModelForm):
    follow_up_days_text = forms.CharField(
        label=_("Uppföljningar (dagar efter start)"),
        required=False,
        help_text=_("Till exempel: 14, 30, 90. Utvärderingen vid planerat slut läggs alltid till."),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"), choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "kind",
            "description",
            "planned_length_months",
            "trial_months",
            "max_distance_km",
            "target_groups",
            "nightly_matching",
            "retention_months",
            "stale_months",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["follow_up_days_text"].initial = ", ".join(str(d) for d in self.instance.follow_up_days)
        else:
            self.fields["follow_up_days_text"].initial = "14, 30, 90"

    def clean_follow_up_days_text(self) -> list[int]:
        days = []
        for item in _comma_list(self.cleaned_data.get("follow_up_days_text", "")):
            if not item.isdigit() or not 1 <= int(item) <= 3650:
                raise ValidationError(_("”%(value)s” är inget antal dagar mellan 1 och 3650.") % {"value": item})
            days.append(int(item))
        return sorted(set(days))

    def clean_max_distance_km(self):
        value = self.cleaned_data.get("max_distance_km")
        if value is not None and value <= 0:
            raise ValidationError(_("Avståndet ska vara större än 0, eller tomt för ingen gräns."))
        return value

    def clean(self):
        cleaned = super().clean()
        length, trial = cleaned.get("planned_length_months"), cleaned.get("trial_months")
        if length is not None and length < 1:
            self.add_error("planned_length_months", _("Minst en månad."))
        if length and trial is not None and trial > length:
            self.add_error("trial_months", _("Provperioden kan inte vara längre än programmet."))
        return cleaned


# --- The coordinator's loop ------------------------------------------------------------------


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför passar de inte?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paret föreslås aldrig igen. Skriv inte om hälsa, religion eller etnicitet."),
        error_messages={"required": _("Skriv varför förslaget avböjs.")},
    )


class PairForm(forms.Form):
    """A pair a coordinator chooses by hand: to match now, or to lock before a run."""

    newcomer = forms.ModelChoiceField(label=_("Nyanländ"), queryset=Newcomer.objects.none())
    volunteer = forms.ModelChoiceField(label=_("Volontär"), queryset=Volunteer.objects.none())

    def __init__(self, *args, newcomers=(), volunteers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newcomer"].queryset = Newcomer.objects.filter(pk__in=[n.pk for n in newcomers]).order_by(
            "first_name", "last_name", "id"
        )
        self.fields["volunteer"].queryset = Volunteer.objects.filter(pk__in=[v.pk for v in volunteers]).order_by(
            "first_name", "last_name", "id"
        )


class IntroForm(forms.Form):
    at = forms.DateTimeField(
        label=_("När"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    place = forms.CharField(label=_("Var"), max_length=200, help_text=_("Till exempel biblioteket i Ekerö centrum."))
    coordinator_attends = forms.BooleanField(label=_("Jag är med på mötet"), required=False, initial=True)

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at < timezone.now():
            raise ValidationError(_("Mötet ligger i det förflutna."))
        return at


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Hur går det?"), choices=FollowUp.Outcome.choices, widget=forms.RadioSelect)
    done_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    notes = forms.CharField(
        label=_("Anteckningar"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skriv bara det som behövs för uppföljningen. Skriv inte om hälsa, religion eller etnicitet."),
    )

    def clean_done_on(self):
        done = self.cleaned_data["done_on"]
        if done > timezone.localdate():
            raise ValidationError(_("Datumet ligger i framtiden."))
        return done


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=_("Förläng med (månader)"), min_value=1, max_value=24, initial=3)


class EndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Varför slutar matchningen?"), choices=Match.EndReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skriv inte om hälsa, religion eller etnicitet."),
    )
    newcomer_returns = forms.BooleanField(
        label=_("Den nyanlände vill ha en ny matchning"), required=False, initial=True
    )
    volunteer_returns = forms.BooleanField(label=_("Volontären vill träffa någon ny"), required=False, initial=True)
