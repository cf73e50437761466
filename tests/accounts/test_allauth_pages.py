"""Every page allauth serves at a reachable address is one of ours: the site's layout, Swedish
from our own templates, and none of allauth's English (or its Swedish) showing through. A page
allauth adds in an upgrade fails the first test until it is listed here."""

import django.test
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.template.loader import get_template
from django.urls import URLResolver, get_resolver, reverse

from tests import factories
from tests.conftest import recently_authenticated

OURS = str(settings.BASE_DIR / "templates")
# allauth's own wording, in English or in its Swedish catalogue, that must never show.
ALLAUTH_TEXT = [
    "Sign In", "Sign Out", "Sign Up", "Password Reset", "E-mail", "Epost", "Confirm Access", "Alternative options",
    "Two-Factor", "Recovery Codes", "Authenticator App", "Bekräfta åtkomst", "Återställningskoder för",
]  # fmt: skip


def _key_for(user) -> str:
    return f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"


def anonymous(client, vera):
    return None


def logged_in(client, vera):
    client.force_login(vera)


def recent(client, vera):
    recently_authenticated(client, vera)


def recent_with_app(client, vera):
    factories.authenticator_app(vera)
    RecoveryCodes.activate(vera)
    recently_authenticated(client, vera)


def with_app(client, vera):
    factories.authenticator_app(vera)
    client.force_login(vera)


def unconfirmed_address(client, vera):
    address = EmailAddress.objects.create(user=vera, email="ny@example.se", verified=False)
    return [EmailConfirmationHMAC(address).key]


def reset_key(client, vera):
    return [*_key_for(vera).split("-", 1)]


def bad_reset_key(client, vera):
    return ["2", "fel-nyckel"]


# url name: (who, arguments), every page allauth serves with our settings.
PAGES = {
    "account_login": (anonymous, None),
    "account_signup": (anonymous, None),
    "account_logout": (logged_in, None),
    "account_inactive": (anonymous, None),
    "account_reauthenticate": (logged_in, None),
    "account_email": (recent, None),
    "account_email_verification_sent": (anonymous, None),
    "account_confirm_email": (anonymous, unconfirmed_address),
    "account_change_password": (recent, None),
    "account_reset_password": (anonymous, None),
    "account_reset_password_done": (anonymous, None),
    "account_reset_password_from_key": (anonymous, reset_key),
    "account_reset_password_from_key_done": (anonymous, None),
    "mfa_index": (recent_with_app, None),
    "mfa_reauthenticate": (with_app, None),
    "mfa_activate_totp": (recent, None),
    "mfa_deactivate_totp": (recent_with_app, None),
    "mfa_generate_recovery_codes": (recent_with_app, None),
    "mfa_view_recovery_codes": (recent_with_app, None),
}
# The code step at log-in has a test of its own below; the rest are not used in Vänmatch and send
# whoever comes elsewhere (status: code, where to or None).
TESTED_BELOW = {"mfa_authenticate", "mfa_download_recovery_codes"}
NOT_USED = {
    # Asked for her password again, she gives it or her app's code, never a code by e-mail
    # (ACCOUNT_REAUTHENTICATION_METHODS): refused.
    "account_request_reauthentication_code": (recent, 403),
    "account_confirm_reauthentication_code": (recent, 403),
    # Everyone has a password (sign-up and invitations ask for one): on to changing it.
    "account_set_password": (recent, 302),
    # No log-in by an e-mailed code: back to the start page.
    "account_confirm_login_code": (logged_in, 302),
}


def allauth_url_names() -> set[str]:
    def walk(patterns, inside_allauth):
        for p in patterns:
            if isinstance(p, URLResolver):
                module = getattr(p.urlconf_module, "__name__", "")
                yield from walk(p.url_patterns, inside_allauth or module.startswith("allauth"))
            elif inside_allauth and p.name:
                yield p.name

    return set(walk(get_resolver().url_patterns, False))


def test_every_page_allauth_serves_is_listed():
    assert allauth_url_names() == set(PAGES) | TESTED_BELOW | set(NOT_USED)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_allauths_page_is_ours_in_swedish(client, vera, name):
    who, arguments = PAGES[name]
    args = arguments(client, vera) if arguments else None
    who(client, vera)
    response = client.get(reverse(name, args=args), follow=True)
    assert response.status_code == 200
    assert response.templates[0].origin.name.startswith(OURS), response.templates[0].origin.name
    body = response.content.decode()
    assert 'lang="sv"' in body and "Hoppa till innehållet" in body
    for text in ALLAUTH_TEXT:
        assert text not in body, text


def test_the_code_step_at_log_in_is_ours(vera):
    factories.authenticator_app(vera)
    client = django.test.Client()
    response = client.post(reverse("account_login"), {"login": vera.email, "password": "secret-pass-1"}, follow=True)
    assert response.templates[0].name == "mfa/authenticate.html"
    assert response.templates[0].origin.name.startswith(OURS)


def test_the_downloaded_recovery_codes_say_what_they_are(client, vera):
    recent_with_app(client, vera)
    response = client.get(reverse("mfa_download_recovery_codes"))
    lines = response.content.decode().splitlines()
    codes = RecoveryCodes(vera.authenticator_set.get(type="recovery_codes")).get_unused_codes()
    assert lines == ["Återställningskoder för Vänmatch. Varje kod fungerar en gång.", *codes]


@pytest.mark.parametrize("name", sorted(NOT_USED))
def test_a_page_vanmatch_does_not_use_sends_her_elsewhere(client, vera, name):
    who, status = NOT_USED[name]
    who(client, vera)
    assert client.get(reverse(name)).status_code == status


def test_the_recovery_codes_end_with_a_way_on(client, vera):
    recent_with_app(client, vera)
    body = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert f'<a class="button" href="{reverse("home")}">Jag har sparat koderna, fortsätt</a>' in body


def test_a_password_reset_link_that_no_longer_works_says_so(client, vera):
    response = client.get(reverse("account_reset_password_from_key", args=bad_reset_key(client, vera)))
    assert "Länken fungerar inte längre" in response.content.decode()


# The messages allauth shows after an action, on our pages: ours too (its Swedish says "Ta bort
# e-postadress ..." for an address removed). Logging in by code, phones and security keys are off.
MESSAGES = [
    "account/messages/cannot_delete_primary_email.txt",
    "account/messages/email_confirmation_failed.txt",
    "account/messages/email_confirmation_sent.txt",
    "account/messages/email_confirmed.txt",
    "account/messages/email_deleted.txt",
    "account/messages/logged_in.txt",
    "account/messages/logged_out.txt",
    "account/messages/password_changed.txt",
    "account/messages/password_set.txt",
    "account/messages/primary_email_set.txt",
    "account/messages/unverified_primary_email.txt",
    "mfa/messages/recovery_codes_generated.txt",
    "mfa/messages/totp_activated.txt",
    "mfa/messages/totp_deactivated.txt",
]


@pytest.mark.parametrize("name", MESSAGES)
def test_allauths_message_is_ours(name):
    assert get_template(name).origin.name.startswith(OURS)


def test_she_is_welcomed_by_her_first_name_after_logging_in(vera):
    client = django.test.Client()
    response = client.post(reverse("account_login"), {"login": vera.email, "password": "secret-pass-1"}, follow=True)
    assert "Välkommen, Vera!" in response.content.decode()
