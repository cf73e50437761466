"""Anyone may sign up; the address must be confirmed from the e-mail before the account is used."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests import factories


def sign_up(client, email="karin@example.se", password="ett-langt-losenord"):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+/)", message.body).group(1)


def test_signing_up_sends_a_confirmation_link_and_confirming_leads_to_the_application(client, db):
    response = sign_up(client)
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["karin@example.se"]
    link = confirmation_link(mail.outbox[0])
    assert client.get(reverse("my_volunteering")).status_code == 302  # not logged in yet

    assert client.get(link).status_code == 200  # a page with a button: a mail scanner's GET confirms nothing
    assert not User.objects.get(email="karin@example.se").emailaddress_set.get().verified
    response = client.post(link)
    assert response["Location"] == reverse("volunteer_apply")
    assert User.objects.get(email="karin@example.se").emailaddress_set.get().verified


def test_an_unconfirmed_address_cannot_log_in(client, db):
    sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "karin@example.se", "password": "ett-langt-losenord"})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_a_weak_password_is_refused_at_its_field(client, db):
    response = sign_up(client, password="123456789")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_an_address_already_in_use_does_not_reveal_the_account(client, vera):
    response = sign_up(client, email="VERA@example.se")
    # The same answer as for a new address; the owner is told by e-mail instead.
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="vera@example.se").count() == 1


def test_a_staff_member_logs_in_by_email_in_any_letter_case(client, alice):
    response = client.post(reverse("account_login"), {"login": "ALICE@solvik.se", "password": "secret-pass-1"})
    assert response["Location"] == reverse("home")


def test_a_new_user_without_a_role_is_sent_on_to_the_application_after_logging_in(client, db):
    factories.user("karin@example.se")
    response = client.post(reverse("account_login"), {"login": "karin@example.se", "password": "secret-pass-1"})
    assert response["Location"] == reverse("volunteer_apply")


def test_the_password_can_be_reset_by_email(client, alice):
    client.post(reverse("account_reset_password"), {"email": "alice@solvik.se"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"password1": "ett-nytt-langt-losenord", "password2": "ett-nytt-langt-losenord"})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("ett-nytt-langt-losenord")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("kort-losen1", "minst 12"),  # 11 characters (ASVS 2.1.1 asks for 12)
        ("password1234", "vanligt"),  # in the list of common passwords
        ("123456789012", "numeriskt"),
    ],
)
def test_a_short_or_common_password_is_refused(client, db, password, why):
    response = sign_up(client, password=password)
    assert response.status_code == 200
    assert why in " ".join(response.context["form"].errors["password1"]).lower()
    assert not User.objects.filter(email="karin@example.se").exists()


def test_she_is_never_called_by_a_username_she_did_not_choose(client, db):
    from allauth.account.models import EmailAddress

    gunnel = User.objects.create_user(  # as sign-up makes her: a username made up from the address
        username="gunnel1796149386", email="gunnel.persson@example.se", password="secret-pass-1"
    )
    EmailAddress.objects.create(user=gunnel, email=gunnel.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "gunnel.persson@example.se", "password": "secret-pass-1"}, follow=True
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "gunnel.persson@example.se" in shown and "gunnel1796149386" not in shown
