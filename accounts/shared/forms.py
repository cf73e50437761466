"""The cycle every view that calls a service goes through: the service refuses with Django's
ValidationError, and the person sees why — at the form's fields, or as messages on the page.

    if form.is_valid():
        with refusals_at_fields(form) as outcome:
            services.newcomer_update(...)
        if outcome.ok:
            return redirect(...)

    with refusals_as_messages(request) as outcome:
        services.match_activate(...)
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


@dataclass
class Outcome:
    refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.refused


def errors_to_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field where the form has one, else
    on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@contextmanager
def refusals_at_fields(form: forms.BaseForm) -> Iterator[Outcome]:
    """A refusal inside the block is shown at the form's fields; the block's writes are the
    service's own transaction, so nothing is half written."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as error:
        outcome.refused = True
        errors_to_form(form, error)


@contextmanager
def refusals_as_messages(request: HttpRequest) -> Iterator[Outcome]:
    """A refusal inside the block becomes one error message per reason on the next page."""
    outcome = Outcome()
    try:
        yield outcome
    except ValidationError as error:
        outcome.refused = True
        for message in error.messages:
            messages.error(request, message)
