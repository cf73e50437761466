"""The API's answers in the one shape of accounts/shared/errors.py: DRF's exception handler
(settings.REST_FRAMEWORK) and the helper views use for a 4xx of their own."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.shared.errors import error_body


def _flatten(detail: object, prefix: str | None = None) -> list[dict]:
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            field = None if key in ("non_field_errors", "__all__") else str(key)
            path = ".".join(p for p in (prefix, field) if p) or None
            out += _flatten(value, path)
        return out
    if isinstance(detail, list):
        out = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list) and not isinstance(item, str):
                out += _flatten(item, f"{prefix}.{index}" if prefix else str(index))
            else:
                out += _flatten(item, prefix)
        return out
    return [{"field": prefix, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = (
        _flatten(response.data)
        if isinstance(exc, exceptions.ValidationError)
        else [{"field": None, "message": str(getattr(exc, "detail", exc))}]
    )
    response.data = {"status": response.status_code, "errors": errors}
    return response


def error_response(message: str, *, field: str | None = None, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response(error_body(message, field, code), status=code)
