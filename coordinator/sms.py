"""Text messages to newcomers, through a backend chosen by configuration as e-mail is
(settings.SMS_BACKEND): the console backend prints them (the quick start), the locmem backend
keeps them in `outbox` (tests), the Twilio backend sends them through Twilio's API and checks
the signature on the replies Twilio posts to our webhook. Phone numbers are validated and
written in one form (E.164) with `phonenumbers`.

Only this module talks to a provider; what is sent and received is recorded by
coordinator.services.surveys, which calls `send` and `signature_valid`.
"""

import sys
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import phonenumbers
from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider refused or could not be reached; the message is kept as failed."""


def normalised(raw: str, region: str | None = None) -> str | None:
    """`raw` as E.164 (+46701234567) if it is a valid number that can take a text message,
    else None. A number without a country code is read as in SMS_DEFAULT_REGION (Sweden)."""
    try:
        number = phonenumbers.parse(raw, region or settings.SMS_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        return None  # a landline cannot answer a text message
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Backend(Protocol):
    def send(self, *, to: str, body: str) -> str:
        """Send `body` to `to` (E.164); return the provider's id for the message."""
        ...

    def signature_valid(self, *, url: str, params: dict[str, str], signature: str) -> bool:
        """Whether a reply posted to our webhook at `url` was signed by the provider."""
        ...


def _twilio_signature_valid(url: str, params: dict[str, str], signature: str) -> bool:
    # Every backend checks replies as Twilio signs them (HMAC-SHA1 of the URL and the sorted
    # form fields, with the account's auth token), so the webhook is tested as it runs; without
    # a token nothing is accepted.
    from twilio.request_validator import RequestValidator

    token = settings.SMS_AUTH_TOKEN
    return bool(token) and bool(signature) and RequestValidator(token).validate(url, params, signature)


@dataclass
class _Sent:
    to: str
    body: str


outbox: list[_Sent] = []


class LocmemBackend:
    """Keeps each message in `outbox` (tests)."""

    def send(self, *, to: str, body: str) -> str:
        outbox.append(_Sent(to=to, body=body))
        return f"locmem-{len(outbox)}"

    def signature_valid(self, *, url: str, params: dict[str, str], signature: str) -> bool:
        return _twilio_signature_valid(url, params, signature)


class ConsoleBackend(LocmemBackend):
    """Prints each message, as the console e-mail backend does (the quick start)."""

    def send(self, *, to: str, body: str) -> str:
        sys.stdout.write(f"--- SMS to {to}\n{body}\n---\n")
        sys.stdout.flush()
        return super().send(to=to, body=body)


class TwilioBackend:
    """Twilio's REST API through its own library. `http_client` is for tests, which replace
    only the HTTP call that would leave the machine."""

    http_client = None

    def send(self, *, to: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException
        from twilio.rest import Client

        client = Client(settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN, http_client=self.http_client)
        try:
            message = client.messages.create(to=to, from_=settings.SMS_FROM, body=body)
        except (TwilioException, OSError) as error:
            raise SmsError(str(error)[:200]) from error
        return str(message.sid)

    def signature_valid(self, *, url: str, params: dict[str, str], signature: str) -> bool:
        return _twilio_signature_valid(url, params, signature)


@cache
def _backend(path: str) -> Backend:
    return import_string(path)()


def backend() -> Backend:
    return _backend(settings.SMS_BACKEND)


def send(*, to: str, body: str) -> str:
    return backend().send(to=to, body=body)


def signature_valid(*, url: str, params: dict[str, str], signature: str) -> bool:
    return backend().signature_valid(url=url, params=params, signature=signature)
