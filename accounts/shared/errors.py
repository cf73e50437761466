"""One shape for every 4xx answer of the API:

    {"status": 400, "errors": [{"field": "postcode", "message": "…"}, …]}

`field` is the field the message is about (a dotted path into nested input), or null for
the request as a whole. Services raise Django's ValidationError; it is turned into this too.
"""

from django.http import JsonResponse


def error_body(message: str, field: str | None, code: int) -> dict:
    return {"status": code, "errors": [{"field": field, "message": message}]}


def error_json(message: str, *, code: int, field: str | None = None) -> JsonResponse:
    """The same shape where DRF does not answer: middleware, django-axes' lockout."""
    return JsonResponse(error_body(message, field, code), status=code)
