"""Lockout (django-axes): five failed log-ins for one account from one address lock that pair
out for 15 minutes, on the log-in page and for an API token alike."""

from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories


def attempt(client, email: str, password: str, address: str = "10.0.0.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address)


def test_after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while(password_only_client, vera):
    for _ in range(4):
        assert attempt(password_only_client, vera.email, "fel-losenord").status_code == 200
    assert attempt(password_only_client, vera.email, "fel-losenord").status_code == 429, "the fifth locks"
    locked = attempt(password_only_client, vera.email, "secret-pass-1")
    assert locked.status_code == 429
    assert "spärrat från den här adressen i 15 minuter" in locked.content.decode()
    assert "_auth_user_id" not in password_only_client.session


def test_the_lockout_is_for_that_address_only(password_only_client, vera):
    for _ in range(5):
        attempt(password_only_client, vera.email, "fel-losenord", address="10.0.0.66")
    from_her_office = attempt(password_only_client, vera.email, "secret-pass-1", address="10.0.0.1")
    assert from_her_office.status_code == 302 and "_auth_user_id" in password_only_client.session


def test_a_good_log_in_starts_the_count_again(password_only_client, vera):
    for _ in range(4):
        attempt(password_only_client, vera.email, "fel-losenord")
    attempt(password_only_client, vera.email, "secret-pass-1")
    password_only_client.post(reverse("account_logout"))
    for _ in range(4):
        attempt(password_only_client, vera.email, "fel-losenord")
    assert attempt(password_only_client, vera.email, "secret-pass-1").status_code == 302


def test_the_api_token_counts_the_same_failures_and_answers_in_its_own_shape(vera):
    api = APIClient(REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        api.post("/api/v1/auth/token/", {"email": vera.email, "password": "fel"}, format="json")
    locked = api.post("/api/v1/auth/token/", {"email": vera.email, "password": "secret-pass-1"}, format="json")
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["message"].startswith("För många misslyckade inloggningar")


def test_an_address_that_does_not_exist_is_counted_like_one_that_does(password_only_client, db):
    for _ in range(5):
        attempt(password_only_client, "ingen@example.se", "fel-losenord")
    assert attempt(password_only_client, "ingen@example.se", "fel-losenord").status_code == 429
    factories.user("ingen@example.se")  # and nothing tells an attacker which addresses have accounts
