"""Validators for what people type about themselves and others, shared by every app."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NAME_PUNCTUATION = " -'’."
PHONE_CHARACTERS = set("0123456789 +-()")


def validate_person_name(value) -> None:
    """A person's name: letters of any script (with their accents and vowel marks), spaces and
    -'. only. A name is shown in pages, e-mails, PDFs and spreadsheets; markup, formulas and
    digits in one are refused where it is typed (a form, the API, an import)."""
    if not value:
        return
    if not unicodedata.category(value[0]).startswith("L") or any(
        not unicodedata.category(c).startswith(("L", "M")) and c not in NAME_PUNCTUATION for c in value
    ):
        raise ValidationError(
            _("Ett namn får bara ha bokstäver, mellanslag och tecknen - ' . och börja med en bokstav."),
            code="invalid_name",
        )


def validate_phone(value) -> None:
    """A phone number as people write it: digits, spaces, + - and brackets only."""
    if value and not set(value) <= PHONE_CHARACTERS:
        raise ValidationError(_("Ett telefonnummer har bara siffror, mellanslag, + och -."), code="invalid")
