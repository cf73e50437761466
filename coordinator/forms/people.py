"""The facts every person in a programme has, as the web forms ask for them: the weekly grid,
the place, the household. The rules are coordinator/facts.py's; these forms parse and show."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coordinator import facts, validators, vocabulary
from coordinator.models import (
    Gender,
    GenderPreference,
    SwedishLevel,
)


class SlotGrid(forms.CheckboxSelectMultiple):
    """The 21 weekly slots as a table: days down, morning/afternoon/evening across, with the
    hours of each part in the heading. Each whole cell is the checkbox's label, a tap target of
    at least 44 × 44 px (WCAG 2.5.5)."""

    template_name = "widgets/slot_grid.html"
    use_fieldset = True

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base_id = context["widget"]["attrs"].get("id", f"id_{name}")
        context["parts"] = [
            {"name": str(vocabulary.PART_NAMES[p]), "hours": str(vocabulary.PART_HOURS[p])} for p in vocabulary.PARTS
        ]
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


class LanguageChoice(forms.CheckboxSelectMultiple):
    """The languages as checkboxes, the common ones first, with a search box the page's script
    shows (coordinator/static/vanmatch/vanmatch.js); without script every language is listed."""

    template_name = "widgets/language_choice.html"
    use_fieldset = True


def comma_list(value: str) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def add_errors(form: forms.Form, error: ValidationError, field: str | None = None) -> None:
    """A check of coordinator.facts refused a value: show its message at the field."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(field, message)


def place_into(form: forms.Form, cleaned: dict) -> None:
    """Look the place up from the postcode or locality given (coordinator.facts.locate)."""
    if "postcode" in form.errors or "locality" in form.errors:
        return
    try:
        cleaned["place"] = facts.locate(
            postcode=cleaned.get("postcode", ""), locality=cleaned.get("locality", "")
        ).as_dict()
    except ValidationError as error:
        add_errors(form, error)


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


def conditional(field: forms.Field) -> forms.Field:
    """A field needed only together with another answer (its help text says when): not
    labelled "(valfritt)", since leaving it empty may be refused."""
    field.conditional = True  # type: ignore[attr-defined]
    return field


def postcode_field() -> forms.CharField:
    return conditional(
        forms.CharField(
            label=_("Postnummer"),
            required=False,
            max_length=facts.POSTCODE_LENGTH,
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            help_text=_("Postnummer eller ort: ange minst det ena."),
        )
    )


def locality_field() -> forms.CharField:
    return conditional(
        forms.CharField(
            label=_("Ort"),
            required=False,
            max_length=facts.LOCALITY_LENGTH,
            help_text=_("Om du inte vill ange postnummer."),
        )
    )


def autocomplete(token: str, own: bool) -> str:
    """The browser may fill in the user's own details, never into a field about someone else."""
    return token if own else "off"


def first_name_field(*, own: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Förnamn"),
        max_length=facts.NAME_LENGTH,
        validators=[validators.validate_person_name],
        widget=forms.TextInput(attrs={"autocomplete": autocomplete("given-name", own), "dir": "auto"}),
    )


def phone_field(help_text=None, *, own: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Telefon"),
        max_length=facts.PHONE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete("tel", own), "inputmode": "tel"}),
        help_text=help_text or _("Så att samordnaren kan ringa dig."),
    )


GENDER_UNSPECIFIED = "unspecified"


class GenderField(forms.ChoiceField):
    """Kvinna, man, annat, or "vill inte ange": an answer too, stored as no gender."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Kön"))
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(choices=[*Gender.choices, (GENDER_UNSPECIFIED, _("Vill inte ange"))], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return "" if value == GENDER_UNSPECIFIED else value


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
        widget=LanguageChoice,
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
        self.fields["languages"].choices = vocabulary.language_groups()
        self.fields["interests"].choices = sorted(
            ((tag, str(label)) for tag, label in vocabulary.INTERESTS.items()), key=lambda item: item[1].casefold()
        )

    def clean_languages(self) -> list[str]:
        return facts.clean_languages(self.cleaned_data["languages"])

    def clean_other_interests(self) -> list[str]:
        return facts.clean_interests(comma_list(self.cleaned_data.get("other_interests", "")))

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["all_interests"] = facts.clean_interests(
                [*cleaned.get("interests", []), *cleaned.get("other_interests", [])]
            )
        except ValidationError as error:
            add_errors(self, error, "other_interests")
        if "languages" in cleaned and "swedish_level" in cleaned:
            try:
                facts.check_swedish(cleaned["languages"], cleaned["swedish_level"])
            except ValidationError as error:
                add_errors(self, error)
        if "postcode" in self.fields:
            place_into(self, cleaned)
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
            forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": autocomplete("bday-year", own)}),
        )
        super().__init__(validators=[validators.validate_birth_year], **kwargs)


# --- Between a form's words and the model's --------------------------------------------------

# Fields that carry a fact under the model's own name. The others are translated below:
# other_interests and interests become `interests`, children_ages `household_children_ages`,
# wants `wants_family`, postcode and locality the looked-up `place`.
SAME_NAME_FACTS = (
    "first_name", "last_name", "phone", "birth_year", "gender", "target_group", "languages", "swedish_level",
    "availability", "place", "gender_preference", "household_adults", "needs", "interpreter_needed",
    "interpreter_language", "consent_shareable", "wants_age_min", "wants_age_max", "capacity",
)  # fmt: skip


def facts_from(cleaned: dict) -> dict:
    """What a person's cleaned form says about them, in the model's words (what
    services.volunteer_apply, newcomer_register and their updates take)."""
    facts = {name: cleaned[name] for name in SAME_NAME_FACTS if name in cleaned}
    if "all_interests" in cleaned:
        facts["interests"] = cleaned["all_interests"]
    if "children_ages" in cleaned:
        facts["household_children_ages"] = cleaned["children_ages"]
    if "wants" in cleaned:
        facts["wants_family"] = {"family": True, "single": False}.get(cleaned["wants"])
    if "interpreter_needed" in cleaned and not cleaned["interpreter_needed"]:
        facts["interpreter_language"] = ""
    return facts


def initial_from(person, form_class: type[forms.BaseForm]) -> dict:
    """A form filled in from what is stored about the person, for changing it."""
    initial: dict = {}
    for name in form_class.base_fields:
        if name == "interests":
            initial[name] = [tag for tag in person.interests if tag in vocabulary.INTERESTS]
        elif name == "other_interests":
            initial[name] = ", ".join(tag for tag in person.interests if tag not in vocabulary.INTERESTS)
        elif name == "gender":
            initial[name] = person.gender or GENDER_UNSPECIFIED
        elif name == "postcode":
            initial[name] = person.postcode
        elif name == "locality":
            initial[name] = "" if person.postcode else person.locality
        elif name == "children_ages":
            initial[name] = ", ".join(str(age) for age in person.household_children_ages)
        elif name == "wants":
            initial[name] = {True: "family", False: "single"}.get(person.wants_family, "either")
        elif name == "programmes":
            initial[name] = list(person.programmes.all())
        elif name == "organisation":
            initial[name] = person.organisation_id
        elif name in SAME_NAME_FACTS and name != "place":
            initial[name] = getattr(person, name)
    return initial
