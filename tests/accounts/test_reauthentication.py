"""Asked for her password again, she is told what she is about to do: the export or erasure
that asked, or the account setting she was on her way to."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests import factories
from tests.conftest import NOW

PASSWORD = "secret-pass-1"


def asked(response) -> str:
    assert response.templates[0].name in ("account/reauthenticate.html", "mfa/reauthenticate.html")
    return response.content.decode()


def test_an_export_says_a_file_with_personal_data_is_being_downloaded(client, alice):
    client.force_login(alice)
    response = client.get(reverse("export", args=["solvik", "newcomers", "csv"]), follow=True)
    assert "Du håller på att ladda ner en fil med personuppgifter. Bekräfta med ditt lösenord." in asked(response)


def test_erasing_her_own_data_says_so(client, vera):
    client.force_login(vera)
    response = client.post(reverse("my_volunteering_withdraw"), {"erase": "on"}, follow=True)
    assert "Du håller på att avsluta ditt uppdrag och radera dina uppgifter för gott." in asked(response)


def test_removing_the_app_says_so_and_is_done_once_she_gives_her_password(client, vera):
    factories.authenticator_app(vera)
    client.force_login(vera)
    with time_machine.travel(NOW + timedelta(minutes=10)):  # no longer just logged in
        response = client.post(reverse("mfa_deactivate_totp"), follow=True)
        assert "Du håller på att ta bort autentiseringsappen från ditt konto." in asked(response)
        client.post(response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"], {"password": PASSWORD})
    assert not vera.authenticator_set.filter(type="totp").exists()


def test_the_code_page_says_the_same(client, vera):
    factories.authenticator_app(vera)
    client.force_login(vera)
    response = client.get(reverse("mfa_reauthenticate"), {"next": reverse("mfa_generate_recovery_codes")})
    assert "Du håller på att skapa nya återställningskoder. Bekräfta med koden" in asked(response)


def test_an_export_asked_for_earlier_is_not_said_for_another_page(client, alice):
    client.force_login(alice)
    client.get(reverse("export", args=["solvik", "newcomers", "csv"]))
    response = client.get(reverse("account_reauthenticate"), {"next": reverse("account_email")})
    body = asked(response)
    assert "Du håller på att ändra e-postadresserna på ditt konto." in body and "personuppgifter" not in body


def test_without_a_known_next_page_the_page_asks_in_general_words(client, vera):
    client.force_login(vera)
    response = client.get(reverse("account_reauthenticate"), {"next": "/ingen-sida/"})
    assert "Det du håller på med kräver att du bekräftar med ditt lösenord." in asked(response)


def test_after_the_password_a_download_starts_from_a_page_that_stays_in_view(client, alice):
    client.force_login(alice)
    export = reverse("export", args=["solvik", "newcomers", "csv"])
    asked_for = client.get(export, follow=True)
    form_url = asked_for.request["PATH_INFO"] + "?" + asked_for.request["QUERY_STRING"]

    landed = client.post(form_url, {"password": PASSWORD}, follow=True)

    html = landed.content.decode()
    assert landed.templates[0].name == "account/download_ready.html"
    assert f'<meta http-equiv="refresh" content="0; url={export}">' in html
    assert f'href="{export}"' in html and 'href="/data/"' in html
    assert client.get(export).status_code == 200, "and the file itself comes now"


@pytest.mark.parametrize(
    "address", ["https://evil.example/x.csv", "//evil.example/x.csv", "/ingen-sida/", "mitt-uppdrag/"]
)
def test_the_download_page_leads_only_to_our_own_addresses(client, vera, address):
    client.force_login(vera)
    assert client.get(reverse("download_ready"), {"fil": address}).status_code == 404
