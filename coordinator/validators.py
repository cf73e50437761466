"""Field validators shared by models, forms and the API; each error names what is wrong."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.validators import validate_person_name  # noqa: F401  (a person's name, for models, forms and the API)
from coordinator.vocabulary import LANGUAGES, SLOTS

POSTCODE_RE = re.compile(r"^\s*(\d{3})\s?(\d{2})\s*$")


def validate_languages(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Ange minst ett språk."), code="required")
    unknown = [code for code in value if code not in LANGUAGES]
    if unknown:
        raise ValidationError(
            _("Okänd språkkod: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}, code="unknown_language"
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Samma språk står två gånger."), code="duplicate")


def validate_availability(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Tider ska vara en lista."), code="invalid")
    unknown = [slot for slot in value if slot not in SLOTS]
    if unknown:
        raise ValidationError(
            _("Okänd tid: %(slots)s (tider skrivs som ”mon-evening”).") % {"slots": ", ".join(map(str, unknown))},
            code="unknown_slot",
        )


def validate_interests(value) -> None:
    if not isinstance(value, list) or not all(isinstance(tag, str) and tag.strip() for tag in value):
        raise ValidationError(_("Intressen ska vara en lista med ord."), code="invalid")


def validate_children_ages(value) -> None:
    if not isinstance(value, list) or not all(isinstance(age, int) and 0 <= age <= 25 for age in value):
        raise ValidationError(_("Barnens åldrar ska vara heltal mellan 0 och 25."), code="invalid")


def validate_birth_year(value: int) -> None:
    this_year = timezone.localdate().year
    if value > this_year:
        raise ValidationError(_("Födelseåret %(year)s ligger i framtiden.") % {"year": value}, code="future")
    if value < this_year - 110:
        raise ValidationError(_("Födelseåret %(year)s är orimligt tidigt.") % {"year": value}, code="too_early")


def normalise_postcode(value: str) -> str:
    """'12345', '123 45' or ' 123 45 ' → '123 45'; anything else is an error."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        raise ValidationError(
            _("”%(value)s” är inget svenskt postnummer (fem siffror, till exempel 178 32).") % {"value": value},
            code="invalid_postcode",
        )
    return f"{match.group(1)} {match.group(2)}"


def validate_postcode(value: str) -> None:
    if value:
        normalise_postcode(value)
