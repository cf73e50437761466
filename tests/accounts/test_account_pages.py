"""allauth's own pages render in the site's layout, in Swedish, for those who may see them."""

import pytest
from django.urls import reverse

PAGES = ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"]
LOGGED_IN_PAGES = ["account_email", "account_change_password", "account_logout", "account_reauthenticate"]


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_sees_the_account_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode() and "Hoppa till innehållet" in response.content.decode()


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_a_logged_in_user_sees_her_account_page(client, alice, name):
    client.force_login(alice)
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
