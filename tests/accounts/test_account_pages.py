"""allauth's own pages render in the site's layout, in Swedish, for those who may see them."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.conftest import recently_authenticated

PAGES = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"]
LOGGED_IN_PAGES = ["account_email", "account_change_password", "account_logout", "account_reauthenticate"]


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_sees_the_account_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode() and "Hoppa till innehållet" in response.content.decode()


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_a_logged_in_user_sees_her_account_page(client, alice, name):
    recently_authenticated(client, alice)  # the account's settings ask for the password when it is old
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Hoppa till innehållet" in response.content.decode()


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_a_visitor_is_asked_to_log_in_first(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302


def test_the_password_change_page_refuses_a_wrong_old_password_at_its_field(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "fel", "password1": "ett-nytt-langt-losenord", "password2": "ett-nytt-langt-losenord"},
    )
    assert response.status_code == 200 and response.context["form"].errors["oldpassword"]
    alice.refresh_from_db()
    assert alice.check_password("secret-pass-1")


def test_an_unattended_session_cannot_add_an_address_without_the_password(client, sam):
    """Someone at a social worker's unlocked computer adds their own address, to reset the
    password to it later: asked for the password first, nothing is added."""
    client.force_login(sam)  # an hour ago
    response = client.post(reverse("account_email"), {"action_add": "", "email": "angripare@example.se"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="angripare@example.se").exists()


@pytest.mark.django_db(transaction=True)  # allauth sends its mail after commit
def test_an_address_added_is_told_to_the_owners_verified_addresses(client, sam):
    recently_authenticated(client, sam)
    client.post(reverse("account_email"), {"action_add": "", "email": "ny@example.se"})
    assert EmailAddress.objects.filter(user=sam, email="ny@example.se", verified=False).exists()
    told = [m for m in mail.outbox if m.to == ["sam@solvik.se"]]
    assert told and "ny@example.se" in told[0].body and "Var det inte du?" in told[0].body


@pytest.mark.django_db(transaction=True)
def test_a_reset_goes_only_to_the_verified_primary_address(client, sam):
    EmailAddress.objects.create(user=sam, email="angripare@example.se", verified=False, primary=False)
    client.post(reverse("account_reset_password"), {"email": "angripare@example.se"})
    assert not [m for m in mail.outbox if "angripare@example.se" in m.to and "konto/password/reset/key" in m.body]
    client.post(reverse("account_reset_password"), {"email": "sam@solvik.se"})
    assert [m for m in mail.outbox if m.to == ["sam@solvik.se"] and "/konto/password/reset/key/" in m.body]
