"""An organisation admin's programme settings."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordinator.forms.people import (
    comma_list,
)
from coordinator.models import (
    Programme,
    TargetGroup,
)


class ProgrammeForm(forms.ModelForm):
    follow_up_days_text = forms.CharField(
        label=_("De första uppföljningarna (dagar efter start)"),
        required=False,
        help_text=_(
            "Till exempel: 14, 28. Sedan en uppföljning med jämna mellanrum (nedan). Provperiodens slut och "
            "utvärderingen vid planerat slut läggs alltid till."
        ),
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
            "follow_up_every_days",
            "quiet_after_weeks",
            "max_distance_km",
            "target_groups",
            "nightly_matching",
            "retention_months",
            "stale_months",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "kind": forms.RadioSelect}

    field_order = [
        "name", "kind", "description", "planned_length_months", "trial_months", "follow_up_days_text",
        "follow_up_every_days", "quiet_after_weeks",
    ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["follow_up_days_text"].initial = ", ".join(str(d) for d in self.instance.follow_up_days)
        else:
            self.fields["follow_up_days_text"].initial = "14, 28"

    def clean_follow_up_days_text(self) -> list[int]:
        days = []
        for item in comma_list(self.cleaned_data.get("follow_up_days_text", "")):
            if not item.isdecimal() or not 1 <= int(item) <= 3650:
                raise ValidationError(_("”%(value)s” är inget antal dagar mellan 1 och 3650.") % {"value": item})
            days.append(int(item))
        return sorted(set(days))

    def clean_follow_up_every_days(self) -> int:
        every = self.cleaned_data.get("follow_up_every_days") or 0
        if every and not 7 <= every <= 365:
            raise ValidationError(_("Ange 0 (inga fler) eller ett antal dagar mellan 7 och 365."))
        return every

    def clean_quiet_after_weeks(self) -> int:
        weeks = self.cleaned_data.get("quiet_after_weeks")
        if weeks is None or not 1 <= weeks <= 26:
            raise ValidationError(_("Ange ett antal veckor mellan 1 och 26."))
        return weeks

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
