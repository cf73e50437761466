"""The coordinator's loop: declining a proposal, pairing by hand, the introduction, follow-ups,
extending and ending a match."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinator.models import (
    FollowUp,
    Match,
    Newcomer,
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
    confirm = forms.BooleanField(
        label=_("Ja, avsluta matchningen. Det går inte att ångra."),
        error_messages={"required": _("Kryssa i rutan för att bekräfta att matchningen ska avslutas.")},
    )
