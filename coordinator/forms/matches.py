"""The coordinator's loop: declining a proposal, pairing by hand, the introduction, follow-ups,
extending and ending a match."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinator import vocabulary
from coordinator.models import (
    FollowUp,
    Match,
    Newcomer,
    TargetGroup,
    Volunteer,
)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Varför passar de inte?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Paret föreslås aldrig igen. Skriv inte om hälsa, religion eller etnicitet."),
        error_messages={"required": _("Skriv varför förslaget avböjs.")},
    )


def target_group_filter_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Målgrupp"), required=False, choices=[("", _("Alla")), *TargetGroup.choices])


def interpreter_filter_field() -> forms.ChoiceField:
    """The filter the selectors read as `interpreter` ("yes"/"no")."""
    return forms.ChoiceField(
        label=_("Tolk"),
        required=False,
        choices=[("", _("Alla")), ("yes", _("Behöver tolk")), ("no", _("Behöver inte tolk"))],
    )


class QueueFilterForm(forms.Form):
    """What a coordinator narrows the proposal queue by (a GET form: the address keeps it)."""

    area = forms.CharField(
        label=_("Område"),
        required=False,
        max_length=50,
        help_text=_("Början av postnumret eller en del av orten."),
    )
    waited = forms.TypedChoiceField(
        label=_("Har väntat"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Hur länge som helst")), ("30", _("Minst 30 dagar")), ("90", _("Minst 90 dagar")),
                 ("180", _("Minst 180 dagar"))],
    )  # fmt: skip
    score = forms.TypedChoiceField(
        label=_("Poäng"),
        required=False,
        coerce=float,
        empty_value=None,
        choices=[("", _("Alla")), ("0.5", _("Minst 0,5")), ("0.7", _("Minst 0,7")), ("0.9", _("Minst 0,9"))],
    )
    language = forms.ChoiceField(label=_("Den nyanländes språk"), required=False)
    target_group = target_group_filter_field()
    interpreter = interpreter_filter_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("Alla")), *vocabulary.language_choices()]

    def filters(self) -> dict:
        """The filters chosen, or none for a form that does not validate."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")} if self.is_valid() else {}


class PeopleFilterForm(forms.Form):
    """How a coordinator looks up the programme's people (a GET form: the address keeps it)."""

    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort."),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    place = forms.ChoiceField(
        label=_("Postnummer och ort"),
        required=False,
        choices=[("", _("Alla")), ("missing", _("Saknas"))],
    )
    target_group = target_group_filter_field()
    interpreter = interpreter_filter_field()

    def __init__(self, *args, kind: str = "newcomers", **kwargs):
        super().__init__(*args, **kwargs)
        statuses = Newcomer.Status.choices if kind == "newcomers" else Volunteer.Status.choices
        self.fields["status"].choices = [("", _("Alla")), *statuses]
        if kind != "newcomers":
            del self.fields["target_group"], self.fields["interpreter"]

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


def person_label(person) -> str:
    """Enough to tell namesakes apart: "Rana Saleh, född 1990, 178 32 Ekerö"."""
    parts = [str(person)]
    if person.birth_year:
        parts.append(str(_("född %(year)s") % {"year": person.birth_year}))
    place = " ".join(x for x in (person.postcode, person.locality) if x)
    if place:
        parts.append(place)
    return ", ".join(parts)


class PairForm(forms.Form):
    """A pair a coordinator chooses by hand: to match now, or to lock before a run. The choices
    shown are the people she has looked up; a choice is checked against everyone who may be
    paired (a queryset, never read whole)."""

    newcomer = forms.ModelChoiceField(
        label=_("Nyanländ"),
        queryset=Newcomer.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en nyanländ."), "invalid_choice": _("Välj en nyanländ i listan.")},
    )
    volunteer = forms.ModelChoiceField(
        label=_("Volontär"),
        queryset=Volunteer.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en volontär."), "invalid_choice": _("Välj en volontär i listan.")},
    )

    def __init__(self, *args, eligible_newcomers=None, eligible_volunteers=None, newcomers=(), volunteers=(), **kw):
        super().__init__(*args, **kw)
        for name, eligible, shown in (
            ("newcomer", eligible_newcomers, newcomers),
            ("volunteer", eligible_volunteers, volunteers),
        ):
            field = self.fields[name]
            field.queryset = eligible if eligible is not None else field.queryset
            field.widget.choices = [(p.pk, person_label(p)) for p in shown]


class PairSearchForm(forms.Form):
    """Whom a coordinator looks up to pair (a GET form: the address keeps the search)."""

    nyanland = forms.CharField(
        label=_("Sök nyanländ"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort, till exempel: Rana 1990."),
    )
    volontar = forms.CharField(
        label=_("Sök volontär"),
        required=False,
        max_length=100,
        help_text=_("Namn, födelseår, postnummer eller ort."),
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
    confirm = forms.BooleanField(
        label=_("Ja, avsluta matchningen. Det går inte att ångra."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att matchningen ska avslutas.")},
    )
