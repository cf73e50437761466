"""allauth's e-mails are ours: Swedish (or English, when she reads the site in English), a
greeting by her first name or a plain "Hej!", never the server's host and port or a username
she never chose, signed Vänmatch, with links to the address she reached the service on."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.accounts.test_two_factor import secret_on_the_page
from tests.conftest import recently_authenticated

HOST = "127.0.0.1:8201"
SIGNED = "Hälsningar\nVänmatch"


def sign_up(client, email="karin@example.se", **headers):
    body = {"email": email, "password1": "ett-langt-losenord", "password2": "ett-langt-losenord"}
    return client.post(reverse("account_signup"), body, HTTP_HOST=HOST, **headers)


def reset(client, email, **headers):
    return client.post(reverse("account_reset_password"), {"email": email}, HTTP_HOST=HOST, **headers)


def letter(to: str):
    (message,) = [m for m in mail.outbox if m.to == [to]]
    return message


def assert_ours(message, *, greeting="Hej!", signed=SIGNED):
    first_line = message.body.splitlines()[0]
    assert first_line == greeting
    assert HOST not in first_line and not re.search(r"Hej från|Hello from|example\.com", message.body)
    assert message.body.rstrip().endswith(signed)
    assert "Epost" not in message.body and "E-mail" not in message.body
    for link in re.findall(r"https?://\S+", message.body):
        assert link.startswith(f"http://{HOST}/"), link


def test_the_sign_up_letter_is_ours_in_swedish(client, db):
    sign_up(client)
    message = letter("karin@example.se")
    assert message.subject == "Vänmatch: Bekräfta din e-postadress"
    assert_ours(message)
    assert "Tack för att du vill bli volontär!" in message.body and "Länken gäller i tre dygn." in message.body
    assert User.objects.get().username not in message.body


def test_the_sign_up_letter_is_in_english_when_she_reads_the_site_in_english(client, db):
    sign_up(client, HTTP_ACCEPT_LANGUAGE="en")
    message = letter("karin@example.se")
    assert message.subject == "Vänmatch: Confirm your e-mail address"
    assert_ours(message, greeting="Hello!", signed="Best wishes\nVänmatch")
    assert "Thank you for wanting to volunteer!" in message.body


def test_the_sign_up_letter_follows_the_language_she_chose_on_the_site(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    sign_up(client)
    assert letter("karin@example.se").subject == "Vänmatch: Confirm your e-mail address"


def test_an_address_with_an_account_gets_a_letter_saying_so(client, vera):
    sign_up(client, email="vera@example.se")
    message = letter("vera@example.se")
    assert message.subject == "Vänmatch: Du har redan ett konto"
    assert_ours(message)  # no first name: the letter does not say whose account it is
    assert f"http://{HOST}/konto/password/reset/" in message.body and f"http://{HOST}/konto/login/" in message.body


def test_the_reset_letter_greets_her_by_her_first_name_and_never_by_a_username(client, alice):
    alice.username = "alice.andersson"
    alice.save()
    reset(client, "alice@solvik.se")
    message = letter("alice@solvik.se")
    assert message.subject == "Vänmatch: Välj ett nytt lösenord"
    assert_ours(message, greeting="Hej Alice!")
    assert "alice.andersson" not in message.body and "användare" not in message.body
    assert re.search(rf"http://{re.escape(HOST)}/konto/password/reset/key/\S+/", message.body)


def test_the_reset_letter_in_english(client, alice):
    reset(client, "alice@solvik.se", HTTP_ACCEPT_LANGUAGE="en")
    message = letter("alice@solvik.se")
    assert message.subject == "Vänmatch: Choose a new password"
    assert_ours(message, greeting="Hello Alice!", signed="Best wishes\nVänmatch")


def test_a_reset_for_an_unknown_address_says_there_is_no_account(client, db):
    reset(client, "okand@example.se")
    message = letter("okand@example.se")
    assert message.subject == "Vänmatch: Inget konto med den här adressen"
    assert_ours(message)
    assert "Det finns inget konto med den adressen." in message.body
    assert f"http://{HOST}/konto/signup/" in message.body


def test_a_reset_for_an_unknown_address_in_english(client, db):
    reset(client, "okand@example.se", HTTP_ACCEPT_LANGUAGE="en")
    message = letter("okand@example.se")
    assert message.subject == "Vänmatch: No account with this address"
    assert_ours(message, greeting="Hello!", signed="Best wishes\nVänmatch")


@pytest.mark.django_db(transaction=True)  # allauth sends its notices after commit
def test_a_changed_password_is_told_to_her_with_a_way_to_undo_it(client, vera):
    recently_authenticated(client, vera)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "secret-pass-1", "password1": "ett-nytt-losenord-1", "password2": "ett-nytt-losenord-1"},
        HTTP_HOST=HOST,
    )
    message = letter("vera@example.se")
    assert message.subject == "Vänmatch: Ditt lösenord har bytts"
    assert_ours(message, greeting="Hej Vera!")
    undo = f"Var det inte du? Välj ett nytt lösenord med en gång, här: http://{HOST}/konto/password/reset/"
    assert undo in message.body


@pytest.mark.django_db(transaction=True)
def test_turning_on_two_factor_authentication_is_told_to_her(client, vera):
    recently_authenticated(client, vera)
    page = client.get(reverse("mfa_activate_totp"), HTTP_HOST=HOST)
    code = factories.code_from_app(secret_on_the_page(page))
    client.post(reverse("mfa_activate_totp"), {"code": code}, HTTP_HOST=HOST)
    message = letter("vera@example.se")
    assert message.subject == "Vänmatch: Tvåstegsverifiering är påslagen"
    assert_ours(message, greeting="Hej Vera!")
