"""One shape for every 4xx answer of the API:

    {"status": 400, "errors": [{"field": "postcode", "message": "…"}, …]}

`field` is the field the message is about (a dotted path into nested input), or null for
the request as a whole. Services raise Django's ValidationError; it is turned into this too.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail, prefix: str | None = None) -> list[dict]:
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


def exception_handler(exc, context):
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


def _error_body(message: str, field: str | None, code: int) -> dict:
    return {"status": code, "errors": [{"field": field, "message": message}]}


def error_response(message: str, *, field: str | None = None, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    return Response(_error_body(message, field, code), status=code)


def error_json(message: str, *, code: int, field: str | None = None) -> JsonResponse:
    """The same shape where DRF does not answer: middleware, django-axes' lockout."""
    return JsonResponse(_error_body(message, field, code), status=code)
