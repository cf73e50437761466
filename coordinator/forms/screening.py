"""A coordinator screens a volunteer: a decision, and the background check."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordinator.forms.people import conditional
from coordinator.models import (
    Programme,
    Volunteer,
)


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
    reason = conditional(
        forms.CharField(
            label=_("Motivering"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Krävs när du avslår. Skriv inte om hälsa, religion eller etnicitet."),
        )
    )

    notes = forms.CharField(
        label=_("Anteckningar från samtalet"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sparas i historiken, som bara samordnare ser. Skriv inte om hälsa, religion eller etnicitet."),
    )
    programmes = forms.ModelMultipleChoiceField(
        label=_("Godkänd för"),
        required=False,
        queryset=Programme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Vid godkännande: de program volontären matchas i. Program du inte kryssar i tas bort från volontärens."
        ),
    )

    def __init__(self, *args, volunteer: Volunteer | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if volunteer is not None:
            applied_to = volunteer.programmes.all()
            self.fields["programmes"].queryset = applied_to
            self.fields["programmes"].initial = list(applied_to)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_status") == Volunteer.Status.REJECTED and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Skriv varför ansökan avslås."))
        if cleaned.get("to_status") == Volunteer.Status.APPROVED and not cleaned.get("programmes"):
            self.add_error("programmes", _("Välj vilka program volontären godkänns för."))
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
