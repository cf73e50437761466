"""After signing up, "Titta i din e-post": the link sent again (as often as allauth's limit
lets), or starting over with the right address. Both answer the same whether or not the
address already had an account."""

from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import User
from tests.accounts.test_signup import confirmation_link, sign_up
from tests.conftest import NOW


def sign_up_and_look(client, **kwargs):
    """Sign up and see the page that says where the link went (and so its message)."""
    sign_up(client, **kwargs)
    return client.get(reverse("account_email_verification_sent"))


def resend(client):
    return client.post(reverse("account_verification_resend"))


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_page_offers_to_send_again_and_to_correct_the_address(client, db):
    sign_up(client)
    body = client.get(reverse("account_email_verification_sent")).content.decode()
    assert "Skicka igen" in body and "Fel adress?" in body


def test_sending_again_at_once_waits_for_the_first_letter(client, db):
    sign_up_and_look(client)
    response = resend(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    assert said(response) == [
        "Vi skickade nyss en länk. Vänta några minuter och titta i skräpposten innan du ber om en ny."
    ]


def test_sending_again_after_a_few_minutes_sends_a_new_link_to_the_same_address(client, db):
    sign_up_and_look(client)
    with time_machine.travel(NOW + timedelta(minutes=4)):
        response = resend(client)
    assert [m.to for m in mail.outbox] == [["karin@example.se"], ["karin@example.se"]]
    assert said(response) == ["Vi har skickat en länk till karin@example.se."]
    assert client.post(confirmation_link(mail.outbox[1]))["Location"] == reverse("volunteer_apply")


def test_sending_again_for_an_address_with_an_account_tells_its_owner_and_says_the_same(client, vera):
    sign_up_and_look(client, email="vera@example.se")
    with time_machine.travel(NOW + timedelta(minutes=4)):
        response = resend(client)
    assert said(response) == ["Vi har skickat en länk till vera@example.se."]
    assert [m.to for m in mail.outbox] == [["vera@example.se"]] * 2
    assert not [m for m in mail.outbox if "/konto/confirm-email/" in m.body]  # no account was made to confirm


def test_an_address_confirmed_meanwhile_in_another_browser_sends_her_to_log_in(client, db):
    sign_up_and_look(client)
    EmailAddress.objects.filter(email="karin@example.se").update(verified=True)
    response = resend(client)
    assert response["Location"] == reverse("account_login") and len(mail.outbox) == 1
    assert said(response) == ["Adressen är redan bekräftad. Logga in med den och ditt lösenord."]


def test_without_a_sign_up_waiting_she_is_asked_to_log_in(client, db):
    response = resend(client)
    assert response["Location"] == reverse("account_login") and not mail.outbox


def test_a_mistyped_address_is_corrected_by_starting_over_and_only_the_right_one_gets_a_link(client, db):
    sign_up(client, email="karin@exmaple.se")
    old_link = confirmation_link(mail.outbox[0])

    response = client.post(reverse("account_signup_restart"))
    assert response["Location"] == reverse("account_signup")
    assert not User.objects.exists() and not EmailAddress.objects.exists()
    assert "Länken har gått ut eller är ogiltig" in client.get(old_link).content.decode()

    sign_up(client, email="karin@example.se")
    assert [m.to for m in mail.outbox] == [["karin@exmaple.se"], ["karin@example.se"]]
    assert client.post(confirmation_link(mail.outbox[1]))["Location"] == reverse("volunteer_apply")
    assert User.objects.get().emailaddress_set.get().email == "karin@example.se"


def test_starting_over_after_an_address_with_an_account_removes_nothing(client, vera):
    sign_up(client, email="vera@example.se")
    response = client.post(reverse("account_signup_restart"))
    assert response["Location"] == reverse("account_signup")
    assert User.objects.filter(pk=vera.pk).exists()


@pytest.mark.parametrize("used", ["logged_in", "confirmed"])
def test_an_account_that_was_used_is_never_removed(db, used):
    sign_up_user = User.objects.create_user(username="k", email="k@example.se", password="ett-langt-losenord")
    EmailAddress.objects.create(user=sign_up_user, email="k@example.se", verified=used == "confirmed", primary=True)
    if used == "logged_in":
        sign_up_user.last_login = NOW
        sign_up_user.save()
    with pytest.raises(ValidationError):
        services.signup_abandon(user=sign_up_user)
    assert User.objects.filter(pk=sign_up_user.pk).exists()
